package io.jenkins.plugins.dbbackup.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RepositorySpecTest {
    @Test
    void acceptsFileUrisAndAbsolutePaths() {
        assertThat(RepositorySpec.of("/var/backups/db").uri()).isEqualTo("file:///var/backups/db");
        assertThat(RepositorySpec.of("file:///var/backups/db/").localPath()).isEqualTo(Path.of("/var/backups/db"));
        assertThat(RepositorySpec.of("file:///a/b/../c").localPath()).isEqualTo(Path.of("/a/c"));
    }

    @Test
    void acceptsS3WithDefaultSettings() {
        RepositorySpec s3 = RepositorySpec.of("s3://bucket/prefix");
        assertThat(s3.isS3()).isTrue();
        assertThat(s3.s3()).isNotNull();
    }

    @Test
    void rejectsWhatItCannotUseWithAClearMessage() {
        assertThatThrownBy(() -> RepositorySpec.of("relative/dir")).hasMessageContaining("file:///absolute/path");
        assertThatThrownBy(() -> RepositorySpec.of("ftp://x")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> RepositorySpec.of("s3://")).hasMessageContaining("no bucket");
        assertThatThrownBy(() -> RepositorySpec.of(" ")).hasMessageContaining("repository is missing");
    }
}
