package io.jenkins.plugins.dbbackup.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.engine.verify.VerifyLevel;
import io.jenkins.plugins.dbbackup.testsupport.MariaDbServer;
import io.jenkins.plugins.dbbackup.testsupport.RedisClient;
import io.jenkins.plugins.dbbackup.testsupport.RedisServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Verify levels and restore paths of the engine facade for MariaDB and Redis, on real servers. */
@ExtendWith(ThrowawayServers.class)
class VerifyAndRestoreAllKindsTest {
    @TempDir
    Path dir;

    final BackupEngine engine = new BackupEngine(ProgressListener.NONE);

    RepositorySpec repo() {
        return RepositorySpec.local(dir.resolve("repo"));
    }

    VerificationRecord verify(String set, VerifyLevel level, DatabaseConnection scratch) throws Exception {
        return engine.verify(new VerifyRequest(repo(), set, "latest", level, null, scratch, true));
    }

    @Test
    void mariaDbVerifiesAtEveryLevelAndRestoresUnderAnotherName(MariaDbServer m) throws Exception {
        String db = "shop_" + System.nanoTime();
        m.createDatabase(db);
        m.execute(db, "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(50))",
                "INSERT INTO items SELECT seq, CONCAT('item ', seq) FROM seq_1_to_777");
        DatabaseConnection source = new DatabaseConnection(DatabaseType.MARIADB, m.host(), m.port(), db, m.user(),
                Secret.of(m.password()));
        engine.backup(BackupRequest.of(source, repo(), "shop"));
        assertThat(verify("shop", VerifyLevel.CHECKSUM, null).outcome()).isEqualTo("OK");
        assertThat(verify("shop", VerifyLevel.STRUCTURE, null).outcome()).isEqualTo("OK");
        VerificationRecord restored = verify("shop", VerifyLevel.RESTORE, source);
        assertThat(restored.outcome()).as(restored.details().toString()).isEqualTo("OK");
        assertThat(restored.restoreMillis()).isPositive();
        assertThat(m.listDatabases()).noneMatch(name -> name.startsWith("dbbackup_verify_"));

        RestoreResult result = engine.restore(new RestoreRequest(repo(), "shop", null, null,
                source.withDatabase(db + "_copy"), true, false, true, null, 1));
        assertThat(result.countsChecked()).isEqualTo(1);
        assertThat(m.queryLong(db + "_copy", "SELECT COUNT(*) FROM items")).isEqualTo(777);
    }

    @Test
    void aCutOffSqlDumpFailsTheStructureLevel(MariaDbServer m) throws Exception {
        String db = "cut_" + System.nanoTime();
        m.createDatabase(db);
        m.execute(db, "CREATE TABLE t (id INT)", "INSERT INTO t VALUES (1)");
        DatabaseConnection source = new DatabaseConnection(DatabaseType.MARIADB, m.host(), m.port(), db, m.user(),
                Secret.of(m.password()));
        BackupResult backup = engine.backup(new BackupRequest(source, repo(), "cut",
                io.jenkins.plugins.dbbackup.engine.codec.CompressionSettings.none(), null));
        // cut the completion line off, and make the manifest agree so only the format check can notice
        Path data = dir.resolve("repo/cut/" + backup.id() + "/data.sql");
        long cut = Files.size(data) - 40;
        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            f.setLength(cut);
        }
        String sha = sha256(data);
        Path manifest = dir.resolve("repo/cut/" + backup.id() + "/manifest.json");
        Files.writeString(manifest, Files.readString(manifest)
                .replace(backup.storedSha256(), sha).replace(backup.originalSha256(), sha)
                .replace("\"bytes\" : " + backup.storedBytes(), "\"bytes\" : " + cut));
        VerificationRecord v = verify("cut", VerifyLevel.STRUCTURE, null);
        assertThat(v.outcome()).isEqualTo("FORMAT_INVALID");
        assertThat(v.details()).anyMatch(d -> d.contains("cut off"));
    }

    @Test
    void redisVerifiesIntoAThrowawayServerAndRestoresWithASafetyBackup(RedisServer redis) throws Exception {
        try (RedisClient c = redis.client()) {
            c.command("FLUSHALL");
            for (int i = 0; i < 300; i++) {
                c.command("SET", "key:" + i, "value " + i);
            }
            c.command("SELECT", "2");
            c.command("HSET", "h", "f", "v");
            c.command("SELECT", "0");
        }
        DatabaseConnection source = new DatabaseConnection(DatabaseType.REDIS, redis.host(), redis.port(), null, null,
                Secret.of(redis.password()));
        engine.backup(BackupRequest.of(source, repo(), "cache"));
        assertThat(verify("cache", VerifyLevel.STRUCTURE, null).outcome()).isEqualTo("OK");
        VerificationRecord restored = verify("cache", VerifyLevel.RESTORE, null);
        assertThat(restored.outcome()).as(restored.details().toString()).isEqualTo("OK");
        assertThat(restored.scratchTarget()).startsWith("redis://127.0.0.1:");
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(tmp).noneMatch(p -> p.getFileName().toString().startsWith("dbbackup-redis-scratch-"));
        }

        // restore over the (changed) server: refused without clean, then clean with a safety backup
        try (RedisClient c = redis.client()) {
            c.command("SET", "extra", "1");
        }
        assertThatThrownBy(() -> engine.restore(new RestoreRequest(repo(), "cache", null, null, source, false, false,
                true, null, 1))).hasMessageContaining("is not empty").hasMessageNotContaining("null");
        assertThatThrownBy(() -> engine.restore(new RestoreRequest(repo(), "cache", null, null, source, true, false,
                true, null, 1))).hasMessageContaining("already exists");
        RestoreResult result = engine.restore(new RestoreRequest(repo(), "cache", null, null, source, false, true,
                true, null, 1));
        assertThat(result.safetyBackupId()).isNotNull();
        assertThat(engine.list(repo(), "cache-pre-restore")).hasSize(1);
        try (RedisClient c = redis.client()) {
            assertThat(c.command("EXISTS", "extra")).isEqualTo(0L);
            assertThat(c.command("DBSIZE")).isEqualTo(300L);
        }
    }

    private static String sha256(Path file) throws Exception {
        java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
        d.update(Files.readAllBytes(file));
        return java.util.HexFormat.of().formatHex(d.digest());
    }
}
