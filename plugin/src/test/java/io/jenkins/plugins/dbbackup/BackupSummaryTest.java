package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.dbbackup.engine.BackupResult;
import org.junit.jupiter.api.Test;

/** What a finished backup shows in the log and on the build page. */
class BackupSummaryTest {
    private static final BackupResult RESULT = new BackupResult(
            "20261122T020000Z-3f9a1c",
            "orders",
            "postgresql-custom",
            "file:///var/backups/db/orders/20261122T020000Z-3f9a1c",
            50L * 1024 * 1024,
            6L * 1024 * 1024 + 512 * 1024,
            "a".repeat(64),
            "b".repeat(64),
            "zstd",
            false,
            "2026-11-22T02:00:00Z",
            "2026-11-22T02:00:04.2Z",
            4200,
            "16.4",
            "pg_dump 16.4");

    @Test
    void logLine() {
        assertThat(BackupDatabaseStep.Execution.summary(RESULT))
                .isEqualTo("Backed up set orders as 20261122T020000Z-3f9a1c: 50.0 MiB dumped, 6.5 MiB stored (zstd)"
                        + " in 4.2 s, at file:///var/backups/db/orders/20261122T020000Z-3f9a1c");
    }

    @Test
    void buildPageRow() {
        DatabaseBackupAction.Row row = DatabaseBackupAction.Row.of(RESULT);
        assertThat(row.getSet()).isEqualTo("orders");
        assertThat(row.getId()).isEqualTo("20261122T020000Z-3f9a1c");
        assertThat(row.getOriginalSize()).isEqualTo("50.0 MiB");
        assertThat(row.getStoredSize()).isEqualTo("6.5 MiB");
        assertThat(row.getStoredSha256()).isEqualTo("b".repeat(64));
        assertThat(row.getDuration()).isEqualTo("4.2 s");
        assertThat(row.isEncrypted()).isFalse();
    }
}
