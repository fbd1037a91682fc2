package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.PruneRequest;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.RestoreRequest;
import io.jenkins.plugins.dbbackup.engine.VerifyRequest;
import io.jenkins.plugins.dbbackup.engine.codec.Compression;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionPolicy;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionPolicyException;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.engine.verify.VerifyLevel;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Data binding defaults, argument checks and engine requests of the steps, without Jenkins. */
class StepArgumentsTest {
    private static final String PASSWORD = "pw-0b7c44e1-do-not-print";
    private static final String ID = "20261122T020000Z-3f9a1c2b";
    private static final RepositorySpec REPO = RepositorySpec.of("/var/backups/db");
    private static final DatabaseCredentials.Login LOGIN = new DatabaseCredentials.Login("app", Secret.of(PASSWORD));

    private static DatabaseDefinition ordersConnection() {
        DatabaseDefinition orders = new DatabaseDefinition("orders");
        orders.setType("postgresql");
        orders.setHost("db1.example");
        orders.setPort(6432);
        orders.setDatabase("orders");
        orders.setCredentialsId("orders-login");
        return orders;
    }

    // --- verifyBackup

    @Test
    void verifyDefaults() {
        VerifyBackupStep step = new VerifyBackupStep("orders");
        assertThat(step.getSet()).isEqualTo("orders");
        assertThat(step.getId()).isEqualTo("latest");
        assertThat(step.getLevel()).isEqualTo("checksum");
        assertThat(step.isFailOnMismatch()).isTrue();
        assertThat(step.isRecord()).isTrue();
        assertThat(step.getScratchPort()).isZero();
        VerifyRequest request = step.toRequest(REPO, null, null);
        assertThat(request.level()).isEqualTo(VerifyLevel.CHECKSUM);
        assertThat(request.backupId()).isEqualTo("latest");
        assertThat(request.record()).isTrue();
        assertThat(request.scratchServer()).isNull();
    }

    @Test
    void verifySettersCheckAndNormalize() {
        VerifyBackupStep step = new VerifyBackupStep(" orders ");
        assertThat(step.getSet()).isEqualTo("orders");
        step.setLevel("STRUCTURE");
        assertThat(step.getLevel()).isEqualTo("structure");
        step.setLevel("");
        assertThat(step.getLevel()).isEqualTo("checksum");
        step.setId("LATEST");
        assertThat(step.getId()).isEqualTo("latest");
        step.setId(ID);
        assertThat(step.getId()).isEqualTo(ID);
        step.setId(" ");
        assertThat(step.getId()).isEqualTo("latest");
        assertThatThrownBy(() -> new VerifyBackupStep(" ")).hasMessageContaining("set is missing");
        assertThatThrownBy(() -> new VerifyBackupStep("../x")).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> step.setLevel("deep")).hasMessageContaining("checksum, structure or restore");
        assertThatThrownBy(() -> step.setId("yesterday")).hasMessageContaining("not valid");
        assertThatThrownBy(() -> step.setScratchType("oracle")).hasMessageContaining("unknown database type");
        assertThatThrownBy(() -> step.setScratchPort(70000)).hasMessageContaining("70000");
        assertThatThrownBy(() -> step.setRepository("relative")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void restoreLevelNeedsAScratchServer() {
        VerifyBackupStep step = new VerifyBackupStep("orders");
        step.setLevel("restore");
        assertThatThrownBy(() -> step.scratchServer(null, LOGIN)).hasMessageContaining("scratch server");
        step.setScratchHost("scratch.example");
        assertThatThrownBy(() -> step.scratchServer(null, LOGIN)).hasMessageContaining("type is missing");
        step.setScratchType("postgres");
        DatabaseConnection scratch = step.scratchServer(null, LOGIN);
        assertThat(scratch.describe()).isEqualTo("postgresql://app@scratch.example:5432/postgres");
        assertThat(scratch.password().reveal()).isEqualTo(PASSWORD);
        // a named connection fills in, the step's own values win
        VerifyBackupStep named = new VerifyBackupStep("orders");
        named.setLevel("restore");
        named.setScratchConnection("orders");
        assertThat(named.scratchServer(ordersConnection(), LOGIN).describe())
                .isEqualTo("postgresql://app@db1.example:6432/orders");
        VerifyRequest request = named.toRequest(REPO, named.scratchServer(ordersConnection(), LOGIN), null);
        assertThat(request.level()).isEqualTo(VerifyLevel.RESTORE);
        // other levels ignore scratch arguments
        step.setLevel("structure");
        assertThat(step.scratchServer(null, LOGIN)).isNull();
    }

    @Test
    void decryptionKeyPassphraseNeedsTheKey() {
        assertThatThrownBy(() -> StepSupport.checkDecryption(null, "key-pass"))
                .hasMessageContaining("secretKeyCredentialsId");
        StepSupport.checkDecryption("key", "key-pass");
        StepSupport.checkDecryption(null, null);
    }

    // --- restoreDatabase

    @Test
    void restoreDefaultsAndRequest() {
        RestoreDatabaseStep step = new RestoreDatabaseStep("orders");
        assertThat(step.getId()).isEqualTo("latest");
        assertThat(step.isSafetyBackup()).isTrue();
        assertThat(step.isCreate()).isFalse();
        assertThat(step.isClean()).isFalse();
        assertThat(step.getJobs()).isEqualTo(1);
        assertThat(step.getAt()).isNull();
        step.setType("postgresql");
        step.setHost("db2.example");
        step.setTargetDatabase("orders_copy");
        step.setCreate(true);
        step.setJobs(4);
        RestoreRequest request = step.toRequest(REPO, null, LOGIN, null);
        assertThat(request.target().describe()).isEqualTo("postgresql://app@db2.example:5432/orders_copy");
        assertThat(request.create()).isTrue();
        assertThat(request.clean()).isFalse();
        assertThat(request.safetyBackup()).isTrue();
        assertThat(request.jobs()).isEqualTo(4);
        assertThat(request.backupId()).isEqualTo("latest");
        assertThat(request.at()).isNull();
        assertThat(request.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void restoreByTimeAndFromANamedConnection() {
        RestoreDatabaseStep step = new RestoreDatabaseStep("orders");
        step.setConnection("orders");
        step.setAt("2026-11-22T03:00:00+01:00");
        step.setClean(true);
        RestoreRequest request = step.toRequest(REPO, ordersConnection(), LOGIN, null);
        assertThat(request.at()).isEqualTo(Instant.parse("2026-11-22T02:00:00Z"));
        assertThat(request.target().describe()).isEqualTo("postgresql://app@db1.example:6432/orders");
        assertThat(step.effectiveCredentialsId(ordersConnection())).isEqualTo("orders-login");
        step.setCredentialsId("restore-login");
        assertThat(step.effectiveCredentialsId(ordersConnection())).isEqualTo("restore-login");
    }

    @Test
    void restoreRefusesContradictionsWithOneLine() {
        RestoreDatabaseStep step = new RestoreDatabaseStep("orders");
        assertThatThrownBy(() -> step.setAt("yesterday")).hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> step.setJobs(0)).hasMessageContaining("1 to 64");
        assertThatThrownBy(() -> step.setJobs(65)).hasMessageContaining("1 to 64");
        assertThatThrownBy(() -> step.toRequest(REPO, null, LOGIN, null)).hasMessageContaining("type is missing");
        step.setType("postgresql");
        step.setHost("db2.example");
        assertThatThrownBy(() -> step.toRequest(REPO, null, LOGIN, null)).hasMessageContaining("targetDatabase is missing");
        step.setTargetDatabase("orders");
        step.setId(ID);
        step.setAt("2026-11-22T02:00:00Z");
        assertThatThrownBy(() -> step.toRequest(REPO, null, LOGIN, null)).hasMessageContaining("either id or at");
        step.setAt(null);
        step.setCreate(true);
        step.setClean(true);
        assertThatThrownBy(() -> step.toRequest(REPO, null, LOGIN, null)).hasMessageContaining("exclude each other");
    }

    @Test
    void restorePostgresOptionsReachTheRequest() {
        RestoreDatabaseStep step = new RestoreDatabaseStep("orders");
        assertThat(step.isNoOwner()).isFalse();
        assertThat(step.isNoPrivileges()).isFalse();
        assertThat(step.getSchemas()).isNull();
        assertThat(step.getTables()).isNull();
        step.setConnection("orders");
        RestoreRequest plain = step.toRequest(REPO, ordersConnection(), LOGIN, null);
        assertThat(plain.noOwner()).isFalse();
        assertThat(plain.schemas()).isEmpty();
        assertThat(plain.tables()).isEmpty();
        assertThat(plain.subset()).isFalse();

        step.setNoOwner(true);
        step.setNoPrivileges(true);
        step.setSchemas(" sales ,, billing,");
        step.setTables("orders, items , orders");
        assertThat(step.getSchemas()).isEqualTo("sales, billing");
        assertThat(step.getTables()).isEqualTo("orders, items, orders");
        RestoreRequest request = step.toRequest(REPO, ordersConnection(), LOGIN, null);
        assertThat(request.noOwner()).isTrue();
        assertThat(request.noPrivileges()).isTrue();
        assertThat(request.schemas()).containsExactly("sales", "billing");
        assertThat(request.tables()).containsExactly("orders", "items");
        assertThat(request.describeSubset()).isEqualTo("schemas sales, billing; tables orders, items");
        assertThat(request.redisMode()).isNull();

        step.setSchemas("  ");
        step.setTables(null);
        assertThat(step.getSchemas()).isNull();
        assertThat(step.toRequest(REPO, ordersConnection(), LOGIN, null).subset()).isFalse();
    }

    @Test
    void restorePostgresOptionsAreRefusedForOtherDatabasesNamingTheArgument() {
        RestoreDatabaseStep step = new RestoreDatabaseStep("shop");
        step.setType("mariadb");
        step.setHost("db3.example");
        step.setTargetDatabase("shop");
        step.setClean(true);
        step.setNoOwner(true);
        step.setTables("items");
        assertThatThrownBy(() -> step.toRequest(REPO, null, LOGIN, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tables applies to PostgreSQL only, and this restore is into mariadb: leave it out");
        step.setTables(null);
        step.setSchemas("shop");
        assertThatThrownBy(() -> step.toRequest(REPO, null, LOGIN, null)).hasMessageStartingWith("schemas applies");
        step.setSchemas(null);
        assertThatThrownBy(() -> step.toRequest(REPO, null, LOGIN, null)).hasMessageStartingWith("noOwner applies");
        step.setNoOwner(false);
        step.setNoPrivileges(true);
        assertThatThrownBy(() -> step.toRequest(REPO, null, LOGIN, null))
                .hasMessageStartingWith("noPrivileges applies");
        step.setNoPrivileges(false);
        assertThat(step.toRequest(REPO, null, LOGIN, null).subset()).isFalse();
    }

    @Test
    void restoreRedisModeAndDataDirectoryReachTheRequest() {
        RestoreDatabaseStep step = new RestoreDatabaseStep("cache");
        assertThat(step.getRedisRestore()).isNull();
        step.setType("redis");
        step.setHost("cache1.example");
        step.setClean(true);
        RestoreRequest commands = step.toRequest(REPO, null, LOGIN, null);
        assertThat(commands.redisMode()).isNull();

        step.setRedisRestore(" File ");
        assertThat(step.getRedisRestore()).isEqualTo("file");
        assertThatThrownBy(() -> step.toRequest(REPO, null, LOGIN, null))
                .hasMessageContaining("needs redisDataDirectory");
        step.setRedisDataDirectory("/var/lib/redis");
        RestoreRequest file = step.toRequest(REPO, null, LOGIN, null);
        assertThat(file.redisMode()).isEqualTo("file");
        assertThat(file.redisDataDirectory()).isEqualTo("/var/lib/redis");

        // the directory alone means file, as on the command line
        step.setRedisRestore("");
        assertThat(step.toRequest(REPO, null, LOGIN, null).redisMode()).isEqualTo("file");
        step.setRedisRestore("commands");
        step.setRedisDataDirectory(null);
        assertThat(step.toRequest(REPO, null, LOGIN, null).redisMode()).isEqualTo("commands");

        assertThatThrownBy(() -> step.setRedisRestore("rdb")).hasMessageContaining("commands")
                .hasMessageContaining("file");
        assertThatThrownBy(() -> step.setRedisDataDirectory("data/redis")).hasMessageContaining("not an absolute path");
        step.setNoOwner(true);
        assertThatThrownBy(() -> step.toRequest(REPO, null, LOGIN, null)).hasMessageStartingWith("noOwner applies");
    }

    @Test
    void restoreRedisArgumentsAreRefusedForPostgres() {
        RestoreDatabaseStep step = new RestoreDatabaseStep("orders");
        step.setConnection("orders");
        step.setRedisRestore("file");
        assertThatThrownBy(() -> step.toRequest(REPO, ordersConnection(), LOGIN, null))
                .hasMessage("redisRestore applies to Redis only, and this restore is into postgresql: leave it out");
        step.setRedisRestore(null);
        step.setRedisDataDirectory("/var/lib/redis");
        assertThatThrownBy(() -> step.toRequest(REPO, ordersConnection(), LOGIN, null))
                .hasMessageStartingWith("redisDataDirectory applies to Redis only");
    }

    // --- pruneBackups

    @Test
    void pruneDefaultsAreUnattendedAndSafe() {
        PruneBackupsStep step = new PruneBackupsStep("orders");
        assertThat(step.isDryRun()).isFalse();
        assertThat(step.isRequireVerifiedNewest()).isTrue();
        assertThat(step.isKeepUntilVerified()).isTrue();
        assertThatThrownBy(() -> step.retentionPolicy(null)).hasMessageContaining("no retention policy");
        RetentionPolicy fromDefault = step.retentionPolicy("keep-daily=7,keep-weekly=4");
        assertThat(fromDefault.keepDaily()).isEqualTo(7);
        assertThat(fromDefault.keepWeekly()).isEqualTo(4);
        assertThat(fromDefault.requireVerifiedNewest()).isTrue();
    }

    @Test
    void pruneOptionsBecomeThePolicy() {
        PruneBackupsStep step = new PruneBackupsStep("orders");
        step.setKeepLast(3);
        step.setKeepDaily(7);
        step.setKeepWithin("2d");
        step.setMinKeepVerified(1);
        step.setZone("Europe/Berlin");
        step.setRequireVerifiedNewest(false);
        RetentionPolicy policy = step.retentionPolicy("keepYearly=5");
        assertThat(policy.keepLast()).isEqualTo(3);
        assertThat(policy.keepDaily()).isEqualTo(7);
        assertThat(policy.keepYearly()).isZero(); // the step's options replace the default, not add to it
        assertThat(policy.keepWithin().toString()).isEqualTo("2d");
        assertThat(policy.minKeepVerified()).isEqualTo(1);
        assertThat(policy.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(policy.requireVerifiedNewest()).isFalse();
        assertThat(policy.keepUntilVerified()).isTrue();
        PruneRequest request = step.toRequest(REPO, null, "jenkins:nightly#7");
        assertThat(request.set()).isEqualTo("orders");
        assertThat(request.holder()).isEqualTo("jenkins:nightly#7");
        assertThat(request.dryRun()).isFalse();
    }

    @Test
    void prunePolicyText() {
        PruneBackupsStep step = new PruneBackupsStep("orders");
        step.setPolicy("keepDaily=7, keepWeekly=4,keepUntilVerified=true");
        RetentionPolicy policy = step.retentionPolicy(null);
        assertThat(policy.keepDaily()).isEqualTo(7);
        assertThat(policy.keepWeekly()).isEqualTo(4);
        // a step switch turns a safety off even when the text names it
        step.setKeepUntilVerified(false);
        assertThat(step.retentionPolicy(null).keepUntilVerified()).isFalse();
        step.setKeepDaily(3);
        assertThatThrownBy(() -> step.retentionPolicy(null)).hasMessageContaining("not both");
    }

    @Test
    void pruneRejectsBadValuesNamingTheOption() {
        PruneBackupsStep step = new PruneBackupsStep("orders");
        assertThatThrownBy(() -> step.setKeepDaily(-1))
                .isInstanceOf(RetentionPolicyException.class)
                .hasMessageStartingWith("keepDaily:");
        assertThatThrownBy(() -> step.setKeepWithin("2 days")).hasMessageStartingWith("keepWithin");
        assertThatThrownBy(() -> step.setZone("Mars/Olympus")).hasMessageStartingWith("zone");
        assertThatThrownBy(() -> step.setPolicy("keepDaily=seven")).hasMessageStartingWith("policy: keepDaily");
        assertThatThrownBy(() -> step.setPolicy("keepDaily")).hasMessageContaining("name=value");
        assertThatThrownBy(() -> step.setPolicy("keepNever=1")).hasMessageContaining("unknown retention option");
        assertThatThrownBy(() -> step.setPolicy("keepDaily=1,keepDaily=2")).hasMessageContaining("given twice");
        assertThatThrownBy(() -> new PruneBackupsStep("")).hasMessageContaining("set is missing");
    }

    @Test
    void defaultRetentionIsCheckedAsThePruneStepReadsIt() {
        assertThat(DatabaseBackupConfiguration.isValidRetention("keepDaily=7,keepWeekly=4")).isTrue();
        assertThat(DatabaseBackupConfiguration.isValidRetention("keepWithin=2d, zone=Europe/Berlin")).isTrue();
        assertThat(DatabaseBackupConfiguration.isValidRetention("keepDaily=-1")).isFalse();
        assertThatThrownBy(() -> DatabaseBackupConfiguration.checkRetention("keepDaly=7"))
                .hasMessageContaining("keepDaly");
    }

    // --- backupRedis

    @Test
    void redisRequestWithPasswordOnly() {
        BackupRedisStep step = new BackupRedisStep(" cache1.example ");
        assertThat(step.getHost()).isEqualTo("cache1.example");
        assertThat(step.getPort()).isZero();
        assertThat(step.getCompression()).isEqualTo("zstd");
        BackupRequest request = step.toRequest(REPO, new DatabaseCredentials.Login(null, Secret.of(PASSWORD)),
                EncryptionSettings.none());
        assertThat(request.source().type()).isEqualTo(DatabaseType.REDIS);
        assertThat(request.source().database()).isNull();
        assertThat(request.source().user()).isNull();
        assertThat(request.source().port()).isEqualTo(6379);
        assertThat(request.source().password().reveal()).isEqualTo(PASSWORD);
        assertThat(request.set()).isEqualTo("redis-cache1.example-6379");
        assertThat(request.compression().algorithm()).isEqualTo(Compression.ZSTD);
        assertThat(request.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void redisWithAclUserSetAndCompression() {
        BackupRedisStep step = new BackupRedisStep("cache1");
        step.setPort(6380);
        step.setSet("sessions");
        step.setCompression("gzip");
        step.setCompressionLevel(9);
        BackupRequest request = step.toRequest(REPO, LOGIN, EncryptionSettings.none());
        assertThat(request.source().describe()).isEqualTo("redis://app@cache1:6380");
        assertThat(request.set()).isEqualTo("sessions");
        assertThat(request.compression().level()).isEqualTo(9);
        assertThatThrownBy(() -> new BackupRedisStep(" ")).hasMessageContaining("host is missing");
        assertThatThrownBy(() -> step.setCompression("lz4")).isInstanceOf(IllegalArgumentException.class);
        step.setCompressionLevel(12);
        assertThatThrownBy(() -> step.toRequest(REPO, LOGIN, null)).hasMessageContaining("too high for gzip");
    }

    // --- listBackups and shared arguments

    @Test
    void listArguments() {
        ListBackupsStep step = new ListBackupsStep();
        assertThat(step.getSet()).isNull();
        step.setSet("orders");
        step.setRepository("s3://backups/db");
        assertThat(step.getRepository()).isEqualTo("s3://backups/db");
        assertThatThrownBy(() -> step.setSet("a/b")).hasMessageContaining("not allowed");
    }

    @Test
    void exactlyOneRepository() {
        assertThatThrownBy(() -> StepSupport.checkOneRepository(null, null)).hasMessageContaining("repository is missing");
        assertThatThrownBy(() -> StepSupport.checkOneRepository("/a", "offsite")).hasMessageContaining("not both");
        StepSupport.checkOneRepository("/a", null);
        StepSupport.checkOneRepository(null, "offsite");
    }

    @Test
    void encryptToTakesListsAndCommaSeparatedIds() {
        BackupDatabaseStep step = new BackupDatabaseStep();
        assertThat(step.getEncryptTo()).isEmpty();
        step.setEncryptTo(List.of("ops-key", "offsite-key, ops-key", " "));
        assertThat(step.getEncryptTo()).containsExactly("ops-key", "offsite-key");
        step.setEncryptTo(Arrays.asList("a b", null));
        assertThat(step.getEncryptTo()).containsExactly("a", "b");
        step.setEncryptTo(null);
        assertThat(step.getEncryptTo()).isEmpty();
        // the form's text box shows a stored list as its toString(); saving it unchanged gives the same list
        step.setEncryptTo(List.of("ops-key", "offsite-key"));
        step.setEncryptTo(List.of(step.getEncryptTo().toString()));
        assertThat(step.getEncryptTo()).containsExactly("ops-key", "offsite-key");
        step.setEncryptTo(List.of(List.of().toString()));
        assertThat(step.getEncryptTo()).isEmpty();
        BackupRedisStep redis = new BackupRedisStep("cache.example");
        redis.setEncryptTo(List.of("[team-key]"));
        assertThat(redis.getEncryptTo()).containsExactly("team-key");
        step.setPassphraseCredentialsId(" ");
        assertThat(step.getPassphraseCredentialsId()).isNull();
    }

    @Test
    void backupRequestCarriesTheEncryption() {
        BackupDatabaseStep step = new BackupDatabaseStep();
        step.setType("postgresql");
        step.setHost("db1");
        step.setDatabase("orders");
        step.setRepository("/var/backups/db");
        EncryptionSettings encryption = new EncryptionSettings(List.of(new byte[] {1, 2, 3}), Secret.of(PASSWORD));
        BackupRequest request = step.toRequest(null, null, "app", null, encryption);
        assertThat(request.encryption().enabled()).isTrue();
        assertThat(request.encryption().recipientPublicKeys()).hasSize(1);
        assertThat(request.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void argumentsToStringShowsNoSecretsForAnyStep() {
        Map<String, Object> args = new HashMap<>();
        args.put("credentialsId", "orders-db-login");
        args.put("passphraseCredentialsId", "backup-passphrase");
        args.put("secretKeyCredentialsId", "ops-secret-key");
        args.put("scratchCredentialsId", "scratch-login");
        args.put("host", "db.internal.example");
        args.put("repository", "/var/backups/secret-path");
        args.put("password", PASSWORD);
        for (String shown : new String[] {
            VerifyBackupStep.describeArguments(args),
            RestoreDatabaseStep.describeArguments(args),
            PruneBackupsStep.describeArguments(args),
            BackupRedisStep.describeArguments(args),
            ListBackupsStep.describeArguments(args)
        }) {
            assertThat(shown).isNull();
        }
        args.put("set", "orders");
        assertThat(VerifyBackupStep.describeArguments(args)).isEqualTo("orders");
        assertThat(RestoreDatabaseStep.describeArguments(args)).isEqualTo("orders");
        assertThat(PruneBackupsStep.describeArguments(args)).isEqualTo("orders");
        assertThat(BackupRedisStep.describeArguments(args)).isEqualTo("orders");
        assertThat(ListBackupsStep.describeArguments(args)).isEqualTo("orders");
    }
}
