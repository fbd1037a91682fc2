package io.jenkins.plugins.dbbackup.engine.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.dbbackup.engine.BackupEngine;
import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.BackupResult;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.ProgressListener;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.RestoreRequest;
import io.jenkins.plugins.dbbackup.engine.codec.CompressionSettings;
import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of docs/repository-format.md: a backup encrypted to an OpenPGP key made by gpg is restored by hand with
 * nothing but {@code sha256sum}, {@code gpg --decrypt}, {@code zstd -dc} and {@code pg_restore}; and the engine
 * decrypts it with the exported secret key too.
 */
@ExtendWith(ThrowawayServers.class)
class ManualRestoreInteropTest {
    @TempDir
    Path dir;

    @Test
    void encryptedBackupRestoresByHandWithStandardTools(PostgresServer pg) throws Exception {
        String db = "interop_" + System.nanoTime();
        pg.createDatabase(db);
        pg.execute(db, "CREATE TABLE items (id int PRIMARY KEY, name text)",
                "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 5000) g");
        Path gnupg = Files.createDirectories(dir.resolve("gnupg"));
        Files.setPosixFilePermissions(gnupg, PosixFilePermissions.fromString("rwx------"));
        Path keyPass = dir.resolve("keypass");
        Files.writeString(keyPass, "key passphrase 42\n");
        exec(dir, gnupg, "gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase-file", keyPass.toString(),
                "--quick-gen-key", "Backup Key <backup@example.com>", "future-default", "default", "never");
        Path publicKey = dir.resolve("backup.pub.asc");
        exec(dir, gnupg, "gpg", "--batch", "--armor", "--output", publicKey.toString(), "--export", "backup@example.com");
        Path secretKey = dir.resolve("backup.sec.asc");
        exec(dir, gnupg, "gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase-file", keyPass.toString(),
                "--armor", "--output", secretKey.toString(), "--export-secret-keys", "backup@example.com");

        DatabaseConnection source = new DatabaseConnection(DatabaseType.POSTGRESQL, pg.host(), pg.port(), db,
                pg.user(), Secret.of(pg.password()));
        RepositorySpec repo = RepositorySpec.local(dir.resolve("repo"));
        BackupEngine engine = new BackupEngine(ProgressListener.NONE);
        BackupResult backup = engine.backup(new BackupRequest(source, repo, "interop", CompressionSettings.defaults(),
                new EncryptionSettings(List.of(Files.readAllBytes(publicKey)), null)));
        BackupManifest manifest = engine.list(repo, "interop").get(0);
        assertThat(manifest.dataObject()).isEqualTo("data.pgdump.zst.pgp");
        assertThat(manifest.encryption().recipients()).hasSize(1);

        // by hand: check, decrypt, decompress, restore
        Path backupDir = dir.resolve("repo/interop/" + backup.id());
        assertThat(exec(backupDir, null, "sha256sum", "data.pgdump.zst.pgp")).startsWith(manifest.stored().sha256());
        pg.createDatabase(db + "_by_hand");
        Path pgpass = dir.resolve("pgpass");
        Files.writeString(pgpass, "*:*:*:*:" + pg.password() + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        String script = "set -o pipefail; gpg --batch --pinentry-mode loopback --passphrase-file " + keyPass
                + " --decrypt data.pgdump.zst.pgp | zstd -dc | PGPASSFILE=" + pgpass + " "
                + pg.binDir().resolve("pg_restore") + " -h " + pg.host() + " -p " + pg.port() + " -U " + pg.user()
                + " -d " + db + "_by_hand --exit-on-error";
        exec(backupDir, gnupg, "bash", "-c", script);
        assertThat(pg.queryLong(db + "_by_hand", "SELECT count(*) FROM items")).isEqualTo(5000);

        // and the engine, with the exported secret key and its passphrase
        engine.restore(new RestoreRequest(repo, "interop", backup.id(), null, source.withDatabase(db + "_engine"),
                true, false, true, new DecryptionKeys(Files.readAllBytes(secretKey), Secret.of("key passphrase 42"), null), 1));
        assertThat(pg.queryLong(db + "_engine", "SELECT sum(id) FROM items")).isEqualTo(5000L * 5001 / 2);
    }

    private static String exec(Path workDir, Path gnupg, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        if (gnupg != null) {
            pb.environment().put("GNUPGHOME", gnupg.toString());
        }
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }
}
