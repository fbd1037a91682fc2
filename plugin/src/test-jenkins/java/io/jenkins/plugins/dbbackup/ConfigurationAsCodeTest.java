package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.Util;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Configuration as Code: {@code unclassified: databaseBackup:} imports into the global configuration through its
 * data-bound setters, and the export gives the same structure back (compared as parsed YAML, so quoting and key
 * order do not matter).
 *
 * <p>Real plugin build only (src/test-jenkins, tag {@code jenkins}): the JCasC test harness is not in the API tables.
 */
@Tag("jenkins")
@WithJenkinsConfiguredWithCode
class ConfigurationAsCodeTest {
    private static final String YAML = "configuration-as-code.yml";

    @Test
    @ConfiguredWithCode(YAML)
    void importsEveryField(JenkinsConfiguredWithCodeRule j) {
        DatabaseBackupConfiguration config = DatabaseBackupConfiguration.get();
        assertThat(config.getDatabases()).extracting(DatabaseDefinition::getName).containsExactly("orders", "sessions");
        DatabaseDefinition orders = config.database("orders");
        assertThat(orders.getType()).isEqualTo("postgresql");
        assertThat(orders.getHost()).isEqualTo("db1.example");
        assertThat(orders.getPort()).isEqualTo(6432);
        assertThat(orders.getDatabase()).isEqualTo("orders");
        assertThat(orders.getCredentialsId()).isEqualTo("orders-login");
        assertThat(config.database("sessions").getType()).isEqualTo("redis");
        assertThat(config.database("sessions").getDatabase()).isNull();

        assertThat(config.getRepositories()).extracting(RepositoryDefinition::getName).containsExactly("offsite", "local");
        RepositoryDefinition offsite = config.repository("offsite");
        assertThat(offsite.getUri()).isEqualTo("s3://acme-db-backups/prod");
        assertThat(offsite.getRegion()).isEqualTo("eu-central-1");
        assertThat(offsite.getEndpoint()).isEqualTo("https://minio.example:9000");
        assertThat(offsite.isPathStyle()).isTrue();
        assertThat(offsite.getCredentialsId()).isEqualTo("s3-keys");
        assertThat(offsite.getStorageClass()).isEqualTo("STANDARD_IA");
        assertThat(offsite.getServerSideEncryption()).isEqualTo("aws:kms");
        assertThat(offsite.getKmsKeyId()).isEqualTo("alias/db-backups");
        assertThat(offsite.getObjectLockMode()).isEqualTo("GOVERNANCE");
        assertThat(offsite.getObjectLockDays()).isEqualTo(35);
        assertThat(config.repository("local").isPathStyle()).isFalse();
        assertThat(config.getKeySets()).extracting(KeySetDefinition::getName).containsExactly("prod", "symmetric");
        KeySetDefinition prod = config.keySet("prod");
        assertThat(prod.getRecipientCredentialsIds()).containsExactly("ops-public-key", "offsite-public-key");
        assertThat(prod.getPassphraseCredentialsId()).isEqualTo("backup-passphrase");
        assertThat(prod.getSecretKeyCredentialsId()).isEqualTo("ops-secret-key");
        assertThat(prod.getSecretKeyPassphraseCredentialsId()).isEqualTo("ops-secret-key-passphrase");
        assertThat(config.keySet("symmetric").getRecipientCredentialsIds()).isEmpty();
        assertThat(config.getDefaultRetention()).isEqualTo("keepDaily=7,keepWeekly=4");
    }

    @Test
    @ConfiguredWithCode(YAML)
    void exportGivesTheSameStructureBack(JenkinsConfiguredWithCodeRule j) throws Exception {
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode node = Util.getUnclassifiedRoot(context).get("databaseBackup");
        assertThat(node).as("databaseBackup is exported").isNotNull();
        Object exported = new Yaml().load(Util.toYamlString(node));

        Map<?, ?> source;
        try (InputStream in = ConfigurationAsCodeTest.class.getResourceAsStream(YAML)) {
            source = new Yaml().load(in);
        }
        Object expected = ((Map<?, ?>) source.get("unclassified")).get("databaseBackup");
        assertThat(exported).isEqualTo(expected);
    }
}
