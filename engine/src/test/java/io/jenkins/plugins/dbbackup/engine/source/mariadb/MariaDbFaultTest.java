package io.jenkins.plugins.dbbackup.engine.source.mariadb;

import static io.jenkins.plugins.dbbackup.engine.source.mariadb.MariaDbFixtures.connection;
import static io.jenkins.plugins.dbbackup.engine.source.mariadb.MariaDbFixtures.files;
import static io.jenkins.plugins.dbbackup.engine.source.mariadb.MariaDbFixtures.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.dbbackup.engine.BackupEngine;
import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.EngineOptions;
import io.jenkins.plugins.dbbackup.engine.ProgressListener;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.faults.FaultMatrix;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.testsupport.MariaDbServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed backups and restores of MariaDB: a clear one-line error, no secret in it, nothing stored. The rows of the
 * fault matrix go to target/reliability/fault-matrix-mariadb.md.
 */
@Tag("faults")
class MariaDbFaultTest {
    static final FaultMatrix MATRIX = FaultMatrix.named("mariadb");
    private final MariaDbServer server = MariaDbServer.shared();

    @AfterAll
    static void writeMatrix() throws IOException {
        MATRIX.write();
    }

    @TempDir
    Path repositoryDir;

    @TempDir
    Path work;

    /** The engine's own temp directory, so that option files of other builds on the machine are not counted. */
    @TempDir
    Path engineTemp;

    @Test
    void wrongPassword() {
        String db = uniqueName("pw");
        server.createDatabase(db);
        String wrong = "Wrong" + Long.toHexString(System.nanoTime());
        DatabaseConnection c = new DatabaseConnection(DatabaseType.MARIADB, server.host(), server.port(), db,
                server.user(), Secret.of(wrong));

        BackupException e = backupFails(new EngineOptions(null, engineTemp), c);

        assertThat(e.getMessage()).contains("access denied for user 'root'").contains("check the user name and password")
                .doesNotContain(wrong).doesNotContain(server.password()).doesNotContain("\n");
        assertNothingStored();
        MATRIX.row("wrong password", "backup", "one-line error, no password in it, nothing stored",
                "BackupException: " + e.getMessage());
    }

    @Test
    void restoreWithWrongPassword() throws Exception {
        String db = uniqueName("rpw");
        server.createDatabase(db);
        server.execute(db, "CREATE TABLE t (id INT)", "INSERT INTO t VALUES (1)");
        BackupEngine engine = new BackupEngine(new EngineOptions(null, engineTemp), ProgressListener.NONE, Clock.systemUTC());
        RepositorySpec repo = RepositorySpec.local(repositoryDir);
        engine.backup(BackupRequest.of(connection(server, db), repo, "rpw"));
        String wrong = "Wrong" + Long.toHexString(System.nanoTime());
        String target = uniqueName("rpw_target");
        DatabaseConnection c = new DatabaseConnection(DatabaseType.MARIADB, server.host(), server.port(), target,
                server.user(), Secret.of(wrong));

        Throwable t = catchThrowable(() -> engine.restore(new io.jenkins.plugins.dbbackup.engine.RestoreRequest(repo,
                "rpw", "latest", null, c, true, false, true, null, 1)));

        assertThat(t).isInstanceOf(BackupException.class);
        assertThat(t.getMessage()).contains("access denied").doesNotContain(wrong).doesNotContain("\n");
        assertThat(server.listDatabases()).doesNotContain(target);
        MATRIX.row("wrong password for the restore target", "restore", "one-line error, target not created",
                "BackupException: " + t.getMessage());
    }

    @Test
    void restoreRejectedByTheServerFailsWithItsReason() throws Exception {
        String db = uniqueName("rsrc");
        server.createDatabase(db);
        server.execute(db, "CREATE TABLE t (id INT)", "INSERT INTO t VALUES (1)");
        BackupEngine engine = new BackupEngine(new EngineOptions(null, engineTemp), ProgressListener.NONE, Clock.systemUTC());
        RepositorySpec repo = RepositorySpec.local(repositoryDir);
        engine.backup(BackupRequest.of(connection(server, db), repo, "rsrc"));
        String target = uniqueName("rsrc_target");
        server.createDatabase(target);
        String user = uniqueName("reader");
        String password = "Pw" + Long.toHexString(System.nanoTime());
        server.execute("", "CREATE USER '" + user + "'@'127.0.0.1' IDENTIFIED BY '" + password + "'",
                "GRANT SELECT ON `" + target + "`.* TO '" + user + "'@'127.0.0.1'");
        DatabaseConnection c = new DatabaseConnection(DatabaseType.MARIADB, server.host(), server.port(), target, user,
                Secret.of(password));

        Throwable t = catchThrowable(() -> engine.restore(new io.jenkins.plugins.dbbackup.engine.RestoreRequest(repo,
                "rsrc", "latest", null, c, false, false, false, null, 1)));

        assertThat(t).isInstanceOf(BackupException.class);
        System.out.println(t.getMessage());
        assertThat(t.getMessage()).contains("lacks a privilege").contains("mariadb exit code 1")
                .doesNotContain("--------------")
                .doesNotContain(password).doesNotContain("\n");
        assertThat(server.queryLong(target, "SELECT COUNT(*) FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = DATABASE()")).isZero();
        MATRIX.row("the server rejects the restore (user lacks CREATE)", "restore",
                "the server's reason in one line, target left empty", "BackupException: " + t.getMessage());
    }

    @Test
    void missingDatabase() {
        String db = uniqueName("missing");

        BackupException e = backupFails(new EngineOptions(null, engineTemp), connection(server, db));

        assertThat(e.getMessage()).contains("database " + db + " does not exist").doesNotContain("\n")
                .doesNotContain(server.password());
        assertNothingStored();
    }

    @Test
    void userWhoCannotSeeOtherUsersRoutinesIsRefused() {
        String db = uniqueName("routines");
        server.createDatabase(db);
        server.execute(db, "CREATE TABLE t (id INT)", "CREATE PROCEDURE p() SELECT 1");
        String user = uniqueName("noproc");
        String password = "Pw" + Long.toHexString(System.nanoTime());
        server.execute("", "CREATE USER '" + user + "'@'127.0.0.1' IDENTIFIED BY '" + password + "'",
                "GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES ON `" + db + "`.* TO '" + user + "'@'127.0.0.1'");
        DatabaseConnection c = new DatabaseConnection(DatabaseType.MARIADB, server.host(), server.port(), db, user,
                Secret.of(password));

        BackupException e = backupFails(new EngineOptions(null, engineTemp), c);

        // without the check, mariadb-dump would exit 0 with a dump that lacks procedure p
        assertThat(e.getMessage()).contains("may not read mysql.proc").contains("GRANT SELECT ON mysql.proc")
                .doesNotContain(password).doesNotContain("\n");
        assertNothingStored();
    }

    @Test
    void serverUnreachable() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        DatabaseConnection c = new DatabaseConnection(DatabaseType.MARIADB, "127.0.0.1", port, "x", "root",
                Secret.of("secret1234"));

        BackupException e = backupFails(new EngineOptions(null, engineTemp), c);

        assertThat(e.getMessage()).contains("cannot connect to the server at 127.0.0.1:" + port).doesNotContain("\n");
        assertNothingStored();
        MATRIX.row("server not listening", "backup", "one-line error, nothing stored",
                "BackupException: " + e.getMessage());
    }

    @Test
    void dumpWithoutCompletionLineIsRejected() throws Exception {
        String db = uniqueName("cut");
        server.createDatabase(db);
        server.execute(db, "CREATE TABLE t (id INT)", "INSERT INTO t SELECT seq FROM seq_1_to_1000");
        // the real tool, with its last line (the completion line) cut off and exit status 0
        Path tools = toolDirectory("/usr/bin/mariadb-dump \"$@\" | head -n -1");

        BackupException e = backupFails(new EngineOptions(tools, engineTemp), connection(server, db));

        assertThat(e.getMessage()).contains("is incomplete").contains("-- Dump completed").doesNotContain("\n");
        assertNothingStored();
        MATRIX.row("dump cut before its completion line, exit status 0", "backup",
                "rejected as incomplete, nothing stored", "BackupException: " + e.getMessage());
    }

    @Test
    void emptyDumpIsRejected() throws Exception {
        String db = uniqueName("empty");
        server.createDatabase(db);
        Path tools = toolDirectory("exit 0");

        BackupException e = backupFails(new EngineOptions(tools, engineTemp), connection(server, db));

        assertThat(e.getMessage()).contains("produced no data");
        assertNothingStored();
        MATRIX.row("dump tool exits 0 with no output", "backup", "rejected, nothing stored",
                "BackupException: " + e.getMessage());
    }

    @Test
    void failingDumpToolIsRejectedEvenAfterOutput() throws Exception {
        String db = uniqueName("failing");
        server.createDatabase(db);
        server.execute(db, "CREATE TABLE t (id INT)", "INSERT INTO t SELECT seq FROM seq_1_to_1000");
        // all of a good dump, then a non-zero exit
        Path tools = toolDirectory("/usr/bin/mariadb-dump \"$@\"; echo 'mariadb-dump: Got error: 2013: \"Lost connection"
                + " to server during query\" when dumping table `t`' >&2; exit 2");

        BackupException e = backupFails(new EngineOptions(tools, engineTemp), connection(server, db));

        assertThat(e.getMessage()).contains("lost the connection").contains("exit code 2").doesNotContain("\n");
        assertNothingStored();
        MATRIX.row("dump tool exits 2 after a complete-looking dump", "backup", "rejected, nothing stored",
                "BackupException: " + e.getMessage());
    }

    @Test
    void serverKilledMidDump() throws Exception {
        try (MariaDbServer dedicated = MariaDbServer.start()) {
            String db = "killed";
            dedicated.createDatabase(db);
            dedicated.execute(db, "CREATE TABLE big (id INT PRIMARY KEY, pad VARCHAR(250))",
                    "INSERT INTO big SELECT seq, REPEAT('x', 200) FROM seq_1_to_1000000");
            AtomicBoolean killed = new AtomicBoolean();
            Thread killer = new Thread(() -> {
                long deadline = System.currentTimeMillis() + 60_000;
                while (System.currentTimeMillis() < deadline) {
                    if (dumpProcessFor(dedicated.port())) {
                        sleep(300);
                        dedicated.kill();
                        killed.set(true);
                        return;
                    }
                    sleep(5);
                }
            });
            killer.start();

            BackupException e = backupFails(new EngineOptions(null, engineTemp), connection(dedicated, db));
            killer.join();

            assertThat(killed).isTrue();
            assertThat(e.getMessage()).contains("lost the connection").doesNotContain("\n")
                    .doesNotContain(dedicated.password());
            assertNothingStored();
            MATRIX.row("MariaDB server killed (SIGKILL) mid-dump", "backup", "one-line error, nothing stored",
                    "BackupException: " + e.getMessage());
        }
    }

    @Test
    void passwordNeverOnACommandLineAndOptionFileIsPrivateAndRemoved() throws Exception {
        String db = uniqueName("secret");
        server.createDatabase(db);
        server.execute(db, "CREATE TABLE big (id INT PRIMARY KEY, pad VARCHAR(250))",
                "INSERT INTO big SELECT seq, REPEAT('y', 200) FROM seq_1_to_300000");
        byte[] password = server.password().getBytes(StandardCharsets.UTF_8);
        AtomicBoolean stop = new AtomicBoolean();
        List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Path> optionFiles = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger dumpSamples = new java.util.concurrent.atomic.AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (!stop.get()) {
                try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                    for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                        byte[] cmdline;
                        byte[] environ;
                        try {
                            cmdline = Files.readAllBytes(proc.resolve("cmdline"));
                            environ = Files.readAllBytes(proc.resolve("environ"));
                        } catch (IOException gone) {
                            continue;
                        }
                        if (indexOf(cmdline, password) >= 0) {
                            problems.add("password on the command line of " + proc);
                        }
                        String[] args = new String(cmdline, StandardCharsets.UTF_8).split("\0");
                        if (args.length > 1 && args[0].endsWith("mariadb-dump")
                                && List.of(args).contains("--port=" + server.port())) {
                            dumpSamples.incrementAndGet();
                            if (indexOf(environ, password) >= 0) {
                                problems.add("password in the environment of the dump");
                            }
                            if (!args[1].startsWith("--defaults-extra-file=")) {
                                problems.add("first argument is " + args[1]);
                                continue;
                            }
                            Path file = Path.of(args[1].substring("--defaults-extra-file=".length()));
                            if (!optionFiles.contains(file)) {
                                optionFiles.add(file);
                            }
                            try {
                                String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
                                if (!perms.equals("rw-------")) {
                                    problems.add("option file is " + perms);
                                }
                            } catch (IOException gone) {
                                // deleted meanwhile
                            }
                        }
                    }
                } catch (IOException e) {
                    problems.add(e.toString());
                }
            }
        });
        sampler.start();
        try {
            new BackupEngine(new EngineOptions(null, engineTemp), ProgressListener.NONE, Clock.systemUTC())
                    .backup(BackupRequest.of(connection(server, db), RepositorySpec.local(repositoryDir), "secret"));
        } finally {
            stop.set(true);
            sampler.join();
        }

        assertThat(problems).isEmpty();
        assertThat(dumpSamples.get()).as("samples of the running dump").isPositive();
        assertThat(optionFiles).hasSize(1);
        assertThat(optionFiles.get(0)).doesNotExist();
        for (Path f : files(repositoryDir)) {
            assertThat(indexOf(Files.readAllBytes(f), password)).as(f.toString()).isNegative();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "mariadb-dump killed at {0}%")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 50, 99})
    void dumpKilledMidStream(int percent) throws Exception {
        String db = uniqueName("sigkill");
        server.createDatabase(db);
        server.execute(db, "CREATE TABLE t (id INT PRIMARY KEY, pad VARCHAR(100))",
                "INSERT INTO t SELECT seq, REPEAT('z', 90) FROM seq_1_to_20000");
        BackupEngine engine = new BackupEngine(EngineOptions.defaults(), ProgressListener.NONE, Clock.systemUTC());
        RepositorySpec repo = RepositorySpec.local(repositoryDir);
        io.jenkins.plugins.dbbackup.engine.BackupResult good = engine.backup(BackupRequest.of(connection(server, db),
                repo, "faults"));
        long limit = good.originalBytes() * percent / 100;
        Path tools = toolDirectory("/usr/bin/mariadb-dump \"$@\" | { head -c " + limit + "; kill -9 $$; }");

        BackupException e = backupFails(new EngineOptions(tools, null), connection(server, db));

        assertThat(e.getMessage()).contains("exit code 137").doesNotContain("\n").doesNotContain(server.password());
        assertThat(engine.list(repo, null)).extracting(m -> m.id()).containsExactly(good.id());
        io.jenkins.plugins.dbbackup.engine.BackupResult next = engine.backup(BackupRequest.of(connection(server, db),
                repo, "faults"));
        assertThat(engine.list(repo, null)).extracting(m -> m.id()).containsExactly(good.id(), next.id());
        MATRIX.row("mariadb-dump SIGKILLed at " + percent + "% of the dump", "backup",
                "one-line error, nothing stored, next backup works", "BackupException: " + e.getMessage());
    }

    @Test
    void damagedBackupIsFoundByVerifyAndRefusedByRestore() throws Exception {
        String db = uniqueName("damaged");
        server.createDatabase(db);
        server.execute(db, "CREATE TABLE t (id INT PRIMARY KEY, pad VARCHAR(100))",
                "INSERT INTO t SELECT seq, MD5(seq) FROM seq_1_to_5000");
        BackupEngine engine = new BackupEngine(EngineOptions.defaults(), ProgressListener.NONE, Clock.systemUTC());
        RepositorySpec repo = RepositorySpec.local(repositoryDir);
        io.jenkins.plugins.dbbackup.engine.BackupResult b = engine.backup(BackupRequest.of(connection(server, db), repo,
                "damaged"));
        Path data;
        try (Stream<Path> list = Files.list(repositoryDir.resolve("damaged").resolve(b.id()))) {
            data = list.filter(p -> p.getFileName().toString().startsWith("data.")).findFirst().orElseThrow();
        }
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(data.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int x = f.read();
            f.seek(f.length() / 2);
            f.write(x ^ 0x04);
        }
        io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord v = engine.verify(
                new io.jenkins.plugins.dbbackup.engine.VerifyRequest(repo, "damaged", b.id(),
                        io.jenkins.plugins.dbbackup.engine.verify.VerifyLevel.STRUCTURE, null, null, true));
        assertThat(v.outcome()).isEqualTo("CHECKSUM_MISMATCH");
        String target = uniqueName("damaged_target");
        Throwable t = catchThrowable(() -> engine.restore(new io.jenkins.plugins.dbbackup.engine.RestoreRequest(repo,
                "damaged", b.id(), null, connection(server, target), true, false, true, null, 1)));
        assertThat(t).isInstanceOf(IOException.class).hasMessageContaining("damaged");
        assertThat(server.listDatabases()).doesNotContain(target);
        MATRIX.row("one bit flipped in the stored object", "verify + restore",
                "CHECKSUM_MISMATCH; restore refused before touching a database", v.outcome() + "; restore: "
                        + t.getMessage());
    }

    private BackupException backupFails(EngineOptions options, DatabaseConnection c) {
        Throwable t = catchThrowable(() -> new BackupEngine(options, ProgressListener.NONE, Clock.systemUTC())
                .backup(BackupRequest.of(c, RepositorySpec.local(repositoryDir), "faults")));
        assertThat(t).isInstanceOf(BackupException.class);
        System.out.println(t.getMessage()); // for the reader of the test output
        return (BackupException) t;
    }

    private void assertNothingStored() {
        assertThat(files(repositoryDir)).as("files in the repository").isEmpty();
        try (Stream<Path> tmp = Files.list(engineTemp)) {
            assertThat(tmp.filter(p -> p.getFileName().toString().startsWith("dbbackup-my-")).toList())
                    .as("option files left behind").isEmpty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A tool directory whose {@code mariadb-dump} answers {@code --version} truly and otherwise runs {@code body}. */
    private Path toolDirectory(String body) throws IOException {
        Path dir = Files.createDirectories(work.resolve("tools"));
        Path script = dir.resolve("mariadb-dump");
        Files.writeString(script, "#!/bin/bash\nif [ \"$1\" = --version ]; then exec /usr/bin/mariadb-dump --version; fi\n"
                + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    private static boolean dumpProcessFor(int port) {
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine()
                .map(cmd -> cmd.contains("mariadb-dump") && cmd.contains("--port=" + port)).orElse(false));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
