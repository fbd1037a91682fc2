package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code backupDatabase} in real Pipelines. Needs a Jenkins: runs only in the real plugin build (tag
 * {@code jenkins}, excluded by pom-stubs.xml).
 */
@Tag("jenkins")
@WithJenkins
class BackupDatabaseStepPipelineTest {

    @Test
    void stepIsRegisteredUnderItsFunctionName(JenkinsRule j) {
        assertThat(StepDescriptor.byFunctionName("backupDatabase"))
                .isInstanceOf(BackupDatabaseStep.DescriptorImpl.class);
    }

    @Test
    void unknownCredentialsFailTheBuildWithOneLine(JenkinsRule j) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "unknown-credentials");
        p.setDefinition(new CpsFlowDefinition(
                """
                node {
                  backupDatabase type: 'postgresql', host: '127.0.0.1', database: 'orders',
                      credentialsId: 'no-such-login', repository: "${pwd(tmp: true)}/repo"
                }
                """,
                true));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("Credentials 'no-such-login' not found", b);
        j.assertLogNotContains("\tat ", b); // an AbortException: no stack trace
    }

    @Test
    void missingTypeIsNamed(JenkinsRule j) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "missing-type");
        p.setDefinition(new CpsFlowDefinition(
                """
                node {
                  backupDatabase host: '127.0.0.1', database: 'orders', repository: "${pwd(tmp: true)}/repo"
                }
                """,
                true));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("backupDatabase: type is missing", b);
    }

    @Test
    void badArgumentFailsBeforeAnythingRuns(JenkinsRule j) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "bad-type");
        p.setDefinition(new CpsFlowDefinition(
                """
                node {
                  backupDatabase type: 'oracle', host: '127.0.0.1', database: 'orders', repository: '/tmp/repo'
                }
                """,
                true));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("unknown database type 'oracle'", b);
        j.assertLogNotContains("Backing up", b);
    }

    @Test
    void unreachableServerFailsAndLeavesNoBackupRow(JenkinsRule j) throws Exception {
        // Port 1 on loopback: nothing listens there. The step must reach the agent-side engine and fail.
        WorkflowJob p = j.createProject(WorkflowJob.class, "unreachable");
        p.setDefinition(new CpsFlowDefinition(
                """
                node {
                  backupDatabase type: 'postgresql', host: '127.0.0.1', port: 1, database: 'orders',
                      repository: "${pwd(tmp: true)}/repo"
                }
                """,
                true));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("Backing up postgresql://127.0.0.1:1/orders", b);
        assertThat(b.getAction(DatabaseBackupAction.class)).isNull();
    }

    // A backup of a real PostgreSQL with stored credentials, the leak check of the build directory, and the other
    // steps: PipelineStepsTest. Every step on a separate agent (JenkinsRule.createOnlineSlave returns
    // hudson.slaves.DumbSlave, which is not in the API tables): AgentPipelineTest in src/test-jenkins, compiled by
    // the real build only.
}
