package io.jenkins.plugins.dbbackup.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.dbbackup.engine.faults.BackupChild;
import io.jenkins.plugins.dbbackup.engine.faults.FaultMatrix;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.BackupRepository;
import io.jenkins.plugins.dbbackup.engine.repository.PruneLease;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionPolicy;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.engine.storage.FaultyStorage;
import io.jenkins.plugins.dbbackup.engine.storage.LocalStorage;
import io.jenkins.plugins.dbbackup.engine.verify.VerifyLevel;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults injected at precise points of backup, verify, restore and prune on PostgreSQL. Every row asserts: a clear
 * error, nothing half-written listed as complete, every backup listed before still there, and the next operation
 * works. Each row is recorded in target/reliability/fault-matrix-postgresql.md.
 */
@Tag("faults")
@ExtendWith(ThrowawayServers.class)
class FaultMatrixPostgresTest {
    static final FaultMatrix MATRIX = FaultMatrix.named("postgresql");
    static PostgresServer pg;
    static String db;

    @TempDir
    Path dir;

    @BeforeAll
    static void database(PostgresServer server) {
        pg = server;
        db = "faults_" + System.nanoTime();
        pg.createDatabase(db);
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, payload text)",
                "INSERT INTO t SELECT g, md5(g::text) || repeat('x', 200) FROM generate_series(1, 40000) g");
    }

    @AfterAll
    static void writeMatrix() throws IOException {
        MATRIX.write();
    }

    DatabaseConnection connection() {
        return new DatabaseConnection(DatabaseType.POSTGRESQL, pg.host(), pg.port(), db, pg.user(), Secret.of(pg.password()));
    }

    RepositorySpec repo() {
        return RepositorySpec.local(dir.resolve("repo"));
    }

    BackupEngine engine(EngineOptions options) {
        return new BackupEngine(options, ProgressListener.NONE, Clock.systemUTC());
    }

    BackupEngine engine() {
        return engine(EngineOptions.defaults());
    }

    /** One good backup, to prove nothing already there is lost. */
    BackupResult baseline() throws Exception {
        return engine().backup(BackupRequest.of(connection(), repo(), "set"));
    }

    /** The repository holds exactly the given complete backups and no other file but theirs. */
    void assertOnly(List<String> ids) throws IOException {
        assertThat(engine().list(repo(), null)).extracting(BackupManifest::id).containsExactlyInAnyOrderElementsOf(ids);
        try (Stream<Path> files = Files.walk(dir.resolve("repo"))) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getParent().getFileName().toString()))
                    .as("files outside complete backups").allMatch(ids::contains);
        }
    }

    /** A pg_dump shim that streams the real dump, then dies by SIGKILL after {@code limit} bytes. */
    Path dyingPgDump(long limit) throws IOException {
        Path tools = Files.createDirectories(dir.resolve("tools-" + limit));
        Path real = pg.binDir().resolve("pg_dump");
        Path shim = tools.resolve("pg_dump");
        Files.writeString(shim, "#!/bin/sh\ncase \"$1\" in --version) exec " + real + " --version;; esac\n"
                + real + " \"$@\" | { head -c " + limit + "; kill -9 $$; }\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwx------"));
        return tools;
    }

    @ParameterizedTest(name = "pg_dump killed at {0}%")
    @ValueSource(ints = {0, 50, 99})
    void dumpKilledMidStream(int percent) throws Exception {
        BackupResult good = baseline();
        long limit = good.originalBytes() * percent / 100;
        BackupEngine dying = engine(new EngineOptions(dyingPgDump(limit), null, false));
        Throwable thrown = catchThrowable(() -> dying.backup(BackupRequest.of(connection(), repo(), "set")));
        assertThat(thrown).isInstanceOf(BackupException.class).hasMessageContaining("pg_dump failed (exit code 137, killed by signal 9)");
        assertOnly(List.of(good.id()));
        BackupResult next = baseline();
        assertOnly(List.of(good.id(), next.id()));
        MATRIX.row("pg_dump SIGKILLed at " + percent + "% of the dump", "backup",
                "clear error, nothing stored, next backup works", "BackupException: " + thrown.getMessage());
    }

    @Test
    void serverDiesMidDump() throws Exception {
        try (PostgresServer dedicated = PostgresServer.start()) {
            dedicated.createDatabase("big");
            dedicated.execute("big", "CREATE TABLE t (id int, payload text)",
                    "INSERT INTO t SELECT g, md5(g::text) || md5((g * 7)::text) FROM generate_series(1, 1500000) g");
            DatabaseConnection c = new DatabaseConnection(DatabaseType.POSTGRESQL, dedicated.host(), dedicated.port(),
                    "big", dedicated.user(), Secret.of(dedicated.password()));
            CompletableFuture<BackupResult> backup = CompletableFuture.supplyAsync(() -> {
                try {
                    return engine().backup(BackupRequest.of(c, repo(), "big"));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            waitForTempFile(dir.resolve("repo"), 64 * 1024, backup);
            dedicated.kill();
            Throwable thrown = catchThrowable(() -> backup.get(60, TimeUnit.SECONDS));
            assertThat(thrown).hasCauseInstanceOf(RuntimeException.class);
            Throwable cause = thrown.getCause().getCause();
            assertThat(cause).isInstanceOf(BackupException.class).hasMessageContaining("pg_dump failed");
            assertOnly(List.of());
            MATRIX.row("PostgreSQL server killed (SIGKILL) mid-dump", "backup", "clear error, nothing stored",
                    "BackupException: " + cause.getMessage());
        }
    }

    @Test
    void storageFailsOnTheNthWrite() throws Exception {
        BackupResult good = baseline();
        LocalStorage local = new LocalStorage(dir.resolve("repo"));
        FaultyStorage faulty = new FaultyStorage(local).failWritesAfter(300_000);
        Throwable thrown = catchThrowable(() -> new BackupOperation(EngineOptions.defaults(), ProgressListener.NONE,
                Clock.systemUTC()).run(BackupRequest.of(connection(), repo(), "set"), faulty));
        assertThat(thrown).isInstanceOf(BackupException.class).hasMessageContaining("no space left");
        assertThat(local.leftoverTempFiles()).isEmpty();
        assertOnly(List.of(good.id()));
        MATRIX.row("storage write fails after 300 kB (injected)", "backup", "clear error, temp object removed",
                "BackupException: " + thrown.getMessage());
    }

    @Test
    void realDiskFills() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("small-disk"));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String out = new String(m.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (m.waitFor() != 0) {
            MATRIX.row("file system full (1 MiB tmpfs)", "backup", "clear error", "not run: mount refused (" + out.strip()
                    + "); covered by the injected storage failure row");
            return;
        }
        try {
            RepositorySpec small = RepositorySpec.local(mount.resolve("repo"));
            Throwable thrown = catchThrowable(() -> engine().backup(new BackupRequest(connection(), small, "set",
                    new io.jenkins.plugins.dbbackup.engine.codec.CompressionSettings(
                            io.jenkins.plugins.dbbackup.engine.codec.Compression.NONE, 0, 0), null)));
            assertThat(thrown).isInstanceOf(BackupException.class).hasMessageContaining("no space left");
            try (Stream<Path> files = Files.walk(mount)) {
                assertThat(files.filter(Files::isRegularFile)).as("nothing left on the full disk").isEmpty();
            }
            MATRIX.row("file system full (1 MiB tmpfs)", "backup", "clear error, partial file removed",
                    "BackupException: " + thrown.getMessage());
        } finally {
            new ProcessBuilder("umount", mount.toString()).start().waitFor();
        }
    }

    @Test
    void jvmKilledMidBackup() throws Exception {
        BackupResult good = baseline();
        Path pw = dir.resolve("pw");
        Files.writeString(pw, pg.password());
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        // a dump that starts and then hangs, so the JVM is surely mid-backup when it dies
        Path tools = Files.createDirectories(dir.resolve("slow-tools"));
        Path shim = tools.resolve("pg_dump");
        Files.writeString(shim, "#!/bin/sh\ncase \"$1\" in --version) exec " + pg.binDir().resolve("pg_dump")
                + " --version;; esac\n" + pg.binDir().resolve("pg_dump") + " \"$@\"\nexec sleep 300\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwx------"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BackupChild.class.getName(),
                pg.host(), String.valueOf(pg.port()), db, pg.user(), pw.toString(), dir.resolve("repo").toString(), "set",
                tools.toString()).redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null && !line.startsWith("Backing up")) {
            // wait until the backup runs
        }
        waitForTempFile(dir.resolve("repo"), 0, null);
        List<ProcessHandle> descendants = child.toHandle().descendants().toList();
        child.destroyForcibly().waitFor();
        descendants.forEach(ProcessHandle::destroyForcibly);

        assertThat(engine().list(repo(), null)).extracting(BackupManifest::id).containsExactly(good.id());
        CheckResult check = engine().check(repo(), null, false, Duration.ZERO);
        assertThat(check.findings()).anyMatch(f -> f.kind() == CheckResult.Kind.LEFTOVER_TEMP
                || f.kind() == CheckResult.Kind.ORPHAN_DATA);
        BackupResult next = baseline();
        engine().verify(new VerifyRequest(repo(), "set", next.id(), VerifyLevel.CHECKSUM, null, null, true));
        PruneResult pruned = engine().prune(new PruneRequest(repo(), "set",
                RetentionPolicy.builder().keepLast(1).build(), false, "test", null));
        assertThat(pruned.deleted()).containsExactly(good.id());
        assertThat(engine().check(repo(), null, true, Duration.ZERO).repaired()).isNotEmpty();
        assertOnly(List.of(next.id()));
        MATRIX.row("the backup's JVM killed (SIGKILL) mid-backup", "backup",
                "no half backup listed; check finds the leftovers; next backup, prune and repair work",
                "listed " + 1 + " complete backup; check: " + check.findings().size() + " finding(s); repaired");
    }

    @Test
    void damagedBackupsAreFoundByVerifyAndRefusedByRestore() throws Exception {
        BackupResult flipped = baseline();
        BackupResult truncated = baseline();
        BackupResult missing = baseline();
        Path repoDir = dir.resolve("repo/set");
        try (RandomAccessFile f = new RandomAccessFile(dataFile(repoDir, flipped.id()).toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x01);
        }
        try (RandomAccessFile f = new RandomAccessFile(dataFile(repoDir, truncated.id()).toFile(), "rw")) {
            f.setLength(f.length() - 100);
        }
        Files.delete(dataFile(repoDir, missing.id()));
        record Case(BackupResult backup, String fault, String outcome) {}
        for (Case c : List.of(new Case(flipped, "one bit flipped in the stored object", "CHECKSUM_MISMATCH"),
                new Case(truncated, "stored object truncated by 100 bytes", "SIZE_MISMATCH"),
                new Case(missing, "data object deleted", "MISSING"))) {
            VerificationRecord v = engine().verify(new VerifyRequest(repo(), "set", c.backup().id(),
                    VerifyLevel.STRUCTURE, null, null, true));
            assertThat(v.outcome()).isEqualTo(c.outcome());
            Throwable restore = catchThrowable(() -> engine().restore(new RestoreRequest(repo(), "set",
                    c.backup().id(), null, connection().withDatabase(db + "_r" + System.nanoTime()), true, false, true,
                    null, 1)));
            assertThat(restore).isInstanceOf(IOException.class);
            assertThat(pg.listDatabases()).noneMatch(name -> name.startsWith(db + "_r"));
            MATRIX.row(c.fault(), "verify + restore", c.outcome() + "; restore refused before touching a database",
                    v.outcome() + "; restore: " + restore.getMessage());
        }
    }

    @Test
    void manifestPointingToNothing() throws Exception {
        BackupResult good = baseline();
        Path manifest = dir.resolve("repo/set/" + good.id() + "/manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"data.pgdump.zst\"", "\"data.elsewhere.zst\""));
        VerificationRecord v = engine().verify(new VerifyRequest(repo(), "set", good.id(), VerifyLevel.CHECKSUM, null,
                null, false));
        assertThat(v.outcome()).isEqualTo("MISSING");
        assertThat(engine().check(repo(), null, false, Duration.ofDays(1)).findings())
                .anyMatch(f -> f.kind() == CheckResult.Kind.MISSING_DATA);
        MATRIX.row("manifest names a data object that does not exist", "verify + check", "MISSING; check reports it",
                v.outcome() + "; " + v.details());
    }

    @Test
    void twoBackupsOfOneSetAtOnce() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<BackupResult>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    return baseline();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        go.countDown();
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<BackupResult> run : runs) {
            ids.add(run.get(120, TimeUnit.SECONDS).id());
        }
        assertThat(ids).doesNotHaveDuplicates();
        assertOnly(ids);
        MATRIX.row("two backups of the same set at once", "backup", "both complete with distinct ids",
                "ids " + ids);
    }

    @Test
    void pruneDuringABackupAndTwoPrunesAtOnce() throws Exception {
        BackupResult old = baseline();
        BackupResult newest = baseline();
        engine().verify(new VerifyRequest(repo(), "set", newest.id(), VerifyLevel.CHECKSUM, null, null, true));
        // a backup hangs mid-dump while a prune runs
        Path tools = Files.createDirectories(dir.resolve("hang-tools"));
        Path shim = tools.resolve("pg_dump");
        Files.writeString(shim, "#!/bin/sh\ncase \"$1\" in --version) exec " + pg.binDir().resolve("pg_dump")
                + " --version;; esac\nprintf PGDMP\nexec sleep 30\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwx------"));
        Thread running = new Thread(() -> {
            try {
                engine(new EngineOptions(tools, null, false)).backup(BackupRequest.of(connection(), repo(), "set"));
            } catch (Exception expected) {
                // interrupted below
            }
        });
        running.start();
        waitForTempFile(dir.resolve("repo"), 0, null);
        PruneResult pruned = engine().prune(new PruneRequest(repo(), "set", RetentionPolicy.builder().keepLast(1).build(),
                false, "test", null));
        assertThat(pruned.deleted()).containsExactly(old.id());
        assertThat(new LocalStorage(dir.resolve("repo")).leftoverTempFiles()).as("the running backup's data").hasSize(1);
        running.interrupt();
        running.join(30_000);
        MATRIX.row("prune while a backup of the set runs", "prune", "the running backup is untouched",
                "removed " + pruned.deleted() + ", the running backup's temp object intact");

        LocalStorage storage = new LocalStorage(dir.resolve("repo"));
        try (PruneLease held = PruneLease.acquire(storage, "set", "first prune", Duration.ofMinutes(5), Clock.systemUTC())) {
            Throwable second = catchThrowable(() -> engine().prune(new PruneRequest(repo(), "set",
                    RetentionPolicy.builder().keepLast(1).build(), false, "second prune", null)));
            assertThat(second).isInstanceOf(PruneLease.HeldException.class).hasMessageContaining("first prune");
            MATRIX.row("two prunes of one set at once", "prune", "the second stops, naming the holder",
                    second.getMessage());
        }
        assertOnly(List.of(newest.id()));
    }

    @Test
    void wrongKeysAreKeyUnavailableAndRestoreTouchesNothing() throws Exception {
        io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings toPassphrase =
                new io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings(List.of(), Secret.of("right passphrase"));
        BackupResult encrypted = engine().backup(new BackupRequest(connection(), repo(), "enc",
                io.jenkins.plugins.dbbackup.engine.codec.CompressionSettings.defaults(), toPassphrase));
        record Case(String fault, io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys keys) {}
        for (Case c : List.of(
                new Case("wrong passphrase", io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys.ofPassphrase(
                        Secret.of("wrong passphrase"))),
                new Case("no key given", null))) {
            VerificationRecord v = engine().verify(new VerifyRequest(repo(), "enc", encrypted.id(),
                    VerifyLevel.STRUCTURE, c.keys(), null, false));
            assertThat(v.outcome()).isEqualTo("KEY_UNAVAILABLE");
            String target = db + "_k" + System.nanoTime();
            Throwable restore = catchThrowable(() -> engine().restore(new RestoreRequest(repo(), "enc", encrypted.id(),
                    null, connection().withDatabase(target), true, false, true, c.keys(), 1)));
            assertThat(restore).isInstanceOf(BackupException.class).hasMessageNotContaining("right passphrase");
            assertThat(pg.listDatabases()).doesNotContain(target);
            MATRIX.row(c.fault() + " for an encrypted backup", "verify + restore",
                    "KEY_UNAVAILABLE; restore refused before creating the target", v.outcome() + "; restore: "
                            + restore.getMessage());
        }
        VerificationRecord ok = engine().verify(new VerifyRequest(repo(), "enc", encrypted.id(), VerifyLevel.STRUCTURE,
                io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys.ofPassphrase(Secret.of("right passphrase")),
                null, false));
        assertThat(ok.outcome()).isEqualTo("OK");
    }

    private static Path dataFile(Path setDir, String id) throws IOException {
        try (Stream<Path> files = Files.list(setDir.resolve(id))) {
            return files.filter(p -> p.getFileName().toString().startsWith("data.")).findFirst().orElseThrow();
        }
    }

    /** Waits until a temp object of at least {@code bytes} exists under {@code root}. */
    private static void waitForTempFile(Path root, long bytes, CompletableFuture<?> failFast) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (failFast != null && failFast.isDone()) {
                failFast.get(); // surfaces an early failure
                throw new AssertionError("the backup finished before the fault could be injected");
            }
            if (Files.exists(root)) {
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path p : files.filter(f -> LocalStorage.isTempName(f.getFileName().toString())).toList()) {
                        try {
                            if (Files.size(p) >= bytes) {
                                return;
                            }
                        } catch (IOException gone) {
                            // committed or removed meanwhile
                        }
                    }
                } catch (IOException | java.io.UncheckedIOException raced) {
                    // files come and go
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no temp object of " + bytes + " bytes appeared under " + root);
    }
}
