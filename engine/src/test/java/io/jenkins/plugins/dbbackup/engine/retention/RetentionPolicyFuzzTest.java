package io.jenkins.plugins.dbbackup.engine.retention;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import io.jenkins.plugins.dbbackup.engine.UntrustedText;
import io.jenkins.plugins.dbbackup.engine.fuzz.CleanErrors;
import io.jenkins.plugins.dbbackup.engine.fuzz.FuzzRuns;
import java.util.Map;

/**
 * Retention options as users give them (CLI flags, step arguments): {@link RetentionPolicy#parse} and
 * {@link CalendarDuration#parse} either accept or throw a {@link RetentionPolicyException} whose one-line message
 * starts with the option's name. Nothing else. Option names are never null: a null name is a caller's bug, refused
 * with a NullPointerException by design (the fuzzer's first version generated them).
 */
class RetentionPolicyFuzzTest {
    @FuzzTest
    void options(@NotNull Map<@NotNull String, String> options, String duration) {
        FuzzRuns.count(RetentionPolicyFuzzTest.class);
        try {
            RetentionPolicy policy = RetentionPolicy.parse(options);
            policy.toString();
        } catch (RetentionPolicyException e) {
            CleanErrors.requireMessage(e);
            if (!e.getMessage().startsWith(UntrustedText.shown(e.option()) + ": ")) {
                throw new AssertionError("message does not start with the option: " + e.getMessage(), e);
            }
        }
        try {
            CalendarDuration.parse("keepWithin", duration);
        } catch (RetentionPolicyException e) {
            CleanErrors.requireMessage(e);
            if (!e.getMessage().startsWith("keepWithin: ")) {
                throw new AssertionError("message does not name the option: " + e.getMessage(), e);
            }
        }
    }
}
