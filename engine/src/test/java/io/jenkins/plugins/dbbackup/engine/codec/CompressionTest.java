package io.jenkins.plugins.dbbackup.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CompressionTest {
    @Test
    void parsesIgnoringCaseAndListsValidValuesOnError() {
        assertThat(Compression.parse("ZSTD")).isEqualTo(Compression.ZSTD);
        assertThat(Compression.parse(" gzip ")).isEqualTo(Compression.GZIP);
        assertThat(Compression.parse("None")).isEqualTo(Compression.NONE);
        assertThatThrownBy(() -> Compression.parse("lz4")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown compression 'lz4'; valid values are: none, gzip, zstd");
        assertThatThrownBy(() -> Compression.parse(null)).hasMessageContaining("valid values are");
    }

    @Test
    void suffixes() {
        assertThat(Compression.NONE.suffix()).isEmpty();
        assertThat(Compression.GZIP.suffix()).isEqualTo(".gz");
        assertThat(Compression.ZSTD.suffix()).isEqualTo(".zst");
    }

    @Test
    void settingsValidateRangesWithClearMessages() {
        assertThat(CompressionSettings.defaults()).isEqualTo(
                new CompressionSettings(Compression.ZSTD, 3, CompressionSettings.AUTO_WORKERS));
        assertThat(CompressionSettings.defaults().resolvedWorkers()).isBetween(1, 4);
        assertThat(new CompressionSettings(Compression.ZSTD, 3, 0).resolvedWorkers()).isZero();
        assertThat(new CompressionSettings(Compression.GZIP, 6, CompressionSettings.AUTO_WORKERS))
                .isEqualTo(new CompressionSettings(Compression.GZIP, 6, 0));
        assertThat(new CompressionSettings(Compression.NONE, 7, 3)).isEqualTo(CompressionSettings.none());
        assertThatThrownBy(() -> new CompressionSettings(Compression.ZSTD, 0, 0))
                .hasMessage("zstd level must be between 1 and 19, was 0");
        assertThatThrownBy(() -> new CompressionSettings(Compression.ZSTD, 22, 0))
                .hasMessageContaining("between 1 and 19");
        assertThatThrownBy(() -> new CompressionSettings(Compression.ZSTD, 3, -2))
                .hasMessage("zstd workers must be between 0 and 64 (or -1 for one per core), was -2");
        assertThatThrownBy(() -> new CompressionSettings(Compression.GZIP, 10, 0))
                .hasMessage("gzip level must be between 1 and 9, was 10");
        assertThatThrownBy(() -> new CompressionSettings(Compression.GZIP, 6, 2))
                .hasMessageContaining("gzip has no worker threads");
        assertThatThrownBy(() -> new CompressionSettings(null, 3, 0)).isInstanceOf(NullPointerException.class);
    }
}
