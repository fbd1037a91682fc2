package io.jenkins.plugins.dbbackup.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SetNameTest {
    @ParameterizedTest
    @ValueSource(strings = {"orders-db", "a", "A.b_c-1", "shop-pre-restore"})
    void acceptsSafeNames(String name) {
        assertThat(SetName.check(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc", "a/b", "..", ".hidden", "-x", "a..b", "", "with space", "tab\t"})
    void rejectsNamesThatCouldEscapeOrConfuse(String name) {
        assertThatThrownBy(() -> SetName.check(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc", "my db", "ünïcode", "..", "", "a/b/c"})
    void sanitizeAlwaysYieldsAValidName(String text) {
        assertThat(SetName.check(SetName.sanitize(text))).isNotEmpty();
    }
}
