package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.model.Item;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.security.AccessDeniedException3;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.net.URL;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The form methods answer only those allowed: in a job's context {@code Item.CONFIGURE}, on the global page
 * {@code Jenkins.ADMINISTER}. Others get the current value alone from a credential drop-down and no verdict from a
 * check (or a refusal on the global page), and a GET never reaches them ({@code @POST}).
 *
 * <p>Real plugin build only (src/test-jenkins, tag {@code jenkins}): {@code MockAuthorizationStrategy}, {@code User}
 * and the credential implementations are not in the API tables.
 */
@Tag("jenkins")
@WithJenkins
class FormPermissionTest {
    private JenkinsRule j;
    private WorkflowJob job;

    @BeforeEach
    void security(JenkinsRule j) throws Exception {
        this.j = j;
        Seed.login("pg-login", "backup", "not-a-real-password-5");
        Seed.secretText("backup-passphrase", "not-a-real-password-6");
        job = j.createProject(WorkflowJob.class, "backups");
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader", "configurer")
                .grant(Item.CONFIGURE).onItems(job).to("configurer"));
    }

    @Test
    void stepDropDownsListCredentialsOnlyForThoseWhoMayConfigureTheJob() {
        BackupDatabaseStep.DescriptorImpl backup = j.jenkins.getDescriptorByType(BackupDatabaseStep.DescriptorImpl.class);
        VerifyBackupStep.DescriptorImpl verify = j.jenkins.getDescriptorByType(VerifyBackupStep.DescriptorImpl.class);
        BackupRedisStep.DescriptorImpl redis = j.jenkins.getDescriptorByType(BackupRedisStep.DescriptorImpl.class);
        RestoreDatabaseStep.DescriptorImpl restore =
                j.jenkins.getDescriptorByType(RestoreDatabaseStep.DescriptorImpl.class);

        as("reader", () -> {
            assertThat(values(backup.doFillCredentialsIdItems(job, "typed-id"))).containsExactly("typed-id");
            assertThat(values(backup.doFillPassphraseCredentialsIdItems(job, ""))).doesNotContain("backup-passphrase");
            assertThat(values(verify.doFillScratchCredentialsIdItems(job, ""))).doesNotContain("pg-login");
            assertThat(values(redis.doFillCredentialsIdItems(job, ""))).doesNotContain("pg-login");
            assertThat(values(restore.doFillCredentialsIdItems(job, ""))).doesNotContain("pg-login");
            // no verdict on input for someone who may not configure the job
            assertThat(backup.doCheckRepository(job, "relative").kind).isEqualTo(FormValidation.Kind.OK);
            assertThat(verify.doCheckSet(job, "../x").kind).isEqualTo(FormValidation.Kind.OK);
            // nor at the top level, where only administrators are answered
            assertThat(values(backup.doFillCredentialsIdItems(null, ""))).doesNotContain("pg-login");
        });
        as("configurer", () -> {
            assertThat(values(backup.doFillCredentialsIdItems(job, ""))).contains("pg-login");
            assertThat(values(backup.doFillPassphraseCredentialsIdItems(job, ""))).contains("backup-passphrase");
            assertThat(values(verify.doFillScratchCredentialsIdItems(job, ""))).contains("pg-login");
            assertThat(values(redis.doFillCredentialsIdItems(job, ""))).contains("pg-login");
            assertThat(values(restore.doFillCredentialsIdItems(job, ""))).contains("pg-login");
            assertThat(backup.doCheckRepository(job, "relative").kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(verify.doCheckSet(job, "../x").kind).isEqualTo(FormValidation.Kind.ERROR);
            // Item.CONFIGURE on this job is not Jenkins.ADMINISTER
            assertThat(values(backup.doFillCredentialsIdItems(null, ""))).doesNotContain("pg-login");
        });
    }

    @Test
    void globalPageMethodsAnswerAdministratorsOnly() {
        DatabaseDefinition.DescriptorImpl database = j.jenkins.getDescriptorByType(DatabaseDefinition.DescriptorImpl.class);
        RepositoryDefinition.DescriptorImpl repository =
                j.jenkins.getDescriptorByType(RepositoryDefinition.DescriptorImpl.class);
        KeySetDefinition.DescriptorImpl keySet = j.jenkins.getDescriptorByType(KeySetDefinition.DescriptorImpl.class);
        DatabaseBackupConfiguration config = DatabaseBackupConfiguration.get();

        for (String user : List.of("reader", "configurer")) {
            as(user, () -> {
                assertThat(values(database.doFillCredentialsIdItems("typed-id"))).containsExactly("typed-id");
                assertThat(values(repository.doFillCredentialsIdItems(""))).doesNotContain("pg-login");
                assertThatThrownBy(() -> database.doCheckName("orders")).isInstanceOf(AccessDeniedException3.class);
                assertThatThrownBy(() -> database.doCheckPort("5432")).isInstanceOf(AccessDeniedException3.class);
                assertThatThrownBy(() -> repository.doCheckUri("/var/backups/db"))
                        .isInstanceOf(AccessDeniedException3.class);
                assertThatThrownBy(() -> config.doCheckDefaultRetention("keepDaily=7"))
                        .isInstanceOf(AccessDeniedException3.class);
                assertThat(values(keySet.doFillPassphraseCredentialsIdItems("typed-id"))).containsExactly("typed-id");
                assertThat(values(keySet.doFillSecretKeyCredentialsIdItems(""))).doesNotContain("backup-passphrase");
                assertThat(values(keySet.doFillSecretKeyPassphraseCredentialsIdItems("")))
                        .doesNotContain("backup-passphrase");
                assertThatThrownBy(() -> keySet.doCheckName("prod")).isInstanceOf(AccessDeniedException3.class);
                assertThatThrownBy(() -> keySet.doCheckSecretKeyPassphraseCredentialsId("p", ""))
                        .isInstanceOf(AccessDeniedException3.class);
            });
        }
        as("admin", () -> {
            assertThat(values(database.doFillCredentialsIdItems(""))).contains("pg-login");
            assertThat(values(repository.doFillCredentialsIdItems(""))).contains("pg-login");
            assertThat(database.doCheckName(" ").kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(repository.doCheckUri("relative").kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(config.doCheckDefaultRetention("keepDaily=-1").kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(config.doCheckDefaultRetention("keepDaily=7").kind).isEqualTo(FormValidation.Kind.OK);
            // secret text fits every key set field; a login fits none
            assertThat(values(keySet.doFillPassphraseCredentialsIdItems("")))
                    .contains("backup-passphrase").doesNotContain("pg-login");
            assertThat(values(keySet.doFillSecretKeyCredentialsIdItems(""))).contains("backup-passphrase");
            assertThat(values(keySet.doFillSecretKeyPassphraseCredentialsIdItems(""))).contains("backup-passphrase");
            assertThat(keySet.doCheckName(" ").kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(keySet.doCheckSecretKeyPassphraseCredentialsId("p", "").kind)
                    .isEqualTo(FormValidation.Kind.WARNING);
            assertThat(keySet.doCheckSecretKeyPassphraseCredentialsId("p", "k").kind)
                    .isEqualTo(FormValidation.Kind.OK);
        });
    }

    @Test
    void overHttpTheDropDownsAnswerPostOnly() throws Exception {
        try (JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false)) {
            wc.login("admin");
            String fill = "descriptorByName/" + DatabaseDefinition.class.getName() + "/fillCredentialsIdItems";

            Page get = wc.getPage(new WebRequest(new URL(j.getURL(), fill), HttpMethod.GET));
            assertThat(get.getWebResponse().getStatusCode()).isGreaterThanOrEqualTo(400);
            assertThat(get.getWebResponse().getContentAsString()).doesNotContain("pg-login");

            Page post = wc.getPage(wc.addCrumb(new WebRequest(new URL(j.getURL(), fill), HttpMethod.POST)));
            assertThat(post.getWebResponse().getStatusCode()).isEqualTo(200);
            assertThat(post.getWebResponse().getContentAsString()).contains("pg-login");
        }
        try (JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false)) {
            wc.login("reader");
            String fill = "job/backups/descriptorByName/" + BackupDatabaseStep.class.getName()
                    + "/fillCredentialsIdItems";
            Page post = wc.getPage(wc.addCrumb(new WebRequest(new URL(j.getURL(), fill), HttpMethod.POST)));
            assertThat(post.getWebResponse().getContentAsString()).doesNotContain("pg-login");
        }
    }

    private static List<String> values(ListBoxModel model) {
        return model.stream().map(o -> o.value).toList();
    }

    private static void as(String user, Runnable check) {
        try (ACLContext ignored = ACL.as2(User.getById(user, true).impersonate2())) {
            check.run();
        }
    }
}
