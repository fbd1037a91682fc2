package io.jenkins.plugins.dbbackup.cli;

import static io.jenkins.plugins.dbbackup.cli.JarProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.dbbackup.testsupport.MariaDbServer;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.RedisClient;
import io.jenkins.plugins.dbbackup.testsupport.RedisServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's part of the secrets sweep: every subcommand of PostgreSQL, MariaDB and Redis backups, encrypted
 * with a passphrase, with the passwords and the passphrase in 0600 files, plus a wrong password and a wrong
 * passphrase. No secret may appear in what {@code dbbackup} prints (stdout, stderr, JSON), in the repository's files,
 * or in the command line or environment of any process on the machine while it runs.
 */
@ExtendWith(ThrowawayServers.class)
class SecretsCliIT {
    @TempDir
    Path dir;

    private Path secretFile(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void noSecretInAnyOutputFileOrProcess(PostgresServer pg) throws Exception {
        MariaDbServer maria = MariaDbServer.shared();
        try (RedisServer redis = RedisServer.start()) {
            String passphrase = "cli-passphrase-" + Long.toHexString(System.nanoTime());
            String wrong = "cli-wrong-" + Long.toHexString(System.nanoTime());
            List<String> secrets = List.of(pg.password(), maria.password(), redis.password(), passphrase, wrong);
            String pgDb = "clisweep_" + System.nanoTime();
            pg.createDatabase(pgDb);
            pg.execute(pgDb, "CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t SELECT generate_series(1, 1000)");
            String mariaDb = "clisweep_" + System.nanoTime();
            maria.createDatabase(mariaDb);
            maria.execute(mariaDb, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t SELECT seq FROM seq_1_to_1000");
            try (RedisClient c = redis.client()) {
                c.command("SET", "k", "v");
            }
            record Kind(String set, String url, Path passwordFile) {}
            List<Kind> kinds = List.of(
                    new Kind("pg", "postgresql://" + pg.user() + "@" + pg.host() + ":" + pg.port() + "/" + pgDb,
                            secretFile("pg-pw", pg.password())),
                    new Kind("maria", "mariadb://" + maria.user() + "@" + maria.host() + ":" + maria.port() + "/"
                            + mariaDb, secretFile("maria-pw", maria.password())),
                    new Kind("redis", "redis://" + redis.host() + ":" + redis.port(),
                            secretFile("redis-pw", redis.password())));
            Path passphraseFile = secretFile("passphrase", passphrase);
            Path wrongFile = secretFile("wrong", wrong);
            String repo = dir.resolve("repo").toUri().toString();

            List<JarProcess.Result> results = new ArrayList<>();
            List<String> leaks = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread sampler = new Thread(() -> {
                while (!stop.get()) {
                    sample(secrets, leaks);
                }
            }, "proc-sampler");
            sampler.start();
            try {
                for (Kind k : kinds) {
                    results.add(run("backup", "--url", k.url(), "--password-file", k.passwordFile().toString(),
                            "--passphrase-file", passphraseFile.toString(), "--repo", repo, "--set", k.set())
                            .expect(Main.OK));
                    results.add(run("backup", "--url", k.url(), "--password-file", wrongFile.toString(),
                            "--passphrase-file", passphraseFile.toString(), "--repo", repo, "--set", k.set(),
                            "--json"));
                    results.add(run("show", "--repo", repo, "--set", k.set(), "--json").expect(Main.OK));
                    results.add(run("verify", "--repo", repo, "--set", k.set(), "--level", "structure",
                            "--passphrase-file", passphraseFile.toString()).expect(Main.OK));
                    results.add(run("verify", "--repo", repo, "--set", k.set(), "--level", "structure",
                            "--passphrase-file", wrongFile.toString(), "--json"));
                    results.add(run("prune", "--repo", repo, "--set", k.set(), "--keep-last", "1").expect(Main.OK));
                }
                results.add(run("list", "--repo", repo, "--json").expect(Main.OK));
                results.add(run("check", "--repo", repo).expect(Main.OK));
            } finally {
                stop.set(true);
                sampler.join();
            }

            for (JarProcess.Result r : results) {
                for (String secret : secrets) {
                    assertThat(r.out()).as("stdout of dbbackup " + r.args()).doesNotContain(secret);
                    assertThat(r.err()).as("stderr of dbbackup " + r.args()).doesNotContain(secret);
                }
            }
            // the wrong password is refused with one line on stderr
            assertThat(results).filteredOn(r -> r.args().contains(wrongFile.toString())
                    && r.args().get(0).equals("backup")).hasSize(3)
                    .allSatisfy(r -> assertThat(r.code()).isNotEqualTo(Main.OK));
            assertThat(leaks).as("processes showing a secret").isEmpty();
            for (String secret : secrets) {
                assertThat(JarProcess.filesContaining(dir.resolve("repo"), secret)).as("repository files").isEmpty();
            }
        }
    }

    /** One pass over every process's command line and environment. */
    private static void sample(List<String> secrets, List<String> leaks) {
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                for (String file : new String[] {"cmdline", "environ"}) {
                    String text;
                    try {
                        text = new String(Files.readAllBytes(proc.resolve(file)), StandardCharsets.UTF_8);
                    } catch (IOException | SecurityException gone) {
                        continue;
                    }
                    for (String secret : secrets) {
                        if (text.contains(secret)) {
                            leaks.add(proc.getFileName() + "/" + file);
                        }
                    }
                }
            }
        } catch (IOException ignored) {
            // /proc changes under our feet
        }
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
