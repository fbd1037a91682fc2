package io.jenkins.plugins.dbbackup.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.engine.verify.VerifyLevel;
import io.jenkins.plugins.dbbackup.testsupport.MariaDbServer;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.RedisClient;
import io.jenkins.plugins.dbbackup.testsupport.RedisServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secrets sweep: while backups, verifications (down to a restore into a scratch target) and restores of
 * PostgreSQL, MariaDB and Redis run with real passwords and an encryption passphrase, every process's command line
 * and environment on the machine is sampled from /proc; afterwards the progress log, every file of the repository
 * (data, manifests, verification records), every exception message and stack trace of failed attempts are searched
 * for every secret, temp credential files are checked 0600 while they exist and gone after, and the repository's
 * files 0600 and directories 0700.
 */
@ExtendWith(ThrowawayServers.class)
class SecretsSweepTest {
    private static final String PASSPHRASE = "sweep-passphrase-" + Long.toHexString(System.nanoTime());

    @TempDir
    Path dir;

    @Test
    void noSecretInProcessesLogsFilesOrErrors(PostgresServer pg) throws Exception {
        MariaDbServer maria = MariaDbServer.shared();
        String wrongPassword = "wrong-pw-" + Long.toHexString(System.nanoTime());
        try (RedisServer redis = RedisServer.start()) {
            List<String> secrets = List.of(pg.password(), maria.password(), redis.password(), PASSPHRASE,
                    wrongPassword);
            String pgDb = "sweep_" + System.nanoTime();
            pg.createDatabase(pgDb);
            pg.execute(pgDb, "CREATE TABLE t (id int PRIMARY KEY, payload text)",
                    "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 30000) g");
            String mariaDb = "sweep_" + System.nanoTime();
            maria.createDatabase(mariaDb);
            maria.execute(mariaDb, "CREATE TABLE t (id INT PRIMARY KEY, payload VARCHAR(64))",
                    "INSERT INTO t SELECT seq, MD5(seq) FROM seq_1_to_30000");
            try (RedisClient c = redis.client()) {
                for (int i = 0; i < 2000; i++) {
                    c.command("SET", "k" + i, "v" + i);
                }
            }
            List<DatabaseConnection> sources = List.of(
                    new DatabaseConnection(DatabaseType.POSTGRESQL, pg.host(), pg.port(), pgDb, pg.user(),
                            Secret.of(pg.password())),
                    new DatabaseConnection(DatabaseType.MARIADB, maria.host(), maria.port(), mariaDb, maria.user(),
                            Secret.of(maria.password())),
                    new DatabaseConnection(DatabaseType.REDIS, redis.host(), redis.port(), null, null,
                            Secret.of(redis.password())));

            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            List<String> log = new CopyOnWriteArrayList<>();
            BackupEngine engine = new BackupEngine(new EngineOptions(null, tmp, true), log::add, Clock.systemUTC());
            RepositorySpec repo = RepositorySpec.local(dir.resolve("repo"));
            EncryptionSettings encryption = new EncryptionSettings(List.of(), Secret.of(PASSPHRASE));
            DecryptionKeys keys = DecryptionKeys.ofPassphrase(Secret.of(PASSPHRASE));

            Map<Path, String> credentialFiles = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread watcher = new Thread(() -> {
                while (!stop.get()) {
                    try (Stream<Path> files = Files.list(tmp)) {
                        files.forEach(f -> {
                            try {
                                // files hold credentials; directories (a scratch redis-server's) hold files
                                String mode = (Files.isDirectory(f) ? "directory " : "file ")
                                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(f));
                                credentialFiles.merge(f, mode, (a, b) -> a.endsWith("------") ? b : a);
                            } catch (IOException gone) {
                                // deleted meanwhile
                            }
                        });
                    } catch (IOException ignored) {
                        // directory busy
                    }
                }
            }, "credential-file-watcher");
            List<Throwable> failures = new ArrayList<>();
            ProcessSnooper snooper = ProcessSnooper.watchFor(secrets);
            watcher.start();
            try {
                for (DatabaseConnection source : sources) {
                    String set = source.type().name().toLowerCase(java.util.Locale.ROOT);
                    BackupResult b = engine.backup(new BackupRequest(source, repo, set, null, encryption));
                    VerificationRecord v = engine.verify(new VerifyRequest(repo, set, b.id(), VerifyLevel.RESTORE, keys,
                            source.type() == DatabaseType.REDIS ? null : source, true));
                    assertThat(v.outcome()).as(set + ": " + v.details()).isEqualTo("OK");
                    if (source.type() != DatabaseType.REDIS) {
                        engine.restore(new RestoreRequest(repo, set, b.id(), null,
                                source.withDatabase(source.database() + "_restored"), true, false, true, keys, 1));
                    }
                    DatabaseConnection wrong = new DatabaseConnection(source.type(), source.host(), source.port(),
                            source.database(), source.user(), Secret.of(wrongPassword));
                    Throwable failed = catchThrowable(() -> engine.backup(new BackupRequest(wrong, repo, set + "-wrong",
                            null, encryption)));
                    assertThat(failed).as(set + " with a wrong password").isInstanceOf(BackupException.class);
                    failures.add(failed);
                    failures.add(catchThrowable(() -> engine.verify(new VerifyRequest(repo, set, b.id(),
                            VerifyLevel.STRUCTURE, DecryptionKeys.ofPassphrase(Secret.of(wrongPassword)), null,
                            false))));
                }
            } finally {
                snooper.close();
                stop.set(true);
                watcher.join();
            }

            assertThat(snooper.commandLinesSeen()).anyMatch(cmd -> cmd.contains("pg_dump"))
                    .anyMatch(cmd -> cmd.contains("mariadb-dump") || cmd.contains("mysqldump"));
            assertThat(snooper.leaks()).as("processes showing a secret").isEmpty();

            assertThat(credentialFiles).as("credential files seen (PGPASSFILE, MySQL option files)").isNotEmpty();
            assertThat(credentialFiles.values()).as("their modes").contains("file rw-------")
                    .containsOnly("file rw-------", "directory rwx------");
            try (Stream<Path> left = Files.list(tmp)) {
                assertThat(left).as("credential files left behind").isEmpty();
            }

            String logText = String.join("\n", log);
            assertThat(log).as("progress lines").isNotEmpty();
            for (String secret : secrets) {
                assertThat(logText).as("progress log").doesNotContain(secret);
            }
            for (Throwable t : failures) {
                if (t == null) {
                    continue; // a verify with the wrong passphrase is an outcome, not an exception
                }
                StringWriter trace = new StringWriter();
                t.printStackTrace(new PrintWriter(trace));
                for (String secret : secrets) {
                    assertThat(trace.toString()).as("exception " + t.getMessage()).doesNotContain(secret);
                }
            }

            int files = 0;
            int records = 0;
            try (Stream<Path> walk = Files.walk(dir.resolve("repo"))) {
                for (Path p : walk.toList()) {
                    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                    if (Files.isDirectory(p)) {
                        assertThat(mode).as("directory " + p).isEqualTo("rwx------");
                        continue;
                    }
                    files++;
                    records += p.getFileName().toString().startsWith("verify-") ? 1 : 0;
                    assertThat(mode).as("file " + p).isEqualTo("rw-------");
                    String content = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                    for (String secret : secrets) {
                        assertThat(content).as(p.toString()).doesNotContain(secret);
                    }
                }
            }
            assertThat(files).as("data, manifest and verification record of three backups").isGreaterThanOrEqualTo(9);
            assertThat(records).isEqualTo(3);
        }
    }
}
