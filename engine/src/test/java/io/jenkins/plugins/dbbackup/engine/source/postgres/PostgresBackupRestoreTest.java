package io.jenkins.plugins.dbbackup.engine.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.BackupEngine;
import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.BackupResult;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.EngineOptions;
import io.jenkins.plugins.dbbackup.engine.ProcessSnooper;
import io.jenkins.plugins.dbbackup.engine.ProgressListener;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.RestoreRequest;
import io.jenkins.plugins.dbbackup.engine.RestoreResult;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Backup and restore of PostgreSQL against a real server. */
@ExtendWith(ThrowawayServers.class)
class PostgresBackupRestoreTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer pg;

    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final ProgressListener listener = log::add;

    @BeforeAll
    static void server(PostgresServer server) {
        pg = server;
    }

    /** A new database with awkward content: types, schemas, views, functions, sequences, comments. */
    static String sampleDatabase(int rows) {
        String db = "sample_" + DATABASES.incrementAndGet();
        pg.createDatabase(db);
        pg.execute(db,
                "CREATE SCHEMA sales",
                "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TABLE sales.customers (id bigserial PRIMARY KEY, name text NOT NULL, mood mood,"
                        + " tags text[], doc jsonb, photo bytea, seen timestamptz, amount numeric(12,3))",
                "CREATE TABLE public.\"Weird Name\" (\"Col\" int, note text)",
                "CREATE TABLE public.empty_table (x int)",
                "CREATE INDEX ON sales.customers (name)",
                "CREATE VIEW sales.happy AS SELECT id, name FROM sales.customers WHERE mood = 'happy'",
                "CREATE FUNCTION sales.double_it(x int) RETURNS int LANGUAGE sql AS 'SELECT x * 2'",
                "COMMENT ON TABLE sales.customers IS 'Customers, with ''quotes'' and ünïcödé'",
                "INSERT INTO sales.customers (name, mood, tags, doc, photo, seen, amount)"
                        + " SELECT 'name ' || g || E' \\t\\n''\"\\\\', (ARRAY['sad','ok','happy'])[1 + g % 3]::mood,"
                        + " ARRAY['a' || g, 'b'], jsonb_build_object('g', g, 'emoji', '😀'),"
                        + " decode(md5(g::text), 'hex'), timestamptz '2026-01-01' + g * interval '1 minute',"
                        + " g * 1.125 FROM generate_series(1, " + rows + ") g",
                "INSERT INTO public.\"Weird Name\" SELECT g, 'n' FROM generate_series(1, 17) g");
        return db;
    }

    DatabaseConnection connection(String database) {
        return new DatabaseConnection(DatabaseType.POSTGRESQL, pg.host(), pg.port(), database, pg.user(),
                Secret.of(pg.password()));
    }

    BackupEngine engine() {
        return new BackupEngine(EngineOptions.defaults(), listener, Clock.systemUTC());
    }

    RepositorySpec repo() {
        return RepositorySpec.local(dir.resolve("repo"));
    }

    /** pg_dump's plain output, minus lines that differ between two dumps of equal content. */
    static List<String> plainDump(String database) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(pg.binDir().resolve("pg_dump").toString(), "--no-owner",
                "-h", pg.host(), "-p", String.valueOf(pg.port()), "-U", pg.user(), "-d", database);
        pb.environment().put("PGPASSWORD", pg.password()); // test-only: the test's own comparison tool
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        List<String> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("-- Dumped") || line.startsWith("\\restrict") || line.startsWith("\\unrestrict")) {
                continue;
            }
            lines.add(line);
        }
        return lines;
    }

    @Test
    void roundTripRestoresIdenticalContent() throws Exception {
        String db = sampleDatabase(3000);
        BackupResult backup = engine().backup(BackupRequest.of(connection(db), repo(), "rt"));
        assertThat(backup.originalBytes()).isPositive();
        assertThat(backup.storedSha256()).hasSize(64);

        RestoreResult restored = engine().restore(new RestoreRequest(repo(), "rt", "latest", null,
                connection(db + "_copy"), true, false, true, null, 1));
        assertThat(restored.backupId()).isEqualTo(backup.id());
        assertThat(restored.safetyBackupId()).isNull();
        assertThat(plainDump(db + "_copy")).isEqualTo(plainDump(db));
    }

    @Test
    void parallelRestoreGivesTheSameContent() throws Exception {
        String db = sampleDatabase(2000);
        engine().backup(BackupRequest.of(connection(db), repo(), "par"));
        engine().restore(new RestoreRequest(repo(), "par", null, null, connection(db + "_par"), true, false, true, null, 3));
        assertThat(plainDump(db + "_par")).isEqualTo(plainDump(db));
        try (Stream<Path> leftovers = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(leftovers.map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.startsWith("dbbackup-restore-"));
        }
    }

    @Test
    void manifestHoldsExactRowCountsAndNoSecret() throws Exception {
        String db = sampleDatabase(1234);
        BackupResult backup = engine().backup(BackupRequest.of(connection(db), repo(), "counts"));
        List<BackupManifest> listed = engine().list(repo(), "counts");
        assertThat(listed).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo(backup.id());
            assertThat(m.verification().tables()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "sales.customers", 1234L, "public.Weird Name", 17L, "public.empty_table", 0L));
            assertThat(m.verification().countMethod()).isEqualTo("exported-snapshot");
            assertThat(m.source().serverVersion()).isEqualTo(pg.version());
            assertThat(m.stored().sha256()).isEqualTo(backup.storedSha256());
        });
        try (Stream<Path> files = Files.walk(dir.resolve("repo"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).doesNotContain(pg.password());
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
            }
        }
        assertThat(String.join("\n", log)).doesNotContain(pg.password());
    }

    @Test
    void passwordNeverAppearsInAnyProcessWhileBackingUp() throws Exception {
        String db = sampleDatabase(60_000);
        List<Path> passFilesSeen = Collections.synchronizedList(new ArrayList<>());
        Path tmp = dir.resolve("tmp");
        Files.createDirectories(tmp);
        BackupEngine engine = new BackupEngine(new EngineOptions(null, tmp, true), listener, Clock.systemUTC());
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try (Stream<Path> files = Files.list(tmp)) {
                    files.forEach(f -> {
                        try {
                            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
                            passFilesSeen.add(f);
                        } catch (IOException gone) {
                            // deleted meanwhile
                        }
                    });
                } catch (IOException ignored) {
                    // directory busy
                }
            }
        });
        watcher.start();
        try (ProcessSnooper snooper = ProcessSnooper.watchFor(pg.password())) {
            for (int i = 0; i < 3; i++) {
                engine.backup(BackupRequest.of(connection(db), repo(), "ps"));
            }
            snooper.close();
            assertThat(snooper.commandLinesSeen()).anyMatch(cmd -> cmd.contains("pg_dump"));
            assertThat(snooper.leaks()).isEmpty();
        } finally {
            watcher.interrupt();
            watcher.join();
        }
        assertThat(passFilesSeen).isNotEmpty();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("credential files are deleted").isEmpty();
        }
    }

    @Test
    void wrongPasswordFailsClearlyAndStoresNothing() throws Exception {
        String db = sampleDatabase(10);
        DatabaseConnection wrong = new DatabaseConnection(DatabaseType.POSTGRESQL, pg.host(), pg.port(), db, pg.user(),
                Secret.of("not-the-password-xyz"));
        assertThatThrownBy(() -> engine().backup(BackupRequest.of(wrong, repo(), "bad")))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("password authentication failed")
                .hasMessageNotContaining("not-the-password-xyz");
        assertThat(dir.resolve("repo")).doesNotExist();
    }

    @Test
    void missingDatabaseFailsClearlyAndStoresNothing() {
        assertThatThrownBy(() -> engine().backup(BackupRequest.of(connection("no_such_db"), repo(), "bad")))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("\"no_such_db\" does not exist");
        assertThat(dir.resolve("repo")).doesNotExist();
    }

    @Test
    void dumpToolThatFailsMidStreamLeavesNothing() throws Exception {
        String db = sampleDatabase(100);
        // a pg_dump that writes a valid-looking start, then fails: the stored object must be discarded
        Path tools = fakeTool("pg_dump", "#!/bin/sh\n"
                + "case \"$1\" in --version) echo 'pg_dump (PostgreSQL) " + pg.version() + "'; exit 0;; esac\n"
                + "printf 'PGDMP partial'\necho 'pg_dump: error: connection lost' >&2\nexit 1\n");
        BackupEngine engine = new BackupEngine(new EngineOptions(tools, null, false), listener, Clock.systemUTC());
        assertThatThrownBy(() -> engine.backup(BackupRequest.of(connection(db), repo(), "partial")))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("exit code 1").hasMessageContaining("connection lost");
        assertNothingStored();
    }

    @Test
    void emptyDumpIsNotABackup() throws Exception {
        String db = sampleDatabase(1);
        Path tools = fakeTool("pg_dump", "#!/bin/sh\n"
                + "case \"$1\" in --version) echo 'pg_dump (PostgreSQL) " + pg.version() + "'; exit 0;; esac\nexit 0\n");
        BackupEngine engine = new BackupEngine(new EngineOptions(tools, null, false), listener, Clock.systemUTC());
        assertThatThrownBy(() -> engine.backup(BackupRequest.of(connection(db), repo(), "empty")))
                .hasMessageContaining("produced no data");
        assertNothingStored();
    }

    @Test
    void implausiblySmallDumpIsNotABackup() throws Exception {
        String db = sampleDatabase(1);
        Path tools = fakeTool("pg_dump", "#!/bin/sh\n"
                + "case \"$1\" in --version) echo 'pg_dump (PostgreSQL) " + pg.version() + "'; exit 0;; esac\n"
                + "printf PGDMP\n");
        BackupEngine engine = new BackupEngine(new EngineOptions(tools, null, false), listener, Clock.systemUTC());
        assertThatThrownBy(() -> engine.backup(BackupRequest.of(connection(db), repo(), "tiny")))
                .hasMessageContaining("only 5 bytes");
        assertNothingStored();
    }

    @Test
    void dumpKilledMidStreamLeavesNothing() throws Exception {
        String db = sampleDatabase(100);
        Path tools = fakeTool("pg_dump", "#!/bin/sh\n"
                + "case \"$1\" in --version) echo 'pg_dump (PostgreSQL) " + pg.version() + "'; exit 0;; esac\n"
                + "printf 'PGDMP'\nhead -c 5000000 /dev/zero\nkill -9 $$\n");
        BackupEngine engine = new BackupEngine(new EngineOptions(tools, null, false), listener, Clock.systemUTC());
        assertThatThrownBy(() -> engine.backup(BackupRequest.of(connection(db), repo(), "killed")))
                .isInstanceOf(BackupException.class).hasMessageContaining("exit code 137, killed by signal 9");
        assertNothingStored();
    }

    @Test
    void interruptStopsTheDumpAndLeavesNothing() throws Exception {
        String db = sampleDatabase(10);
        Path tools = fakeTool("pg_dump", "#!/bin/sh\n"
                + "case \"$1\" in --version) echo 'pg_dump (PostgreSQL) " + pg.version() + "'; exit 0;; esac\n"
                + "printf 'PGDMP'\nexec sleep 600\n");
        BackupEngine engine = new BackupEngine(new EngineOptions(tools, null, false), listener, Clock.systemUTC());
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        Thread backup = new Thread(() -> {
            try {
                engine.backup(BackupRequest.of(connection(db), repo(), "interrupted"));
            } catch (Throwable t) {
                thrown.add(t);
            }
        });
        backup.start();
        Thread.sleep(1500);
        long start = System.nanoTime();
        backup.interrupt();
        backup.join(20_000);
        assertThat(backup.isAlive()).isFalse();
        assertThat((System.nanoTime() - start) / 1_000_000_000).isLessThan(10);
        assertThat(thrown).singleElement().isInstanceOf(InterruptedException.class);
        assertNothingStored();
        try (ProcessSnooper snooper = ProcessSnooper.watchFor("never-there-" + System.nanoTime())) {
            Thread.sleep(50);
            snooper.close();
            assertThat(snooper.commandLinesSeen()).noneMatch(cmd -> cmd.contains("sleep 600"));
        }
    }

    @Test
    void dumpToolOlderThanTheServerIsRefused() throws Exception {
        String db = sampleDatabase(1);
        Path tools = fakeTool("pg_dump", "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n");
        BackupEngine engine = new BackupEngine(new EngineOptions(tools, null, false), listener, Clock.systemUTC());
        assertThatThrownBy(() -> engine.backup(BackupRequest.of(connection(db), repo(), "old")))
                .hasMessageContaining("pg_dump 9.6.24 is older than the PostgreSQL " + pg.majorVersion() + " server")
                .hasMessageContaining("postgresql-client-" + pg.majorVersion());
    }

    @Test
    void missingDumpToolNamesThePackage() throws Exception {
        String db = sampleDatabase(1);
        Path empty = Files.createDirectories(dir.resolve("no-tools"));
        BackupEngine engine = new BackupEngine(new EngineOptions(empty, null, false), listener, Clock.systemUTC());
        assertThatThrownBy(() -> engine.backup(BackupRequest.of(connection(db), repo(), "none")))
                .hasMessageContaining("pg_dump was not found").hasMessageContaining("postgresql-client");
    }

    @Test
    void restoreRefusesBeforeTouchingAnything() throws Exception {
        String db = sampleDatabase(5);
        engine().backup(BackupRequest.of(connection(db), repo(), "refuse"));
        // existing, non-empty target without clean
        assertThatThrownBy(() -> engine().restore(new RestoreRequest(repo(), "refuse", null, null, connection(db),
                false, false, true, null, 1))).hasMessageContaining("exists and is not empty");
        // create over an existing database
        assertThatThrownBy(() -> engine().restore(new RestoreRequest(repo(), "refuse", null, null, connection(db),
                true, false, true, null, 1))).hasMessageContaining("already exists");
        // missing target without create
        assertThatThrownBy(() -> engine().restore(new RestoreRequest(repo(), "refuse", null, null,
                connection(db + "_missing"), false, false, true, null, 1))).hasMessageContaining("does not exist");
        assertThat(pg.listDatabases()).doesNotContain(db + "_missing");
        assertThat(engine().list(repo(), null)).hasSize(1); // no safety backup was taken
    }

    @Test
    void cleanRestoreTakesASafetyBackupThatItselfRestores() throws Exception {
        String db = sampleDatabase(50);
        engine().backup(BackupRequest.of(connection(db), repo(), "safety"));
        List<String> before = plainDump(db);
        pg.execute(db, "INSERT INTO public.empty_table VALUES (42)");
        List<String> changed = plainDump(db);

        RestoreResult result = engine().restore(new RestoreRequest(repo(), "safety", null, null, connection(db),
                false, true, true, null, 1));
        assertThat(result.safetyBackupId()).isNotNull();
        assertThat(plainDump(db)).isEqualTo(before);

        engine().restore(new RestoreRequest(repo(), "safety-pre-restore", result.safetyBackupId(), null,
                connection(db + "_safety"), true, false, true, null, 1));
        assertThat(plainDump(db + "_safety")).isEqualTo(changed);
    }

    private Path fakeTool(String name, String script) throws IOException {
        Path tools = Files.createDirectories(dir.resolve("fake-tools"));
        Path tool = tools.resolve(name);
        Files.writeString(tool, script);
        tool.toFile().setExecutable(true);
        return tools;
    }

    // --- directory format with parallel jobs (issue #11) ---

    private BackupRequest directoryRequest(String db, String set, int jobs) {
        return new BackupRequest(connection(db), repo(), set, null, null,
                new io.jenkins.plugins.dbbackup.engine.source.DatabaseSource.DumpOptions(true, jobs));
    }

    private Path privateTemp() throws IOException {
        return Files.createDirectories(dir.resolve("tmp"));
    }

    private void assertTempEmpty(Path temp) throws IOException {
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).as("left in the temp directory").isEmpty();
        }
    }

    @Test
    void directoryFormatWithTwoJobsRoundTripsVerifiesAndCleansUp() throws Exception {
        String db = sampleDatabase(2500);
        pg.execute(db, "CREATE TABLE public.second AS SELECT g AS id, md5(g::text) AS h FROM generate_series(1, 5000) g");
        Path temp = privateTemp();
        BackupEngine engine = new BackupEngine(new EngineOptions(null, temp, true), listener, Clock.systemUTC());
        BackupResult backup = engine.backup(directoryRequest(db, "dir", 2));
        assertThat(backup.kind()).isEqualTo(PostgresSource.KIND_DIRECTORY);
        assertTempEmpty(temp);
        BackupManifest m = engine.list(repo(), "dir").get(0);
        assertThat(m.kind()).isEqualTo("postgresql-directory-tar");
        assertThat(m.dataObject()).isEqualTo("data.pgdir.tar.zst");
        assertThat(m.verification().tables()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "sales.customers", 2500L, "public.Weird Name", 17L, "public.empty_table", 0L, "public.second", 5000L));
        assertThat(m.verification().countMethod()).isEqualTo("exported-snapshot");

        for (var level : List.of(io.jenkins.plugins.dbbackup.engine.verify.VerifyLevel.STRUCTURE,
                io.jenkins.plugins.dbbackup.engine.verify.VerifyLevel.RESTORE)) {
            var record = engine.verify(new io.jenkins.plugins.dbbackup.engine.VerifyRequest(repo(), "dir", "latest",
                    level, null, connection("postgres"), false));
            assertThat(record.outcome()).as(level + ": " + record.details()).isEqualTo("OK");
        }
        assertTempEmpty(temp);

        engine.restore(new RestoreRequest(repo(), "dir", null, null, connection(db + "_dir"), true, false, true, null, 2));
        assertThat(plainDump(db + "_dir")).isEqualTo(plainDump(db));
        assertTempEmpty(temp);
    }

    @Test
    void directoryStructureCheckRejectsADamagedTar() throws Exception {
        Path tar = dir.resolve("cut.tar");
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("toc.dat"), "PGDMP" + "x".repeat(2000));
        try (var in = DirectoryTar.stream(src)) {
            Files.write(tar, java.util.Arrays.copyOf(in.readAllBytes(), 1500));
        }
        var checker = io.jenkins.plugins.dbbackup.engine.source.Sources.formatChecker(PostgresSource.KIND_DIRECTORY,
                new EngineOptions(null, privateTemp(), true));
        try (var in = Files.newInputStream(tar)) {
            assertThat(checker.check(in)).hasValueSatisfying(problem -> assertThat(problem).contains("cut off"));
        }
        assertTempEmpty(dir.resolve("tmp"));
    }

    @Test
    void failingDirectoryDumpLeavesNoTempDirectoryAndNothingStored() throws Exception {
        String db = sampleDatabase(10);
        Path tools = fakeTool("pg_dump", "#!/bin/sh\n"
                + "case \"$1\" in --version) echo 'pg_dump (PostgreSQL) " + pg.version() + "'; exit 0;; esac\n"
                + "for a in \"$@\"; do case \"$a\" in --file=*) d=\"${a#--file=}\";; esac; done\n"
                + "mkdir -p \"$d\" && printf 'PGDMP partial' > \"$d/toc.dat\"\n"
                + "echo 'pg_dump: error: a worker process died unexpectedly' >&2\nexit 1\n");
        Path temp = privateTemp();
        BackupEngine engine = new BackupEngine(new EngineOptions(tools, temp, false), listener, Clock.systemUTC());
        assertThatThrownBy(() -> engine.backup(directoryRequest(db, "dirfail", 2)))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("exit code 1").hasMessageContaining("worker process died");
        assertNothingStored();
        assertTempEmpty(temp);
    }

    @Test
    void interruptedDirectoryDumpLeavesNoTempDirectoryAndNothingStored() throws Exception {
        String db = sampleDatabase(10);
        Path started = dir.resolve("started");
        Path tools = fakeTool("pg_dump", "#!/bin/sh\n"
                + "case \"$1\" in --version) echo 'pg_dump (PostgreSQL) " + pg.version() + "'; exit 0;; esac\n"
                + "for a in \"$@\"; do case \"$a\" in --file=*) d=\"${a#--file=}\";; esac; done\n"
                + "mkdir -p \"$d\" && printf 'PGDMP' > \"$d/toc.dat\" && touch '" + started + "'\nexec sleep 600\n");
        Path temp = privateTemp();
        BackupEngine engine = new BackupEngine(new EngineOptions(tools, temp, false), listener, Clock.systemUTC());
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        Thread backup = new Thread(() -> {
            try {
                engine.backup(directoryRequest(db, "dirint", 2));
            } catch (Throwable t) {
                thrown.add(t);
            }
        });
        backup.start();
        while (!Files.exists(started) && backup.isAlive()) {
            Thread.sleep(20);
        }
        backup.interrupt();
        backup.join(60_000);
        assertThat(backup.isAlive()).isFalse();
        assertThat(thrown).singleElement().isInstanceOf(InterruptedException.class);
        assertNothingStored();
        assertTempEmpty(temp);
    }

    @Test
    void restoreOfAnUnknownKindIsRefusedBeforeTheTargetIsTouched() throws Exception {
        String db = sampleDatabase(5);
        engine().backup(BackupRequest.of(connection(db), repo(), "future"));
        Path manifest;
        try (Stream<Path> files = Files.walk(dir.resolve("repo"))) {
            manifest = files.filter(p -> p.getFileName().toString().equals("manifest.json")).findFirst().orElseThrow();
        }
        Files.writeString(manifest, Files.readString(manifest).replace("\"postgresql-custom\"", "\"postgresql-future\""));
        assertThatThrownBy(() -> engine().restore(new RestoreRequest(repo(), "future", null, null,
                connection(db + "_future"), true, false, true, null, 1)))
                .isInstanceOf(BackupException.class).hasMessageContaining("'postgresql-future' cannot be restored");
        assertThat(pg.queryLong("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + db + "_future'"))
                .isZero();
    }

    @Test
    void directoryFormatIsRefusedForOtherDatabases() {
        DatabaseConnection maria = new DatabaseConnection(DatabaseType.MARIADB, "127.0.0.1", 3306, "shop", "root",
                Secret.of("pw"));
        assertThatThrownBy(() -> new BackupRequest(maria, repo(), "x", null, null,
                new io.jenkins.plugins.dbbackup.engine.source.DatabaseSource.DumpOptions(true, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PostgreSQL only");
    }

    private void assertNothingStored() throws IOException {
        Path repo = dir.resolve("repo");
        if (!Files.exists(repo)) {
            return;
        }
        try (Stream<Path> files = Files.walk(repo)) {
            assertThat(files.filter(Files::isRegularFile).toList()).as("files left in the repository").isEmpty();
        }
        assertThat(engine().list(repo(), null)).isEmpty();
    }
}
