package io.jenkins.plugins.dbbackup.engine.retention;

import io.jenkins.plugins.dbbackup.engine.UntrustedText;
import java.io.Serial;
import java.util.Objects;

/**
 * A retention option with a bad value. The message is one line that starts with the option's name as the user wrote
 * it ({@code keepDaily: must not be negative, got -1}), so the CLI can print it as is and the plugin can attach it to
 * the form field named by {@link #option()}. Line breaks and control characters in it are shown as {@code ?}.
 */
public final class RetentionPolicyException extends IllegalArgumentException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String option;

    public RetentionPolicyException(String option, String problem) {
        // both may hold what the user typed: kept on one line and short, the message being the one line shown
        super(UntrustedText.shown(Objects.requireNonNull(option, "option")) + ": "
                + UntrustedText.shown(Objects.requireNonNull(problem, "problem"), 600));
        this.option = option;
    }

    /** The option as the user named it, for example {@code keepDaily} or {@code keep-daily}. */
    public String option() {
        return option;
    }
}
