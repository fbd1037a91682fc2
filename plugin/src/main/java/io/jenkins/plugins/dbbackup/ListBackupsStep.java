package io.jenkins.plugins.dbbackup;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import java.io.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code listBackups}: the complete backups of a set (or of every set), oldest first, as a list of maps for
 * scripts ({@code id}, {@code set}, {@code kind}, {@code startedAt}, {@code storedBytes}, {@code storedSha256} ...).
 * Read-only: nothing is recorded on the build page.
 */
public final class ListBackupsStep extends Step {
    private String repository;
    private String repositoryName;
    private String set;

    @DataBoundConstructor
    public ListBackupsStep() {}

    public String getRepository() {
        return repository;
    }

    @DataBoundSetter
    public void setRepository(String repository) {
        this.repository = StepSupport.repositoryUri(repository);
    }

    public String getRepositoryName() {
        return repositoryName;
    }

    @DataBoundSetter
    public void setRepositoryName(String repositoryName) {
        this.repositoryName = StepSupport.fixEmpty(repositoryName);
    }

    /** The set to list; null for every set. */
    public String getSet() {
        return set;
    }

    @DataBoundSetter
    public void setSet(String set) {
        this.set = StepSupport.set(set);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** What a Pipeline's step list shows for a call: never a credential id, a host or a path. */
    static String describeArguments(Map<String, Object> namedArgs) {
        return StepSupport.describe(namedArgs, "set");
    }

    @Extension
    @Symbol("listBackups")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "listBackups";
        }

        @Override
        public String getDisplayName() {
            return Messages.ListBackupsStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return StepSupport.REQUIRED_CONTEXT;
        }

        @Override
        public String argumentsToString(Map<String, Object> namedArgs) {
            return describeArguments(namedArgs);
        }

        @POST
        public FormValidation doCheckSet(@AncestorInPath Item item, @QueryParameter String value) {
            return StepSupport.check(item, () -> StepSupport.set(value));
        }

        @POST
        public FormValidation doCheckRepository(@AncestorInPath Item item, @QueryParameter String value) {
            return StepSupport.check(item, () -> StepSupport.repositoryUri(value));
        }
    }

    /** Lists on the agent (a local repository is the agent's directory). */
    static final class Execution extends SynchronousNonBlockingStepExecution<List<Map<String, Object>>> {
        @Serial
        private static final long serialVersionUID = 1L;

        private final transient ListBackupsStep step;

        Execution(ListBackupsStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected List<Map<String, Object>> run() throws Exception {
            StepContext context = getContext();
            Run<?, ?> run = context.get(Run.class);
            TaskListener listener = context.get(TaskListener.class);
            FilePath workspace = context.get(FilePath.class);
            RepositorySpec repository =
                    StepSupport.repository("listBackups", step.getRepository(), step.getRepositoryName(), run);
            ArrayList<Map<String, Object>> rows;
            try {
                rows = workspace.act(new ListCallable(repository, step.getSet(), listener));
            } catch (BackupException e) {
                throw new AbortException(Messages.ListBackupsStep_Failed(repository.uri(), e.getMessage()));
            }
            listener.getLogger().println(Messages.ListBackupsStep_Done(
                    String.valueOf(rows.size()), repository.uri(), step.getSet() == null ? "*" : step.getSet()));
            return rows;
        }
    }
}
