package io.jenkins.plugins.dbbackup.cli;

import static io.jenkins.plugins.dbbackup.cli.JarProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenPGP through the command line: a backup encrypted to a gpg-made public key and a passphrase, shown with its
 * recipient, verified with each, refused (KEY_UNAVAILABLE, exit 1) without a key, and restored with the secret key.
 */
@ExtendWith(ThrowawayServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EncryptedCliIT {
    private static final String SET = "sealed";

    private PostgresServer pg;
    private Path dir;
    private Path gnupg;
    private Path publicKey;
    private Path secretKey;
    private Path keyPass;
    private Path passphrase;
    private Path repo;
    private String database;

    @BeforeAll
    void setUp(PostgresServer pg, @TempDir Path dir) throws Exception {
        this.pg = pg;
        this.dir = dir;
        database = "cli_sealed_" + System.nanoTime();
        pg.createDatabase(database);
        pg.execute(database, "CREATE TABLE items (id int PRIMARY KEY, name text)",
                "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 3000) g");
        gnupg = Files.createDirectories(dir.resolve("gnupg"));
        Files.setPosixFilePermissions(gnupg, PosixFilePermissions.fromString("rwx------"));
        keyPass = write("keypass", "key passphrase 42");
        passphrase = write("passphrase", "symmetric passphrase 7");
        gpg("--batch", "--pinentry-mode", "loopback", "--passphrase-file", keyPass.toString(), "--quick-gen-key",
                "Backup Key <backup@example.com>", "future-default", "default", "never");
        publicKey = dir.resolve("backup.pub.asc");
        gpg("--batch", "--armor", "--output", publicKey.toString(), "--export", "backup@example.com");
        secretKey = dir.resolve("backup.sec.asc");
        gpg("--batch", "--pinentry-mode", "loopback", "--passphrase-file", keyPass.toString(), "--armor",
                "--output", secretKey.toString(), "--export-secret-keys", "backup@example.com");
        repo = dir.resolve("repo");
    }

    @AfterAll
    void stopAgent() throws Exception {
        if (gnupg != null) {
            ProcessBuilder pb = new ProcessBuilder("gpgconf", "--kill", "gpg-agent").redirectErrorStream(true);
            pb.environment().put("GNUPGHOME", gnupg.toString());
            pb.start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Path write(String name, String line) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, line + "\n");
        return f;
    }

    private void gpg(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("gpg"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("GNUPGHOME", gnupg.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void encryptShowVerifyRestore() {
        Map<String, String> env = Map.of("DBBACKUP_PASSWORD", pg.password());
        String url = "postgresql://" + pg.user() + "@" + pg.host() + ":" + pg.port();
        JsonNode backup = run(env, "backup", "--url", url + "/" + database, "--repo", repo.toString(), "--set", SET,
                "--encrypt-to", publicKey.toString(), "--passphrase-file", passphrase.toString(), "--json")
                .expect(Main.OK).json();
        assertThat(backup.get("encrypted").asBoolean()).isTrue();

        JarProcess.Result shown = run("show", "--repo", repo.toString(), "--set", SET).expect(Main.OK);
        assertThat(shown.out()).contains("openpgp, 1 public key(s) and a passphrase").contains("key ")
                .contains(".pgp");
        JsonNode manifest = run("show", "--repo", repo.toString(), "--set", SET, "--json").expect(Main.OK).json()
                .get("manifest");
        assertThat(manifest.get("encryption").get("recipients")).hasSize(1);

        JarProcess.Result noKey = run("verify", "--repo", repo.toString(), "--set", SET, "--level", "structure",
                "--json").expect(Main.FAILED);
        assertThat(noKey.json().get("outcome").asText()).isEqualTo("KEY_UNAVAILABLE");
        assertThat(noKey.err()).contains("--key-file");

        run("verify", "--repo", repo.toString(), "--set", SET, "--level", "structure", "--passphrase-file",
                passphrase.toString()).expect(Main.OK);
        run(Map.of("DBBACKUP_KEY_PASSPHRASE", "key passphrase 42"), "verify", "--repo", repo.toString(), "--set",
                SET, "--level", "structure", "--key-file", secretKey.toString()).expect(Main.OK);

        JsonNode restored = run(env, "restore", "--repo", repo.toString(), "--set", SET, "--url", url,
                "--target-database", database + "_restored", "--create", "--key-file", secretKey.toString(),
                "--key-passphrase-file", keyPass.toString(), "--json").expect(Main.OK).json();
        assertThat(restored.get("countsChecked").asInt()).isEqualTo(1);
        assertThat(pg.queryLong(database + "_restored", "SELECT count(*) FROM items")).isEqualTo(3000);
    }
}
