package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Label;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.RedisServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * All six steps in one sandboxed Pipeline on a separate agent ({@code createOnlineSlave}: its own JVM and file
 * system root), against real PostgreSQL and Redis servers, with credentials from the system store; then the
 * credentials-binding style leak check of the log, the build directory and the agent's workspace.
 *
 * <p>Real plugin build only (src/test-jenkins, tag {@code jenkins}): {@code DumbSlave} and the credential
 * implementations are not in the API tables the stand-in is held to.
 */
@Tag("jenkins")
@WithJenkins
@ExtendWith(ThrowawayServers.class)
class AgentPipelineTest {
    private static final String PASSPHRASE = "pp-91c3e7aa-do-not-print";

    @Test
    void everyStepRunsOnTheAgentAndNoSecretLeaks(JenkinsRule j, PostgresServer pg, RedisServer redis)
            throws Exception {
        String db = "agent_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        pg.createDatabase(db);
        pg.execute(db, "CREATE TABLE orders (id int PRIMARY KEY)", "INSERT INTO orders SELECT generate_series(1, 250)");
        Seed.login("pg-login", pg.user(), pg.password());
        Seed.secretText("redis-password", redis.password());
        Seed.secretText("backup-passphrase", PASSPHRASE);
        DumbSlave agent = j.createOnlineSlave(Label.get("db-agent"));

        WorkflowJob p = j.createProject(WorkflowJob.class, "on-agent");
        p.setDefinition(new CpsFlowDefinition(
                """
                node('db-agent') {
                  def repo = "${pwd(tmp: true)}/repo"
                  echo "repository at ${repo}"
                  def b = backupDatabase type: 'postgresql', host: '@HOST@', port: @PORT@, database: '@DB@',
                      credentialsId: 'pg-login', repository: repo, set: 'orders',
                      passphraseCredentialsId: 'backup-passphrase'
                  def v = verifyBackup set: 'orders', repository: repo, id: b.id, level: 'restore',
                      scratchType: 'postgresql', scratchHost: '@HOST@', scratchPort: @PORT@,
                      scratchCredentialsId: 'pg-login', passphraseCredentialsId: 'backup-passphrase'
                  def list = listBackups set: 'orders', repository: repo
                  def r = restoreDatabase set: 'orders', repository: repo, id: b.id, type: 'postgresql',
                      host: '@HOST@', port: @PORT@, credentialsId: 'pg-login', targetDatabase: '@DB@_restored',
                      create: true, passphraseCredentialsId: 'backup-passphrase'
                  def rb = backupRedis host: '@RHOST@', port: @RPORT@, credentialsId: 'redis-password',
                      repository: repo, set: 'sessions'
                  def rv = verifyBackup set: 'sessions', repository: repo, id: rb.id
                  def pr = pruneBackups set: 'orders', repository: repo, keepLast: 1
                  echo "encrypted=${b.encrypted} verify=${v.outcome} listed=${list.size()} restored=${r.backupId == b.id}"
                  echo "redis=${rv.outcome} kind=${rb.kind} pruned=${pr.deleted.size()} refusal=${pr.refusal}"
                }
                """
                        .replace("@HOST@", pg.host())
                        .replace("@PORT@", String.valueOf(pg.port()))
                        .replace("@DB@", db)
                        .replace("@RHOST@", redis.host())
                        .replace("@RPORT@", String.valueOf(redis.port())),
                true));
        WorkflowRun b = j.buildAndAssertSuccess(p);
        j.assertLogContains("Running on " + agent.getNodeName(), b);
        j.assertLogContains("encrypted=true verify=OK listed=1 restored=true", b);
        j.assertLogContains("redis=OK kind=redis-rdb", b);
        j.assertLogContains("pruned=0 refusal=null", b);
        assertThat(pg.queryLong(db + "_restored", "SELECT count(*) FROM orders")).isEqualTo(250);

        // the data went to the agent's file system, not the controller's
        Path agentRoot = Path.of(agent.getRemoteFS());
        assertThat(manifestsUnder(agentRoot)).isEqualTo(2);
        assertThat(manifestsUnder(j.jenkins.getRootDir().toPath().resolve("workspace"))).isZero();

        DatabaseBackupAction action = b.getAction(DatabaseBackupAction.class);
        assertThat(action.getBackups()).hasSize(2);
        assertThat(action.getVerifications()).extracting(DatabaseBackupAction.VerificationRow::getOutcome)
                .containsExactly("OK", "OK");
        assertThat(action.getRestores()).hasSize(1);
        assertThat(action.getPrunes()).hasSize(1);

        for (String secret : new String[] {pg.password(), redis.password(), PASSPHRASE}) {
            j.assertLogNotContains(secret, b);
            Seed.assertNoSecretUnder(b.getRootDir().toPath(), secret);
            Seed.assertNoSecretUnder(agentRoot.resolve("workspace"), secret);
        }
    }

    private static long manifestsUnder(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().equals("manifest.json")).count();
        }
    }
}
