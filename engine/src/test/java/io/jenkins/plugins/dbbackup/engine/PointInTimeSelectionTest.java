package io.jenkins.plugins.dbbackup.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.BackupRepository;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.engine.storage.LocalStorage;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Choosing the backup to restore: latest, by id, and the newest at or before a point in time, over a dozen. */
@ExtendWith(ThrowawayServers.class)
class PointInTimeSelectionTest {
    private static final Instant FIRST = Instant.parse("2026-11-01T02:00:00Z");

    @TempDir
    Path dir;

    @Test
    void choosesTheNewestBackupAtOrBeforeTheTime(PostgresServer pg) throws Exception {
        String db = "pit_" + System.nanoTime();
        pg.createDatabase(db);
        pg.execute(db, "CREATE TABLE t (n int)");
        DatabaseConnection c = new DatabaseConnection(DatabaseType.POSTGRESQL, pg.host(), pg.port(), db, pg.user(),
                Secret.of(pg.password()));
        RepositorySpec repo = RepositorySpec.local(dir);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            pg.execute(db, "INSERT INTO t VALUES (" + i + ")"); // backup i holds i + 1 rows
            Clock at = Clock.fixed(FIRST.plus(Duration.ofHours(12L * i)), ZoneOffset.UTC); // twice a day
            ids.add(new BackupEngine(EngineOptions.defaults(), ProgressListener.NONE, at)
                    .backup(BackupRequest.of(c, repo, "pit")).id());
        }
        BackupRepository repository = new BackupRepository(new LocalStorage(dir));

        assertThat(pick(repository, null, null)).isEqualTo(ids.get(11));
        assertThat(pick(repository, "latest", null)).isEqualTo(ids.get(11));
        assertThat(pick(repository, ids.get(4), null)).isEqualTo(ids.get(4));
        assertThat(pick(repository, null, FIRST)).as("exactly at a backup").isEqualTo(ids.get(0));
        assertThat(pick(repository, null, FIRST.plus(Duration.ofHours(30)))).as("between").isEqualTo(ids.get(2));
        assertThat(pick(repository, null, FIRST.plus(Duration.ofDays(30)))).as("after the last").isEqualTo(ids.get(11));
        assertThatThrownBy(() -> pick(repository, null, FIRST.minusSeconds(1)))
                .hasMessageContaining("no complete backup at or before 2026-11-01T01:59:59Z");
        assertThatThrownBy(() -> pick(repository, "20200101T000000Z-00000000", null)).hasMessageContaining("was not found");

        // and the restore restores that one: backup 5 (taken 2.5 days in) holds 6 rows
        new BackupEngine(ProgressListener.NONE).restore(new RestoreRequest(repo, "pit", null,
                FIRST.plus(Duration.ofHours(60)).plusSeconds(59), c.withDatabase(db + "_pit"), true, false, true, null, 1));
        assertThat(pg.queryLong(db + "_pit", "SELECT count(*) FROM t")).isEqualTo(6);
    }

    private static String pick(BackupRepository repository, String id, Instant at) throws Exception {
        BackupManifest m = BackupSelector.select(repository, "pit", id, at);
        return m.id();
    }
}
