package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The global configuration in a real Jenkins (tag {@code jenkins}: real plugin build only). */
@Tag("jenkins")
@WithJenkins
class DatabaseBackupConfigurationJenkinsTest {

    @Test
    void configurationSurvivesTheFormRoundTrip(JenkinsRule j) throws Exception {
        DatabaseBackupConfiguration config = DatabaseBackupConfiguration.get();
        DatabaseDefinition orders = new DatabaseDefinition("orders");
        orders.setType("postgresql");
        orders.setHost("db1.example");
        orders.setDatabase("orders");
        RepositoryDefinition offsite = new RepositoryDefinition("offsite", "s3://backups/db");
        offsite.setRegion("eu-central-1");
        offsite.setPathStyle(true);
        config.setDatabases(List.of(orders));
        config.setRepositories(List.of(offsite));
        KeySetDefinition prod = new KeySetDefinition("prod");
        prod.setRecipientCredentialsIds(List.of("ops-public-key", "offsite-public-key"));
        prod.setPassphraseCredentialsId("prod-passphrase");
        prod.setSecretKeyCredentialsId("ops-secret-key");
        prod.setSecretKeyPassphraseCredentialsId("ops-secret-key-passphrase");
        config.setKeySets(List.of(prod));
        config.setDefaultRetention("keep-daily=7,keep-weekly=4");

        j.configRoundtrip();

        DatabaseBackupConfiguration after = DatabaseBackupConfiguration.get();
        j.assertEqualDataBoundBeans(orders, after.database("orders"));
        j.assertEqualDataBoundBeans(offsite, after.repository("offsite"));
        j.assertEqualDataBoundBeans(prod, after.keySet("prod"));
        assertThat(after.keySet("prod").getRecipientCredentialsIds())
                .containsExactly("ops-public-key", "offsite-public-key");
        assertThat(after.keySet("staging")).isNull();
        assertThat(after.getDefaultRetention()).isEqualTo("keep-daily=7,keep-weekly=4");
    }

    @Test
    void unknownConnectionNameIsOneLine(JenkinsRule j) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "unknown-connection");
        p.setDefinition(new CpsFlowDefinition(
                """
                node {
                  backupDatabase connection: 'nope', repository: "${pwd(tmp: true)}/repo"
                }
                """,
                true));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("no database connection named 'nope'", b);
        j.assertLogNotContains("\tat ", b);
    }

    @Test
    void unknownKeySetNameIsOneLine(JenkinsRule j) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "unknown-key-set");
        p.setDefinition(new CpsFlowDefinition(
                """
                node {
                  backupRedis host: '127.0.0.1', keySet: 'nope', repository: "${pwd(tmp: true)}/repo"
                }
                """,
                true));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("keySet: no encryption key set named 'nope'", b);
        j.assertLogNotContains("\tat ", b);
    }
}
