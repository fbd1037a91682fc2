package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import org.junit.jupiter.api.Test;

/** Named connections and repositories of the global configuration, and how a step fills in from them. */
class NamedDefinitionsTest {
    private static final String SECRET_KEY = "sk-91c3e7aa-do-not-print";

    private static DatabaseDefinition ordersConnection() {
        DatabaseDefinition orders = new DatabaseDefinition("orders");
        orders.setType("pg");
        orders.setHost("db1.example");
        orders.setPort(6432);
        orders.setDatabase("orders");
        orders.setCredentialsId("orders-login");
        return orders;
    }

    @Test
    void definitionsNeedNamesAndNormalizeTypes() {
        assertThatThrownBy(() -> new DatabaseDefinition(" ")).hasMessageContaining("name is missing");
        assertThat(ordersConnection().getType()).isEqualTo("postgresql");
        assertThatThrownBy(() -> new RepositoryDefinition("offsite", "")).hasMessageContaining("repository is missing");
        assertThatThrownBy(() -> new RepositoryDefinition("offsite", "ftp://x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stepFillsInFromANamedConnection() {
        BackupDatabaseStep step = new BackupDatabaseStep();
        step.setConnection("orders");
        step.setRepository("/var/backups/db");
        DatabaseDefinition orders = ordersConnection();
        assertThat(step.effectiveCredentialsId(orders)).isEqualTo("orders-login");
        BackupRequest request = step.toRequest(orders, null, "app", null);
        assertThat(request.source().describe()).isEqualTo("postgresql://app@db1.example:6432/orders");

        step.setDatabase("invoices");
        step.setPort(5432);
        step.setCredentialsId("invoices-login");
        assertThat(step.effectiveCredentialsId(orders)).isEqualTo("invoices-login");
        assertThat(step.toRequest(orders, null, "app", null).source().describe())
                .isEqualTo("postgresql://app@db1.example:5432/invoices");
    }

    @Test
    void oneRepositoryOnly() {
        BackupDatabaseStep step = new BackupDatabaseStep();
        step.setType("redis");
        step.setHost("cache1");
        assertThatThrownBy(() -> step.toRequest(null, null, null, null)).hasMessageContaining("repository is missing");
        RepositorySpec named = new RepositoryDefinition("local", "/srv/backups").toSpec(null, null);
        assertThat(step.toRequest(null, named, null, null).repository().uri()).isEqualTo("file:///srv/backups");
        step.setRepositoryName("local");
        step.setRepository("/var/backups/db");
        assertThatThrownBy(() -> step.toRequest(null, named, null, null)).hasMessageContaining("not both");
    }

    @Test
    void s3RepositoryCarriesItsSettingsButNeverPrintsTheKey() {
        RepositoryDefinition offsite = new RepositoryDefinition("offsite", "s3://backups/db");
        offsite.setRegion("eu-central-1");
        offsite.setEndpoint("https://minio.example:9000");
        offsite.setPathStyle(true);
        offsite.setStorageClass("STANDARD_IA");
        RepositorySpec spec = offsite.toSpec("AKIAEXAMPLE", Secret.of(SECRET_KEY));
        assertThat(spec.isS3()).isTrue();
        assertThat(spec.s3().region()).isEqualTo("eu-central-1");
        assertThat(spec.s3().endpoint()).isEqualTo("https://minio.example:9000");
        assertThat(spec.s3().pathStyle()).isTrue();
        assertThat(spec.s3().storageClass()).isEqualTo("STANDARD_IA");
        assertThat(spec.s3().secretAccessKey().reveal()).isEqualTo(SECRET_KEY);
        assertThat(spec.toString()).doesNotContain(SECRET_KEY);
        assertThat(new RepositoryDefinition("local", "file:///srv/b").toSpec("x", Secret.of(SECRET_KEY)).s3()).isNull();
    }

    @Test
    void s3RepositoryCarriesEncryptionAndObjectLock() {
        RepositoryDefinition locked = new RepositoryDefinition("locked", "s3://backups/db");
        locked.setServerSideEncryption("AWS:KMS");
        locked.setKmsKeyId("alias/db-backups");
        locked.setObjectLockMode("governance");
        locked.setObjectLockDays(35);
        assertThat(locked.getServerSideEncryption()).isEqualTo("aws:kms");
        assertThat(locked.getObjectLockMode()).isEqualTo("GOVERNANCE");
        RepositorySpec spec = locked.toSpec(null, null);
        assertThat(spec.s3().serverSideEncryption()).isEqualTo("aws:kms");
        assertThat(spec.s3().kmsKeyId()).isEqualTo("alias/db-backups");
        assertThat(spec.s3().objectLockMode()).isEqualTo("GOVERNANCE");
        assertThat(spec.s3().objectLockDays()).isEqualTo(35);

        assertThatThrownBy(() -> locked.setServerSideEncryption("aes")).hasMessageContaining("AES256, aws:kms");
        assertThatThrownBy(() -> locked.setObjectLockMode("forever")).hasMessageContaining("GOVERNANCE or COMPLIANCE");
        assertThatThrownBy(() -> locked.setObjectLockDays(-1)).hasMessageContaining("must not be negative");
        // combinations are the engine's checks, when a step resolves the repository
        RepositoryDefinition keyWithAes = new RepositoryDefinition("k", "s3://backups/db");
        keyWithAes.setServerSideEncryption("AES256");
        keyWithAes.setKmsKeyId("alias/x");
        assertThatThrownBy(() -> keyWithAes.toSpec(null, null)).hasMessageContaining("aws:kms, not AES256");
    }

    @Test
    void tierSettingsAndObjectLockReachTheEngine() {
        RepositoryDefinition offsite = new RepositoryDefinition("offsite", "s3://backups/db");
        offsite.setObjectLockMode("governance");
        offsite.setTierSettings("monthly: standard_ia, 400d\n\n daily: 8d ");
        assertThat(offsite.getObjectLockMode()).isEqualTo("GOVERNANCE");
        assertThat(offsite.getTierSettings()).isEqualTo("daily: 8d\nmonthly: STANDARD_IA, 400d");
        RepositorySpec spec = offsite.toSpec(null, null);
        assertThat(spec.tiers()).hasToString("daily: 8d; monthly: STANDARD_IA, 400d");
        assertThat(spec.s3().objectLockMode()).isEqualTo("GOVERNANCE");
        assertThat(spec.s3().objectLockDays()).isZero();
        offsite.setObjectLockDays(8);
        assertThat(offsite.toSpec(null, null).s3().objectLockDays()).isEqualTo(8);

        assertThatThrownBy(() -> offsite.setTierSettings("fortnightly: 8d"))
                .hasMessageContaining("'fortnightly' is not a retention tier");
        assertThatThrownBy(() -> offsite.setObjectLockMode("forever")).hasMessageContaining("GOVERNANCE or COMPLIANCE");
        RepositoryDefinition noMode = new RepositoryDefinition("offsite", "s3://backups/db");
        noMode.setTierSettings("monthly: 400d");
        assertThatThrownBy(() -> noMode.toSpec(null, null)).hasMessageContaining("need an object lock mode");
        // a directory keeps them; prune reports them as ignored there
        RepositoryDefinition local = new RepositoryDefinition("local", "/srv/backups");
        local.setTierSettings("monthly: STANDARD_IA");
        assertThat(local.toSpec(null, null).tiers().isEmpty()).isFalse();
    }

    @Test
    void retentionSyntax() {
        assertThat(DatabaseBackupConfiguration.isValidRetention("keep-daily=7")).isTrue();
        assertThat(DatabaseBackupConfiguration.isValidRetention("keep-last=3, keep-daily=7,keep-weekly=4")).isTrue();
        assertThat(DatabaseBackupConfiguration.isValidRetention("7 days")).isFalse();
        assertThat(DatabaseBackupConfiguration.isValidRetention("keep-daily=")).isFalse();
    }
}
