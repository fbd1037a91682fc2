package io.jenkins.plugins.dbbackup.engine.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackupIdTest {
    @Test
    void sortsByTimeAndIsValid() {
        String a = BackupId.generate(Instant.parse("2026-11-22T02:00:00.999Z"));
        String b = BackupId.generate(Instant.parse("2026-11-22T02:00:01Z"));
        assertThat(a).startsWith("20261122T020000Z-").matches(BackupId::isValid);
        assertThat(a.compareTo(b)).isNegative();
    }

    @Test
    void idsOfTheSameSecondDiffer() {
        Instant t = Instant.parse("2026-11-22T02:00:00Z");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(BackupId.generate(t));
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void rejectsMalformedIds() {
        assertThatThrownBy(() -> BackupId.check("../x")).hasMessageContaining("latest");
        assertThat(BackupId.isValid("20261122T020000Z-3F9A1C2B")).isFalse();
    }

    /** Found by NamesFuzzTest: the id was echoed as given, so a line break in it split the "one clear line". */
    @Test
    void theRefusalStaysOneLineWhateverTheInput() {
        assertThatThrownBy(() -> BackupId.check("T/\n  x\r\u2028y" + "z".repeat(200)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("backup id 'T/?  x??y" + "z".repeat(71) + "...' is not valid")
                .hasMessageNotContainingAny("\n", "\r", "\u2028");
        assertThatThrownBy(() -> io.jenkins.plugins.dbbackup.engine.SetName.check("a\nb"))
                .hasMessageStartingWith("set name 'a?b' is not allowed");
    }
}
