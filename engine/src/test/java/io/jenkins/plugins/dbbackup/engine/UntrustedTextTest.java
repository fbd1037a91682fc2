package io.jenkins.plugins.dbbackup.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.retention.CalendarDuration;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionPolicy;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionPolicyException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UntrustedTextTest {
    @Test
    void keepsTextOnOneShortLine() {
        assertThat(UntrustedText.shown("a\nb\r\tc\u2028d\u0085e")).isEqualTo("a?b??c?d?e");
        assertThat(UntrustedText.shown("x".repeat(81))).isEqualTo("x".repeat(80) + "...");
        // cut at a character boundary, never inside a surrogate pair
        assertThat(UntrustedText.shown("\uD83D\uDE00".repeat(50), 3)).isEqualTo("\uD83D\uDE00".repeat(2) + "...");
        assertThat(UntrustedText.shown(null)).isEqualTo("null");
    }

    /** Found by RetentionPolicyFuzzTest: a value with a line break was echoed as given, on several lines. */
    @Test
    void retentionRefusalsStayOneLine() {
        assertThatThrownBy(() -> CalendarDuration.parse("keepWithin", "1d\n2d"))
                .isInstanceOf(RetentionPolicyException.class)
                .hasMessage("keepWithin: write the duration without spaces, such as 1y6m, got \"1d?2d\"");
        assertThatThrownBy(() -> RetentionPolicy.parse(Map.of("keep\nDaily", "1")))
                .isInstanceOf(RetentionPolicyException.class)
                .hasMessageStartingWith("keep?Daily: unknown retention option")
                .satisfies(e -> assertThat(((RetentionPolicyException) e).option()).isEqualTo("keep\nDaily"));
    }
}
