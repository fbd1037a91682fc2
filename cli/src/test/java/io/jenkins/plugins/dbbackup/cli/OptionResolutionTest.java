package io.jenkins.plugins.dbbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Options, URI, configuration entries and environment: what wins, field by field and secret by secret. */
class OptionResolutionTest {
    @TempDir
    Path dir;

    private Map<String, String> env = Map.of();

    @SuppressWarnings("unchecked")
    private <T> T parse(String... args) {
        CommandLine cli = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                env, false);
        CommandLine.ParseResult result = cli.parseArgs(args);
        return (T) result.subcommand().commandSpec().userObject();
    }

    private Path file(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        return f;
    }

    private Path config() throws IOException {
        file("secrets/orders.pw", "from-config-file\n");
        return file("dbbackup.yaml", ConfigFileTest.EXAMPLE);
    }

    @Test
    void singleOptions() {
        BackupCommand c = parse("backup", "--type", "pg", "--host", "db1", "--port", "5433", "--database", "orders",
                "--user", "backup", "--repo", "/var/backups/db");
        DatabaseConnection conn = c.connection.resolve(c.config(), env, null, false);
        assertThat(conn.describe()).isEqualTo("postgresql://backup@db1:5433/orders");
        assertThat(conn.password()).isNull();
        assertThat(c.repository.resolve(c.config(), env).uri()).isEqualTo("file:///var/backups/db");
    }

    @Test
    void optionsOverrideTheUri() {
        BackupCommand c = parse("backup", "--url", "postgresql://backup@db1:5433/orders", "--port", "6000",
                "--user", "admin");
        DatabaseConnection conn = c.connection.resolve(c.config(), env, null, false);
        assertThat(conn.describe()).isEqualTo("postgresql://admin@db1:6000/orders");
    }

    @Test
    void defaultsHostAndPort() {
        BackupCommand c = parse("backup", "--url", "mysql://root@db1/shop");
        assertThat(c.connection.resolve(c.config(), env, null, false).port()).isEqualTo(3306);
        BackupCommand d = parse("backup", "--type", "redis");
        DatabaseConnection redis = d.connection.resolve(d.config(), env, null, false);
        assertThat(redis.describe()).isEqualTo("redis://127.0.0.1:6379");
    }

    @Test
    void aDatabaseIsNeeded() {
        BackupCommand c = parse("backup", "--type", "postgresql");
        assertThatThrownBy(() -> c.connection.resolve(c.config(), env, null, false))
                .isInstanceOf(UsageException.class).hasMessageContaining("--database");
        BackupCommand none = parse("backup");
        assertThatThrownBy(() -> none.connection.resolve(none.config(), env, null, false))
                .isInstanceOf(UsageException.class).hasMessageContaining("--url");
        VerifyCommand v = parse("verify", "--url", "postgresql://postgres@127.0.0.1:5555");
        assertThat(v.scratch.resolve(v.config(), env, null, true).database()).isEqualTo("postgres");
    }

    @Test
    void configEntryThenOptionsOverIt() throws IOException {
        Path config = config();
        BackupCommand c = parse("backup", "--config", config.toString(), "--database-name", "orders", "--host",
                "db2");
        DatabaseConnection conn = c.connection.resolve(c.config(), env, null, false);
        assertThat(conn.describe()).isEqualTo("postgresql://backup@db2:5432/orders");
        assertThat(conn.password().reveal()).isEqualTo("from-config-file");
        assertThat(c.connection.entry(c.config()).set()).isEqualTo("orders-db");
    }

    @Test
    void theDefaultEntriesApplyOnlyWhenTheCommandLineNamesNone() throws IOException {
        Path config = config();
        BackupCommand c = parse("backup", "--config", config.toString());
        assertThat(c.connection.resolve(c.config(), env, null, false).host()).isEqualTo("db1.example.com");
        BackupCommand d = parse("backup", "--config", config.toString(), "--url", "postgresql://x@other/db");
        DatabaseConnection other = d.connection.resolve(d.config(), env, null, false);
        assertThat(other.describe()).isEqualTo("postgresql://x@other:5432/db");
        assertThat(other.password()).isNull(); // the default entry's password file is not used for another server
    }

    @Test
    void configFromTheEnvironment() throws IOException {
        env = Map.of("DBBACKUP_CONFIG", config().toString());
        ListCommand c = parse("list");
        assertThat(c.repository.resolve(c.config(), env).uri()).isEqualTo("s3://acme-backups/db");
    }

    @Test
    void passwordOrder() throws IOException {
        Path config = config();
        Path pw = file("pw", "from-option\r\nsecond line ignored\n");
        String[] args = {"backup", "--config", config.toString(), "--database-name", "orders"};
        env = Map.of("DBBACKUP_PASSWORD", "from-dbbackup-env", "PGPASSWORD", "from-pgpassword");

        BackupCommand withFile = parse(append(args, "--password-file", pw.toString()));
        assertThat(withFile.connection.resolve(withFile.config(), env, null, false).password().reveal())
                .isEqualTo("from-option");

        BackupCommand withEnv = parse(args);
        assertThat(withEnv.connection.resolve(withEnv.config(), env, null, false).password().reveal())
                .isEqualTo("from-dbbackup-env");

        env = Map.of("PGPASSWORD", "from-pgpassword");
        BackupCommand fromConfig = parse(args);
        assertThat(fromConfig.connection.resolve(fromConfig.config(), env, null, false).password().reveal())
                .isEqualTo("from-config-file");

        BackupCommand noConfig = parse("backup", "--url", "postgresql://u@h/d");
        assertThat(noConfig.connection.resolve(noConfig.config(), env, null, false).password().reveal())
                .isEqualTo("from-pgpassword");
        BackupCommand maria = parse("backup", "--url", "mariadb://u@h/d");
        assertThat(maria.connection.resolve(maria.config(), env, null, false).password()).isNull();
        env = Map.of("REDISCLI_AUTH", "from-rediscli");
        BackupCommand redis = parse("backup", "--url", "redis://h:6379");
        assertThat(redis.connection.resolve(redis.config(), env, null, false).password().reveal())
                .isEqualTo("from-rediscli");
    }

    @Test
    void passwordFromAnEnvironmentVariableTheEntryNames() throws IOException {
        Path config = config();
        BackupCommand c = parse("backup", "--config", config.toString(), "--database-name", "cache");
        assertThatThrownBy(() -> c.connection.resolve(c.config(), env, null, false))
                .isInstanceOf(UsageException.class).hasMessageContaining("CACHE_PASSWORD");
        env = Map.of("CACHE_PASSWORD", "from-cache-env");
        assertThat(c.connection.resolve(c.config(), env, null, false).password().reveal())
                .isEqualTo("from-cache-env");
    }

    @Test
    void badPasswordFiles() throws IOException {
        Path empty = file("empty", "\n");
        BackupCommand c = parse("backup", "--url", "postgresql://u@h/d", "--password-file", empty.toString());
        assertThatThrownBy(() -> c.connection.resolve(c.config(), env, null, false))
                .isInstanceOf(UsageException.class).hasMessageContaining("is empty");
        BackupCommand missing = parse("backup", "--url", "postgresql://u@h/d", "--password-file",
                dir.resolve("nope").toString());
        assertThatThrownBy(() -> missing.connection.resolve(missing.config(), env, null, false))
                .isInstanceOf(UsageException.class).hasMessageContaining("does not exist");
    }

    @Test
    void s3SettingsFromOptionsOverTheEntry() throws IOException {
        Path config = config();
        env = Map.of("OFFSITE_KEY_ID", "AKIAEXAMPLE", "OFFSITE_SECRET", "s3-secret");
        BackupCommand c = parse("backup", "--config", config.toString(), "--repo-name", "offsite",
                "--s3-region", "us-east-1", "--s3-path-style", "--s3-endpoint", "http://127.0.0.1:9000");
        RepositorySpec spec = c.repository.resolve(c.config(), env);
        RepositorySpec.S3Settings s3 = spec.s3();
        assertThat(s3.region()).isEqualTo("us-east-1");
        assertThat(s3.pathStyle()).isTrue();
        assertThat(s3.endpoint()).isEqualTo("http://127.0.0.1:9000");
        assertThat(s3.storageClass()).isEqualTo("STANDARD_IA");
        assertThat(s3.serverSideEncryption()).isEqualTo("aws:kms");
        assertThat(s3.kmsKeyId()).isEqualTo("alias/backups");
        assertThat(s3.objectLockMode()).isEqualTo("GOVERNANCE");
        assertThat(s3.objectLockDays()).isEqualTo(30);
        assertThat(s3.partSizeMiB()).isEqualTo(64);
        assertThat(s3.accessKeyId()).isEqualTo("AKIAEXAMPLE");
        assertThat(s3.secretAccessKey().reveal()).isEqualTo("s3-secret");
    }

    @Test
    void s3CredentialsFromAwsVariablesElseTheDefaultChain() {
        ListCommand c = parse("list", "--repo", "s3://bucket/prefix", "--s3-sse", "aes256");
        RepositorySpec.S3Settings chain = c.repository.resolve(c.config(), env).s3();
        assertThat(chain.accessKeyId()).isNull();
        assertThat(chain.secretAccessKey()).isNull();
        assertThat(chain.serverSideEncryption()).isEqualTo("AES256");
        assertThat(chain.partSizeMiB()).isEqualTo(16);
        env = Map.of("AWS_ACCESS_KEY_ID", "AKIA1", "AWS_SECRET_ACCESS_KEY", "sk", "AWS_SESSION_TOKEN", "tok");
        RepositorySpec.S3Settings explicit = c.repository.resolve(c.config(), env).s3();
        assertThat(explicit.accessKeyId()).isEqualTo("AKIA1");
        assertThat(explicit.sessionToken().reveal()).isEqualTo("tok");
        env = Map.of("AWS_ACCESS_KEY_ID", "AKIA1");
        assertThatThrownBy(() -> c.repository.resolve(c.config(), env)).isInstanceOf(UsageException.class)
                .hasMessageContaining("go together");
    }

    @Test
    void badS3Options() {
        assertS3Refused("--s3-region only for s3", "--repo", "/var/backups", "--s3-region", "eu-west-1");
        assertS3Refused("AES256 or aws:kms", "--repo", "s3://b/p", "--s3-sse", "rot13");
        assertS3Refused("needs --s3-sse aws:kms", "--repo", "s3://b/p", "--s3-kms-key-id", "k");
        assertS3Refused("needs --s3-object-lock-days", "--repo", "s3://b/p", "--s3-object-lock-mode", "governance");
        assertS3Refused("needs --s3-object-lock-mode", "--repo", "s3://b/p", "--s3-object-lock-days", "3");
        assertS3Refused("GOVERNANCE or COMPLIANCE", "--repo", "s3://b/p", "--s3-object-lock-mode", "forever",
                "--s3-object-lock-days", "3");
        assertS3Refused("out of range", "--repo", "s3://b/p", "--s3-part-size-mib", "4");
        assertS3Refused("http:// or https://", "--repo", "s3://b/p", "--s3-endpoint", "minio:9000");
    }

    @Test
    void tierSettingsFromTheEntryOrFromTierOptions() throws IOException {
        Path config = config();
        env = Map.of("OFFSITE_KEY_ID", "AKIAEXAMPLE", "OFFSITE_SECRET", "s3-secret");
        PruneCommand fromEntry = parse("prune", "--config", config.toString(), "--repo-name", "offsite");
        assertThat(fromEntry.repository.resolve(fromEntry.config(), env).tiers())
                .hasToString("daily: 8d; monthly: STANDARD_IA, 400d");
        PruneCommand fromOptions = parse("prune", "--config", config.toString(), "--repo-name", "offsite",
                "--tier", "yearly: GLACIER_IR, 3650d", "--tier", "weekly:STANDARD_IA");
        assertThat(fromOptions.repository.resolve(fromOptions.config(), env).tiers())
                .hasToString("weekly: STANDARD_IA; yearly: GLACIER_IR, 3650d");
        // a lock mode without days: nothing locked at upload, the tiers lock what they keep
        PruneCommand modeOnly = parse("prune", "--repo", "s3://b/p", "--s3-object-lock-mode", "compliance",
                "--tier", "monthly: 400d");
        RepositorySpec spec = modeOnly.repository.resolve(modeOnly.config(), env);
        assertThat(spec.s3().objectLockMode()).isEqualTo("COMPLIANCE");
        assertThat(spec.s3().objectLockDays()).isZero();
        // a directory keeps them, and prune reports them as ignored
        PruneCommand local = parse("prune", "--repo", "/var/backups", "--tier", "monthly: STANDARD_IA");
        assertThat(local.repository.resolve(local.config(), env).tiers().isEmpty()).isFalse();
    }

    @Test
    void badTierOptions() {
        assertS3Refused("--tier: 'fortnightly' is not a retention tier", "--repo", "s3://b/p", "--tier", "fortnightly: 8d");
        assertS3Refused("--tier: tier daily: '8 days' is neither", "--repo", "s3://b/p", "--tier", "daily: 8 days");
        assertS3Refused("--tier lock periods need --s3-object-lock-mode", "--repo", "s3://b/p", "--tier", "daily: 8d");
    }

    @Test
    void badTiersInTheConfigurationFileNameTheEntryAndField() throws IOException {
        Path config = file("bad.yaml", "repositories:\n  - name: r\n    uri: s3://b/p\n    tiers:\n"
                + "      monthly: STANDARD_IA, 400\n");
        assertThatThrownBy(() -> ConfigFile.load(config)).isInstanceOf(UsageException.class)
                .hasMessageContaining("repositories[r].tiers is not valid: tier monthly: '400' is neither");
    }

    private void assertS3Refused(String message, String... args) {
        ListCommand c = parse(append(new String[] {"list"}, args));
        String expected = message.equals("--s3-region only for s3") ? "s3:// repositories only" : message;
        assertThatThrownBy(() -> c.repository.resolve(c.config(), env)).isInstanceOf(UsageException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void encryptionFromFilesEnvironmentAndConfig() throws IOException {
        Path pub = file("ops.pub.asc", TestPublicKey.armored());
        BackupCommand none = parse("backup");
        assertThat(none.encryption.resolve(none.config(), env).enabled()).isFalse();

        BackupCommand keys = parse("backup", "--encrypt-to", pub.toString(), "--encrypt-to", pub.toString());
        EncryptionSettings two = keys.encryption.resolve(keys.config(), env);
        assertThat(two.recipientPublicKeys()).hasSize(2);
        assertThat(two.passphrase()).isNull();

        env = Map.of("DBBACKUP_PASSPHRASE", "from-env");
        assertThat(none.encryption.resolve(none.config(), env).passphrase().reveal()).isEqualTo("from-env");
        Path pass = file("pass", "from-file\n");
        BackupCommand withFile = parse("backup", "--passphrase-file", pass.toString());
        assertThat(withFile.encryption.resolve(withFile.config(), env).passphrase().reveal()).isEqualTo("from-file");

        env = Map.of();
        Path config = file("keys.yaml", "keys:\n  - name: ops\n    publicKeyFile: ops.pub.asc\n"
                + "defaults:\n  keys: [ops]\n");
        BackupCommand fromConfig = parse("backup", "--config", config.toString());
        assertThat(fromConfig.encryption.resolve(fromConfig.config(), env).recipientPublicKeys()).hasSize(1);
        BackupCommand off = parse("backup", "--config", config.toString(), "--no-encryption");
        assertThat(off.encryption.resolve(off.config(), env).enabled()).isFalse();
    }

    @Test
    void decryptionKeysOrder() throws IOException {
        Path sec = file("ops.sec.asc", "-----BEGIN PGP PRIVATE KEY BLOCK-----\n...\n");
        Path keyPass = file("keypass", "key-pass-from-file\n");
        RestoreCommand nothing = parse("restore");
        assertThat(nothing.keys.resolve(nothing.config(), env)).isNull();

        RestoreCommand c = parse("restore", "--key-file", sec.toString(), "--key-passphrase-file",
                keyPass.toString());
        DecryptionKeys keys = c.keys.resolve(c.config(), env);
        assertThat(keys.secretKeyRing()).isNotEmpty();
        assertThat(keys.keyPassphrase().reveal()).isEqualTo("key-pass-from-file");
        assertThat(keys.symmetricPassphrase()).isNull();

        env = Map.of("DBBACKUP_KEY_PASSPHRASE", "key-pass-env", "DBBACKUP_PASSPHRASE", "sym-env");
        RestoreCommand e = parse("restore", "--key-file", sec.toString());
        DecryptionKeys fromEnv = e.keys.resolve(e.config(), env);
        assertThat(fromEnv.keyPassphrase().reveal()).isEqualTo("key-pass-env");
        assertThat(fromEnv.symmetricPassphrase().reveal()).isEqualTo("sym-env");

        env = Map.of("OPS_PASS", "key-pass-config-env");
        Path config = file("keys.yaml", "keys:\n  - name: ops\n    secretKeyFile: ops.sec.asc\n"
                + "    keyPassphraseEnv: OPS_PASS\n");
        RestoreCommand named = parse("restore", "--config", config.toString(), "--key-name", "ops");
        DecryptionKeys fromConfig = named.keys.resolve(named.config(), env);
        assertThat(fromConfig.secretKeyRing()).isNotEmpty();
        assertThat(fromConfig.keyPassphrase().reveal()).isEqualTo("key-pass-config-env");
    }

    @Test
    void retentionFromOptionsElseFromTheConfig() throws IOException {
        Path config = config();
        PruneCommand options = parse("prune", "--config", config.toString(), "--set", "s", "--keep-last", "3");
        RetentionPolicy explicit = options.policy(options.config());
        assertThat(explicit.keepLast()).isEqualTo(3);
        assertThat(explicit.keepDaily()).isZero();
        PruneCommand fromConfig = parse("prune", "--config", config.toString(), "--set", "s");
        RetentionPolicy p = fromConfig.policy(fromConfig.config());
        assertThat(p.keepDaily()).isEqualTo(7);
        assertThat(p.keepMonthly()).isEqualTo(12);
        assertThat(p.requireVerifiedNewest()).isTrue();
        PruneCommand flags = parse("prune", "--set", "s", "--keep-daily", "2", "--no-require-verified",
                "--no-keep-until-verified", "--zone", "Europe/Berlin");
        RetentionPolicy f = flags.policy(flags.config());
        assertThat(f.requireVerifiedNewest()).isFalse();
        assertThat(f.keepUntilVerified()).isFalse();
        assertThat(f.zone().getId()).isEqualTo("Europe/Berlin");
    }

    @Test
    void databaseTypesByEveryName() {
        for (String name : new String[] {"postgresql", "postgres", "pg", "mariadb", "mysql", "redis"}) {
            BackupCommand c = parse("backup", "--type", name, "--database", "d");
            assertThat(c.connection.resolve(c.config(), env, null, false).type())
                    .isIn(DatabaseType.POSTGRESQL, DatabaseType.MARIADB, DatabaseType.REDIS);
        }
    }

    private static String[] append(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
