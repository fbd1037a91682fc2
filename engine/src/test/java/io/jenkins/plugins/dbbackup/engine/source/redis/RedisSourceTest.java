package io.jenkins.plugins.dbbackup.engine.source.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.dbbackup.engine.BackupEngine;
import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.BackupResult;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.EngineOptions;
import io.jenkins.plugins.dbbackup.engine.ProgressListener;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.RestoreRequest;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.faults.FaultMatrix;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.engine.source.DatabaseSource;
import io.jenkins.plugins.dbbackup.testsupport.RedisClient;
import io.jenkins.plugins.dbbackup.testsupport.RedisServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Backups over the replication protocol and restores, against real redis-server processes. The fault rows go to
 * target/reliability/fault-matrix-redis.md.
 */
@Tag("faults")
class RedisSourceTest {
    static final FaultMatrix MATRIX = FaultMatrix.named("redis");

    @AfterAll
    static void writeMatrix() throws IOException {
        MATRIX.write();
    }

    private final List<String> log = new ArrayList<>();
    private final ProgressListener listener = log::add;

    @TempDir
    Path temp;

    private BackupEngine engine() {
        return new BackupEngine(EngineOptions.defaults(), listener, Clock.systemUTC());
    }

    private RepositorySpec repository() {
        return RepositorySpec.local(temp.resolve("repo"));
    }

    @ParameterizedTest(name = "diskless sync {0}")
    @ValueSource(booleans = {true, false})
    void backupAndCommandRestoreRoundTripEveryType(boolean diskless) throws Exception {
        try (RedisServer source = RedisServer.start(RedisServer.Options.defaults().disklessSync(diskless));
                RedisServer target = RedisServer.start()) {
            Map<Integer, Integer> seeded;
            Map<Integer, Map<String, String>> expected;
            try (RedisClient c = source.client()) {
                seeded = RedisTestData.seedEveryType(c);
                expected = RedisTestData.content(c);
            }
            BackupResult result = engine().backup(BackupRequest.of(RedisTestData.connection(source), repository(), "cache"));
            assertThat(result.kind()).isEqualTo("redis-rdb");
            BackupManifest manifest = engine().list(repository(), "cache").get(0);
            assertThat(manifest.tool()).isEqualTo(new BackupManifest.Tool("redis-replication", "10"));
            assertThat(manifest.source().serverVersion()).isEqualTo(source.version());
            assertThat(manifest.source().database()).isNull();
            assertThat(manifest.verification().countMethod()).isEqualTo("rdb-stream");
            assertThat(manifest.verification().keysPerDatabase())
                    .containsEntry("db0", seeded.get(0).longValue()).containsEntry("db3", seeded.get(3).longValue())
                    .containsEntry("db15", seeded.get(15).longValue()).containsEntry("db0.expires", 3L);

            engine().restore(new RestoreRequest(repository(), "cache", null, null, RedisTestData.connection(target),
                    false, false, true, null, 1));
            try (RedisClient c = target.client()) {
                assertThat(RedisTestData.content(c)).isEqualTo(expected);
                assertThat(c.command("FCALL", "dbbackup_answer", "0")).isEqualTo(42L);
            }
            RedisSource restored = new RedisSource(RedisTestData.connection(target), temp);
            assertThat(RedisSource.compareCounts(manifest.verification().keysPerDatabase(), restored.countTarget()))
                    .isEmpty();
            assertThat(String.join("\n", log)).doesNotContain(source.password()).doesNotContain(target.password());
        }
    }

    @Test
    void restoreIntoANonEmptyServerNeedsCleanWhichReplacesEverything() throws Exception {
        try (RedisServer source = RedisServer.start(); RedisServer target = RedisServer.start()) {
            try (RedisClient c = source.client()) {
                c.command("SET", "a", "from-backup");
                c.command("SET", "b", "from-backup", "PX", "600000");
            }
            try (RedisClient c = target.client()) {
                c.command("SET", "a", "old");
                c.command("SET", "stale", "old");
            }
            engine().backup(BackupRequest.of(RedisTestData.connection(source), repository(), "s"));
            DatabaseConnection to = RedisTestData.connection(target);
            assertThatThrownBy(() -> engine().restore(new RestoreRequest(repository(), "s", null, null, to,
                    false, false, true, null, 1))).isInstanceOf(BackupException.class).hasMessageContaining("clean");
            engine().restore(new RestoreRequest(repository(), "s", null, null, to, false, true, true, null, 1));
            try (RedisClient c = target.client()) {
                assertThat(c.commandText("GET", "a")).isEqualTo("from-backup");
                assertThat(c.command("EXISTS", "stale")).isEqualTo(0L);
                assertThat((Long) c.command("PTTL", "b")).isBetween(500_000L, 600_000L);
            }
            // the safety backup of the old content was taken first
            assertThat(engine().list(repository(), null)).extracting(BackupManifest::set).contains("s-pre-restore");
        }
    }

    @Test
    void keyOverOneHundredMegabytesRoundTrips() throws Exception {
        byte[] big = new byte[101 * 1024 * 1024 + 17];
        new Random(3).nextBytes(big);
        try (RedisServer source = RedisServer.start(); RedisServer target = RedisServer.start()) {
            try (RedisClient c = source.client()) {
                c.command("SET".getBytes(), "big".getBytes(), big);
                c.command("SET", "small", "s");
                c.command("RPUSH", "big-list", "x".repeat(30 * 1024 * 1024), "y".repeat(30 * 1024 * 1024));
            }
            long start = System.nanoTime();
            engine().backup(BackupRequest.of(RedisTestData.connection(source), repository(), "big"));
            long backupMillis = (System.nanoTime() - start) / 1_000_000;
            start = System.nanoTime();
            engine().restore(new RestoreRequest(repository(), "big", null, null, RedisTestData.connection(target),
                    false, false, true, null, 1));
            long restoreMillis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("163 MB of incompressible data: backup %d ms, restore %d ms%n", backupMillis, restoreMillis);
            try (RedisClient c = target.client(); RedisClient s = source.client()) {
                assertThat((byte[]) c.command("GET".getBytes(), "big".getBytes())).isEqualTo(big);
                assertThat(RedisTestData.content(c)).isEqualTo(RedisTestData.content(s));
            }
        }
    }

    @Test
    void filePlacementWritesAnRdbTheServerLoadsAtStart() throws Exception {
        Path dataDir = Files.createDirectory(temp.resolve("redis-data"));
        Map<Integer, Map<String, String>> expected;
        Path backupFile = temp.resolve("backup.rdb");
        try (RedisServer source = RedisServer.start()) {
            try (RedisClient c = source.client()) {
                RedisTestData.seedEveryType(c);
                expected = RedisTestData.content(c);
            }
            RedisSource redis = new RedisSource(RedisTestData.connection(source), temp);
            try (DatabaseSource.RunningDump dump = redis.startDump(redis.inspect())) {
                try (InputStream in = dump.stream()) {
                    Files.copy(in, backupFile);
                }
                dump.finish();
            }
        }
        // the target server is stopped: the connection points nowhere, the version check is skipped
        DatabaseConnection stopped = new DatabaseConnection(DatabaseType.REDIS, "127.0.0.1", 1, null, null, null);
        RedisSource file = new RedisSource(stopped, temp, RedisRestoreTarget.file(dataDir));
        assertThat(file.targetExists()).isTrue();
        assertThat(file.targetIsEmpty()).isTrue();
        try (InputStream in = Files.newInputStream(backupFile)) {
            file.restore(in, new DatabaseSource.RestoreOptions(false, 1, false, false));
        }
        assertThat(Files.mismatch(backupFile, dataDir.resolve("dump.rdb"))).isEqualTo(-1);
        assertThat(Files.getPosixFilePermissions(dataDir.resolve("dump.rdb"))).hasSize(2);
        assertThat(file.targetIsEmpty()).isFalse();
        try (InputStream in = Files.newInputStream(backupFile)) {
            assertThatThrownBy(() -> file.restore(in, new DatabaseSource.RestoreOptions(false, 1, false, false)))
                    .hasMessageContaining("exists");
        }
        // a damaged stream leaves the placed file as it was, and no temporary file
        byte[] damaged = Files.readAllBytes(backupFile);
        damaged[damaged.length / 2] ^= 0x40;
        assertThatThrownBy(() -> file.restore(new ByteArrayInputStream(damaged),
                new DatabaseSource.RestoreOptions(true, 1, false, false))).isInstanceOf(RdbFormatException.class);
        assertThat(Files.mismatch(backupFile, dataDir.resolve("dump.rdb"))).isEqualTo(-1);
        try (Stream<Path> files = Files.list(dataDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("dump.rdb");
        }
        try (InputStream in = Files.newInputStream(backupFile)) {
            file.restore(in, new DatabaseSource.RestoreOptions(true, 1, false, false));
        }
        try (Stream<Path> files = Files.list(dataDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).hasSize(2).anyMatch(n -> n.startsWith("dump.rdb.replaced-"));
        }
        try (RedisServer loaded = RedisServer.start(RedisServer.Options.defaults().set("dir", dataDir.toString()));
                RedisClient c = loaded.client()) {
            assertThat(RedisTestData.content(c)).isEqualTo(expected);
            assertThat(new RedisSource(RedisTestData.connection(loaded), temp).countTarget())
                    .isEqualTo(file.countTarget());
        }
    }

    @Test
    void anRdbNewerThanTheTargetIsRefusedBeforeAnythingChanges() throws Exception {
        try (RedisServer source = RedisServer.start(); RedisServer target = RedisServer.start()) {
            try (RedisClient c = source.client()) {
                c.command("SET", "k", "v");
            }
            byte[] rdb = RedisTestData.save(source);
            byte[] newer = rewriteVersion(rdb, "0011");
            try (RedisClient c = target.client()) {
                c.command("SET", "keep", "me");
            }
            RedisSource redis = new RedisSource(RedisTestData.connection(target), temp);
            assertThatThrownBy(() -> redis.checkRdbVersion(11)).hasMessageContaining("RDB format version 11");
            redis.checkRdbVersion(10);
            assertThatThrownBy(() -> redis.restore(new ByteArrayInputStream(newer),
                    new DatabaseSource.RestoreOptions(true, 1, false, false)))
                    .isInstanceOf(BackupException.class)
                    .hasMessageContaining("RDB format version 11")
                    .hasMessageContaining("Redis " + target.version())
                    .hasMessageContaining("up to 10");
            try (RedisClient c = target.client()) {
                assertThat(c.commandText("GET", "keep")).isEqualTo("me");
            }
            Path dir = Files.createDirectory(temp.resolve("d"));
            RedisSource file = new RedisSource(RedisTestData.connection(target), temp, RedisRestoreTarget.file(dir));
            assertThatThrownBy(() -> file.restore(new ByteArrayInputStream(newer),
                    new DatabaseSource.RestoreOptions(true, 1, false, false))).hasMessageContaining("RDB format version 11");
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files).isEmpty();
            }
        }
    }

    @Test
    void wrongPasswordMissingPasswordAndRefusedSyncFailClearlyAndStoreNothing() throws Exception {
        try (RedisServer server = RedisServer.start()) {
            DatabaseConnection wrong = new DatabaseConnection(DatabaseType.REDIS, server.host(), server.port(), null,
                    null, Secret.of("not-" + server.password()));
            assertThatThrownBy(() -> engine().backup(BackupRequest.of(wrong, repository(), "x")))
                    .isInstanceOf(BackupException.class)
                    .hasMessageContaining("wrong user name or password")
                    .hasMessageNotContaining(server.password());
            MATRIX.row("wrong password", "backup", "one-line error, no password in it, nothing stored",
                    "BackupException: " + catchThrowable(() -> engine().backup(BackupRequest.of(wrong, repository(),
                            "x"))).getMessage());
            DatabaseConnection none = new DatabaseConnection(DatabaseType.REDIS, server.host(), server.port(), null,
                    null, null);
            assertThatThrownBy(() -> engine().backup(BackupRequest.of(none, repository(), "x")))
                    .isInstanceOf(BackupException.class).hasMessageContaining("requires a password");
            try (RedisClient c = server.client()) {
                c.command("ACL", "SETUSER", "app", "on", ">app-secret-pw", "~*", "&*", "+@all", "-sync", "-psync");
            }
            DatabaseConnection limited = new DatabaseConnection(DatabaseType.REDIS, server.host(), server.port(), null,
                    "app", Secret.of("app-secret-pw"));
            assertThatThrownBy(() -> engine().backup(BackupRequest.of(limited, repository(), "x")))
                    .isInstanceOf(BackupException.class)
                    .hasMessageContaining("refuses replication")
                    .hasMessageContaining("NOPERM")
                    .hasMessageNotContaining("app-secret-pw");
            MATRIX.row("user may not replicate (ACL -sync -psync)", "backup", "one-line error naming NOPERM, nothing stored",
                    "BackupException: " + catchThrowable(() -> engine().backup(BackupRequest.of(limited, repository(),
                            "x"))).getMessage());
            DatabaseConnection user = new DatabaseConnection(DatabaseType.REDIS, server.host(), server.port(), null,
                    "app", Secret.of("wrong"));
            assertThatThrownBy(() -> new RedisSource(user, temp).inspect()).hasMessageContaining("WRONGPASS");
            assertRepositoryEmpty();
        }
    }

    @Test
    void serverKilledMidTransferFailsTheDump() throws Exception {
        for (boolean diskless : new boolean[] {true, false}) {
            try (RedisServer server = RedisServer.start(RedisServer.Options.defaults().disklessSync(diskless))) {
                fill(server, 200);
                RedisSource redis = new RedisSource(RedisTestData.connection(server), temp);
                try (DatabaseSource.RunningDump dump = redis.startDump(redis.inspect())) {
                    InputStream in = dump.stream();
                    byte[] first = in.readNBytes(1024 * 1024);
                    assertThat(first).hasSize(1024 * 1024);
                    server.kill();
                    assertThatThrownBy(() -> in.transferTo(java.io.OutputStream.nullOutputStream()))
                            .isInstanceOf(BackupException.class)
                            .hasMessageContaining("closed the connection")
                            .hasMessageContaining("bytes of the snapshot");
                    Throwable finish = catchThrowable(dump::finish);
                    assertThat(finish).isInstanceOf(BackupException.class);
                    MATRIX.row("Redis server killed (SIGKILL) mid-transfer, " + (diskless ? "diskless" : "disk") + " sync",
                            "backup (snapshot stream)", "the stream fails naming the bytes received, finish fails",
                            "BackupException: " + finish.getMessage());
                }
            }
        }
    }

    @Test
    void serverKilledBeforeTheTransferLeavesNothingInTheRepository() throws Exception {
        try (RedisServer server = RedisServer.start(RedisServer.Options.defaults().set("repl-diskless-sync-delay", "3"))) {
            try (RedisClient c = server.client()) {
                c.command("SET", "k", "v");
            }
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    return;
                }
                server.kill();
            });
            killer.start();
            assertThatThrownBy(() -> engine().backup(BackupRequest.of(RedisTestData.connection(server), repository(), "k")))
                    .isInstanceOf(BackupException.class).hasMessageContaining("closed the connection")
                    .satisfies(e -> MATRIX.row("Redis server killed while preparing the snapshot", "backup",
                            "one-line error, nothing stored", "BackupException: " + e.getMessage()));
            killer.join();
            assertRepositoryEmpty();
        }
    }

    @ParameterizedTest(name = "diskless {0}")
    @ValueSource(booleans = {true, false})
    void truncatedOrCorruptSnapshotOnTheWireStoresNothing(boolean diskless) throws Exception {
        byte[] rdb;
        try (RedisServer server = RedisServer.start()) {
            try (RedisClient c = server.client()) {
                RedisTestData.seedEveryType(c);
            }
            rdb = RedisTestData.save(server);
        }
        byte[] flipped = rdb.clone();
        flipped[RdbParserTest.indexOf(rdb, "db3:random".getBytes(StandardCharsets.US_ASCII)) + 3000] ^= 0x10;
        byte[] truncated = Arrays.copyOf(rdb, rdb.length - 100);
        record Case(byte[] payload, String message) {}
        for (Case c : List.of(new Case(rdb, null), new Case(flipped, "checksum does not match"),
                new Case(truncated, diskless ? "ends early" : "closed the connection"))) {
            try (FakeReplicationServer fake = new FakeReplicationServer(c.payload(), diskless, "pw", rdb.length)) {
                DatabaseConnection conn = new DatabaseConnection(DatabaseType.REDIS, "127.0.0.1", fake.port(), null,
                        null, Secret.of("pw"));
                if (c.message() == null) {
                    BackupResult ok = engine().backup(BackupRequest.of(conn, repository(), "fake"));
                    assertThat(ok.originalBytes()).isEqualTo(rdb.length);
                    continue;
                }
                assertThatThrownBy(() -> engine().backup(BackupRequest.of(conn, repository(), "bad")))
                        .isInstanceOf(BackupException.class).hasMessageContaining(c.message())
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
                        .satisfies(e -> MATRIX.row((c.payload() == flipped ? "one bit flipped in the snapshot on the wire"
                                : "snapshot cut 100 bytes short on the wire") + ", " + (diskless ? "diskless" : "disk")
                                + " sync", "backup", "rejected (CRC-64 or length), nothing stored",
                                "BackupException: " + e.getMessage()));
            }
        }
        assertThat(engine().list(repository(), "bad")).isEmpty();
        try (Stream<Path> files = Files.walk(temp.resolve("repo"))) {
            assertThat(files.filter(Files::isRegularFile).map(Path::toString))
                    .allMatch(p -> p.contains("/fake/"));
        }
    }

    @Test
    void noPasswordInAnyCommandLineOrEnvironment() throws Exception {
        try (RedisServer server = RedisServer.start()) {
            try (RedisClient c = server.client()) {
                c.command("SET", "k", "v");
            }
            engine().backup(BackupRequest.of(RedisTestData.connection(server), repository(), "p"));
            List<String> leaks = new ArrayList<>();
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                procs.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(p -> {
                    for (String f : new String[] {"cmdline", "environ"}) {
                        try {
                            String text = new String(Files.readAllBytes(p.resolve(f)), StandardCharsets.UTF_8);
                            if (text.contains(server.password())) {
                                leaks.add(p + "/" + f);
                            }
                        } catch (IOException e) {
                            // gone, or not ours to read
                        }
                    }
                });
            }
            assertThat(leaks).isEmpty();
            try (Stream<Path> files = Files.walk(temp.resolve("repo"))) {
                for (Path f : files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".json")).toList()) {
                    assertThat(Files.readString(f)).doesNotContain(server.password());
                }
            }
        }
    }

    @Test
    void commandRestoreReportsConflictsMissingDatabasesAndCorruptionClearly() throws Exception {
        try (RedisServer source = RedisServer.start();
                RedisServer target = RedisServer.start(RedisServer.Options.defaults().set("databases", "4"))) {
            try (RedisClient c = source.client()) {
                for (int i = 0; i < 1500; i++) {
                    c.command("SET", "key-" + i, "v" + i);
                }
                c.select(9);
                c.command("SET", "in-db-9", "x");
            }
            byte[] rdb = RedisTestData.save(source);
            try (RedisClient c = target.client()) {
                c.command("SET", "key-700", "already here");
            }
            RedisSource redis = new RedisSource(RedisTestData.connection(target), temp);
            DatabaseSource.RestoreOptions keep = new DatabaseSource.RestoreOptions(false, 1, false, false);
            assertThatThrownBy(() -> redis.restore(new ByteArrayInputStream(rdb), keep))
                    .isInstanceOf(BackupException.class)
                    .hasMessageContaining("RESTORE of key 'key-700' in db 0 was refused: BUSYKEY")
                    .hasMessageContaining("partial restore");
            DatabaseSource.RestoreOptions clean = new DatabaseSource.RestoreOptions(true, 1, false, false);
            assertThatThrownBy(() -> redis.restore(new ByteArrayInputStream(rdb), clean))
                    .isInstanceOf(BackupException.class)
                    .hasMessageContaining("SELECT 9")
                    .hasMessageContaining("databases");
            byte[] damaged = rdb.clone();
            int at = RdbParserTest.indexOf(rdb, "v1234".getBytes(StandardCharsets.US_ASCII));
            damaged[at + 1] = '9';
            assertThatThrownBy(() -> redis.restore(new ByteArrayInputStream(damaged), clean))
                    .isInstanceOf(BackupException.class)
                    .hasMessageContaining("checksum does not match")
                    .hasMessageContaining("partial restore");
        }
    }

    @Test
    void abortStopsATransferAtOnce() throws Exception {
        try (RedisServer server = RedisServer.start()) {
            fill(server, 100);
            RedisSource redis = new RedisSource(RedisTestData.connection(server), temp);
            DatabaseSource.RunningDump dump = redis.startDump(redis.inspect());
            InputStream in = dump.stream();
            in.readNBytes(100_000);
            long start = System.nanoTime();
            dump.abort();
            assertThatThrownBy(() -> in.transferTo(java.io.OutputStream.nullOutputStream()))
                    .isInstanceOf(BackupException.class).hasMessageContaining("aborted");
            dump.close();
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
            try (RedisClient c = server.client()) {
                assertThat(c.command("PING")).isEqualTo("PONG");
            }
        }
    }

    @Test
    void damagedBackupIsFoundByVerifyAndRefusedByRestore() throws Exception {
        try (RedisServer source = RedisServer.start(); RedisServer target = RedisServer.start()) {
            try (RedisClient c = source.client()) {
                RedisTestData.seedEveryType(c);
            }
            BackupResult b = engine().backup(BackupRequest.of(RedisTestData.connection(source), repository(), "r"));
            Path data;
            try (Stream<Path> list = Files.list(temp.resolve("repo/r").resolve(b.id()))) {
                data = list.filter(p -> p.getFileName().toString().startsWith("data.")).findFirst().orElseThrow();
            }
            try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(data.toFile(), "rw")) {
                f.setLength(f.length() - 10);
            }
            io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord v = engine().verify(
                    new io.jenkins.plugins.dbbackup.engine.VerifyRequest(repository(), "r", b.id(),
                            io.jenkins.plugins.dbbackup.engine.verify.VerifyLevel.STRUCTURE, null, null, true));
            assertThat(v.outcome()).isEqualTo("SIZE_MISMATCH");
            Throwable t = catchThrowable(() -> engine().restore(new io.jenkins.plugins.dbbackup.engine.RestoreRequest(
                    repository(), "r", b.id(), null, RedisTestData.connection(target), false, false, false, null, 1)));
            assertThat(t).isInstanceOf(IOException.class).hasMessageContaining("damaged");
            try (RedisClient c = target.client()) {
                assertThat(c.command("DBSIZE")).isEqualTo(0L);
            }
            MATRIX.row("stored object truncated by 10 bytes", "verify + restore",
                    "SIZE_MISMATCH; restore refused before touching the server", v.outcome() + "; restore: "
                            + t.getMessage());
        }
    }

    private void assertRepositoryEmpty() throws IOException {
        Path repo = temp.resolve("repo");
        if (Files.exists(repo)) {
            try (Stream<Path> files = Files.walk(repo)) {
                assertThat(files.filter(Files::isRegularFile)).isEmpty();
            }
        }
    }

    /** About {@code megabytes} MB of incompressible values. */
    static void fill(RedisServer server, int megabytes) {
        Random random = new Random(5);
        try (RedisClient c = server.client()) {
            for (int i = 0; i < megabytes; i++) {
                byte[] value = new byte[1024 * 1024];
                random.nextBytes(value);
                c.command("SET".getBytes(), ("fill-" + i).getBytes(StandardCharsets.UTF_8), value);
            }
        }
    }

    static byte[] rewriteVersion(byte[] rdb, String version) {
        byte[] out = rdb.clone();
        byte[] v = version.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(v, 0, out, 5, 4);
        long crc = Crc64.update(0, out, 0, out.length - 8);
        for (int i = 0; i < 8; i++) {
            out[out.length - 8 + i] = (byte) (crc >>> (8 * i));
        }
        return out;
    }
}
