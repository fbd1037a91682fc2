package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The steps in real Pipelines against a real PostgreSQL. Needs a Jenkins: runs only in the real plugin build (tag
 * {@code jenkins}, excluded by pom-stubs.xml).
 *
 * <p>Credentials are stored by a trusted (non-sandboxed) seed Pipeline, because the credential implementation
 * classes ({@code SystemCredentialsProvider}, {@code UsernamePasswordCredentialsImpl}, {@code StringCredentialsImpl})
 * are not in the API tables this module is checked against; the Pipelines under test run in the sandbox.
 */
@Tag("jenkins")
@WithJenkins
@ExtendWith(ThrowawayServers.class)
class PipelineStepsTest {
    private static final String TEXT_SECRET = "txt-6a0e5b2d-do-not-print";

    @Test
    void everyStepIsRegisteredUnderItsFunctionName(JenkinsRule j) {
        assertThat(StepDescriptor.byFunctionName("verifyBackup")).isInstanceOf(VerifyBackupStep.DescriptorImpl.class);
        assertThat(StepDescriptor.byFunctionName("restoreDatabase"))
                .isInstanceOf(RestoreDatabaseStep.DescriptorImpl.class);
        assertThat(StepDescriptor.byFunctionName("pruneBackups")).isInstanceOf(PruneBackupsStep.DescriptorImpl.class);
        assertThat(StepDescriptor.byFunctionName("backupRedis")).isInstanceOf(BackupRedisStep.DescriptorImpl.class);
        assertThat(StepDescriptor.byFunctionName("listBackups")).isInstanceOf(ListBackupsStep.DescriptorImpl.class);
    }

    @Test
    void backupVerifyListPruneRestore(JenkinsRule j, PostgresServer pg) throws Exception {
        String db = "pipeline_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        pg.createDatabase(db);
        pg.execute(db, "CREATE TABLE orders (id int PRIMARY KEY)", "INSERT INTO orders SELECT generate_series(1, 300)");
        seedCredentials(j, pg);

        WorkflowJob p = j.createProject(WorkflowJob.class, "lifecycle");
        p.setDefinition(new CpsFlowDefinition(
                """
                node {
                  def repo = "${pwd(tmp: true)}/repo"
                  def first = backupDatabase type: 'postgresql', host: '@HOST@', port: @PORT@, database: '@DB@',
                      credentialsId: 'pg-login', repository: repo, set: 'orders'
                  def b = backupDatabase type: 'postgresql', host: '@HOST@', port: @PORT@, database: '@DB@',
                      credentialsId: 'pg-login', repository: repo, set: 'orders'
                  echo "backup stored ${b.storedBytes > 0} sha ${b.storedSha256.length()}"

                  def v = verifyBackup set: 'orders', repository: repo, level: 'restore',
                      scratchType: 'postgresql', scratchHost: '@HOST@', scratchPort: @PORT@, scratchCredentialsId: 'pg-login'
                  echo "verify outcome=${v.outcome} ok=${v.ok} measured=${v.restoreMillis > 0} same=${v.backupId == b.id}"

                  def list = listBackups set: 'orders', repository: repo
                  echo "listed=${list.size()} newest=${list[-1].id == b.id} sha=${list[-1].storedSha256 == b.storedSha256}"

                  def dry = pruneBackups set: 'orders', repository: repo, keepLast: 1, dryRun: true
                  echo "dry deleted=${dry.deleted.size()}"
                  def pruned = pruneBackups set: 'orders', repository: repo, keepLast: 1
                  echo "pruned=${pruned.deleted == [first.id]} refusal=${pruned.refusal}"

                  def r = restoreDatabase set: 'orders', repository: repo, type: 'postgresql', host: '@HOST@',
                      port: @PORT@, credentialsId: 'pg-login', targetDatabase: '@DB@_restored', create: true
                  echo "restored=${r.backupId == b.id} safety=${r.safetyBackupId} counted=${r.countsChecked}"
                }
                """
                        .replace("@HOST@", pg.host())
                        .replace("@PORT@", String.valueOf(pg.port()))
                        .replace("@DB@", db),
                true));
        WorkflowRun b = j.buildAndAssertSuccess(p);
        j.assertLogContains("backup stored true sha 64", b);
        j.assertLogContains("verify outcome=OK ok=true measured=true same=true", b);
        j.assertLogContains("measured recovery time", b);
        j.assertLogContains("listed=2 newest=true sha=true", b);
        j.assertLogContains("dry deleted=0", b);
        j.assertLogContains("pruned=true refusal=null", b);
        j.assertLogContains("restored=true safety=null counted=1", b);
        assertThat(pg.queryLong(db + "_restored", "SELECT count(*) FROM orders")).isEqualTo(300);

        DatabaseBackupAction action = b.getAction(DatabaseBackupAction.class);
        assertThat(action.getBackups()).hasSize(2);
        assertThat(action.getVerifications()).singleElement().satisfies(v -> {
            assertThat(v.getOutcome()).isEqualTo("OK");
            assertThat(v.getRestoreMillis()).isPositive();
        });
        assertThat(action.getPrunes()).hasSize(2);
        assertThat(action.getPrunes().get(0).isDryRun()).isTrue();
        assertThat(action.getPrunes().get(1).getRemoved()).isEqualTo(1);
        assertThat(action.getRestores()).singleElement()
                .satisfies(r -> assertThat(r.getTarget()).endsWith("/" + db + "_restored"));
        assertThat(action.getLatestBackupOutcome()).isEqualTo("OK");

        assertNoSecretIn(b, pg.password());
    }

    @Test
    void failedVerificationIsRecordedThenFailsTheBuild(JenkinsRule j, PostgresServer pg) throws Exception {
        String db = "pipeline_bad_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        pg.createDatabase(db);
        pg.execute(db, "CREATE TABLE t (x int)", "INSERT INTO t VALUES (1)");
        seedCredentials(j, pg);
        WorkflowJob p = j.createProject(WorkflowJob.class, "bad-backup");
        p.setDefinition(new CpsFlowDefinition(
                """
                node {
                  def repo = "${pwd(tmp: true)}/repo"
                  def b = backupDatabase type: 'postgresql', host: '@HOST@', port: @PORT@, database: '@DB@',
                      credentialsId: 'pg-login', repository: repo, set: 'bad'
                  sh "for f in '${repo}/bad/${b.id}'/data.*; do chmod u+w \\"\\$f\\"; echo truncated > \\"\\$f\\"; done"
                  def soft = verifyBackup set: 'bad', repository: repo, failOnMismatch: false
                  echo "soft outcome=${soft.outcome} ok=${soft.ok}"
                  verifyBackup set: 'bad', repository: repo
                  echo 'not reached'
                }
                """
                        .replace("@HOST@", pg.host())
                        .replace("@PORT@", String.valueOf(pg.port()))
                        .replace("@DB@", db),
                true));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("soft outcome=SIZE_MISMATCH ok=false", b);
        j.assertLogContains("failed verification: SIZE_MISMATCH", b);
        j.assertLogNotContains("not reached", b);
        j.assertLogNotContains("\tat ", b);
        assertThat(b.getAction(DatabaseBackupAction.class).getVerifications())
                .extracting(DatabaseBackupAction.VerificationRow::getOutcome)
                .containsExactly("SIZE_MISMATCH", "SIZE_MISMATCH");
    }

    @Test
    void credentialFailuresAreOneLine(JenkinsRule j, PostgresServer pg) throws Exception {
        seedCredentials(j, pg);
        KeySetDefinition missingKeys = new KeySetDefinition("missing-keys");
        missingKeys.setRecipientCredentialsIds(List.of("no-such-public-key"));
        missingKeys.setSecretKeyCredentialsId("no-such-secret-key");
        DatabaseBackupConfiguration.get().setKeySets(List.of(missingKeys));
        WorkflowJob p = j.createProject(WorkflowJob.class, "credential-failures");
        for (String[] c : List.of(
                new String[] {
                    "backupDatabase type: 'postgresql', host: '127.0.0.1', database: 'x', credentialsId: 'a-secret-text',"
                            + " repository: \"${pwd(tmp: true)}/repo\"",
                    "credentialsId: Credentials 'a-secret-text' is of type 'Secret text' where 'Username with password'"
                            + " was expected"
                },
                new String[] {
                    "verifyBackup set: 'x', repository: \"${pwd(tmp: true)}/repo\", passphraseCredentialsId: 'nope'",
                    "passphraseCredentialsId: Credentials 'nope' not found: add a Secret text credential with this id"
                },
                new String[] {
                    "restoreDatabase set: 'x', repository: \"${pwd(tmp: true)}/repo\", type: 'postgresql',"
                            + " host: '127.0.0.1', targetDatabase: 'y', credentialsId: 'a-secret-text'",
                    "is of type 'Secret text' where 'Username with password' was expected"
                },
                new String[] {
                    "backupRedis host: '127.0.0.1', credentialsId: 'pg-login-missing', repository: \"${pwd(tmp: true)}/repo\"",
                    "credentialsId: Credentials 'pg-login-missing' not found: add a Secret text or Username with"
                            + " password credential"
                },
                // issue 10: every credential and name argument, when nothing has that id, names the argument
                new String[] {
                    "backupDatabase type: 'postgresql', host: '127.0.0.1', database: 'x', encryptTo: ['no-such-key'],"
                            + " repository: \"${pwd(tmp: true)}/repo\"",
                    "encryptTo: Credentials 'no-such-key' not found"
                },
                new String[] {
                    "restoreDatabase set: 'x', repository: \"${pwd(tmp: true)}/repo\", type: 'postgresql',"
                            + " host: '127.0.0.1', targetDatabase: 'y', secretKeyCredentialsId: 'no-such-key'",
                    "secretKeyCredentialsId: Credentials 'no-such-key' not found"
                },
                new String[] {
                    "verifyBackup set: 'x', repository: \"${pwd(tmp: true)}/repo\", level: 'restore',"
                            + " scratchType: 'postgresql', scratchHost: '127.0.0.1', scratchCredentialsId: 'no-such-login'",
                    "scratchCredentialsId: Credentials 'no-such-login' not found"
                },
                new String[] {
                    "backupDatabase connection: 'no-such-connection', repository: \"${pwd(tmp: true)}/repo\"",
                    "connection: no database connection named 'no-such-connection'"
                },
                new String[] {
                    "listBackups repositoryName: 'no-such-repository'",
                    "repositoryName: no backup repository named 'no-such-repository'"
                },
                new String[] {
                    "verifyBackup set: 'x', repository: \"${pwd(tmp: true)}/repo\", secretKeyPassphraseCredentialsId: 'a-secret-text'",
                    "secretKeyPassphraseCredentialsId is given without secretKeyCredentialsId"
                },
                // named encryption key sets: an unknown name, and a key set's credential named with the key set
                new String[] {
                    "backupRedis host: '127.0.0.1', keySet: 'no-such-key-set', repository: \"${pwd(tmp: true)}/repo\"",
                    "keySet: no encryption key set named 'no-such-key-set'"
                },
                new String[] {
                    "verifyBackup set: 'x', repository: \"${pwd(tmp: true)}/repo\", keySet: 'no-such-key-set'",
                    "keySet: no encryption key set named 'no-such-key-set'"
                },
                new String[] {
                    "backupDatabase type: 'postgresql', host: '127.0.0.1', database: 'x', keySet: 'missing-keys',"
                            + " repository: \"${pwd(tmp: true)}/repo\"",
                    "recipientCredentialsIds of key set missing-keys: Credentials 'no-such-public-key' not found"
                },
                new String[] {
                    "restoreDatabase set: 'x', repository: \"${pwd(tmp: true)}/repo\", type: 'postgresql',"
                            + " host: '127.0.0.1', targetDatabase: 'y', keySet: 'missing-keys'",
                    "secretKeyCredentialsId of key set missing-keys: Credentials 'no-such-secret-key' not found"
                },
                new String[] {
                    "pruneBackups set: 'x', repository: \"${pwd(tmp: true)}/repo\"",
                    "pruneBackups: no retention policy"
                })) {
            p.setDefinition(new CpsFlowDefinition("node {\n  " + c[0] + "\n}\n", true));
            WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
            j.assertLogContains(c[1], b);
            j.assertLogNotContains("\tat ", b);
            assertNoSecretIn(b, TEXT_SECRET);
        }
    }

    @Test
    void heldLeaseNamesTheHolder(JenkinsRule j) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "held-lease");
        p.setDefinition(new CpsFlowDefinition(
                """
                node {
                  def repo = "${pwd(tmp: true)}/repo"
                  writeFile file: 'lease.json', text: '{"holder":"jenkins:other#9","token":"00ff","acquiredAt":"2026-11-22T02:00:00Z","expiresAt":"2999-01-01T00:00:00Z"}'
                  sh "mkdir -p '${repo}/held' && cp lease.json '${repo}/held/prune.lease'"
                  pruneBackups set: 'held', repository: repo, keepLast: 1
                }
                """,
                true));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("Prune of set held did not run: pruning of set held is held by jenkins:other#9", b);
        j.assertLogNotContains("\tat ", b);
    }

    /** Stores a login for the test server and a secret text, as an administrator would, from a trusted script. */
    private static void seedCredentials(JenkinsRule j, PostgresServer pg) throws Exception {
        WorkflowJob seed = j.createProject(WorkflowJob.class, "seed-" + System.nanoTime());
        seed.setDefinition(new CpsFlowDefinition(
                """
                import com.cloudbees.plugins.credentials.CredentialsScope
                import com.cloudbees.plugins.credentials.SystemCredentialsProvider
                import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl
                import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl

                @NonCPS
                def seed(String user, String password, String text) {
                  def store = SystemCredentialsProvider.getInstance()
                  store.getCredentials().removeIf { it.id in ['pg-login', 'a-secret-text'] }
                  store.getCredentials().add(new UsernamePasswordCredentialsImpl(
                      CredentialsScope.GLOBAL, 'pg-login', 'test server', user, password))
                  store.getCredentials().add(new StringCredentialsImpl(
                      CredentialsScope.GLOBAL, 'a-secret-text', 'not a login', hudson.util.Secret.fromString(text)))
                  store.save()
                }
                seed(params.USER, params.PASSWORD, params.TEXT)
                """
                        .replace("params.USER", "'" + pg.user() + "'")
                        .replace("params.PASSWORD", "'" + pg.password() + "'")
                        .replace("params.TEXT", "'" + TEXT_SECRET + "'"),
                false));
        j.buildAndAssertSuccess(seed);
    }

    /** Neither the log nor any file of the build directory holds the secret. */
    private static void assertNoSecretIn(WorkflowRun b, String secret) throws IOException {
        try (Stream<Path> files = Files.walk(b.getRootDir().toPath())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1))
                        .as("build file %s", f)
                        .doesNotContain(secret);
            }
        }
    }
}
