package io.jenkins.plugins.dbbackup;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.VerifyRequest;
import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import io.jenkins.plugins.dbbackup.engine.repository.BackupId;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import io.jenkins.plugins.dbbackup.engine.verify.VerifyLevel;
import java.io.IOException;
import java.io.Serial;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
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
 * {@code verifyBackup}: proves a backup good at a level ({@code checksum}, {@code structure} or {@code restore}) on
 * the agent that runs the step, records the result next to the backup (so retention can rely on it) and on the
 * build page, and returns the verification as a map. An outcome other than {@code OK} fails the build with one line
 * unless {@code failOnMismatch: false}; the row is recorded first either way.
 */
public final class VerifyBackupStep extends DecryptingStep {
    static final String LATEST = "latest";

    private final String set;
    private String repository;
    private String repositoryName;
    private String id = LATEST;
    private String level = VerifyLevel.CHECKSUM.id();
    private String scratchConnection;
    private String scratchType;
    private String scratchHost;
    private int scratchPort;
    private String scratchCredentialsId;
    private boolean failOnMismatch = true;
    private boolean record = true;

    /** @param set the backup set (series) to verify a backup of */
    @DataBoundConstructor
    public VerifyBackupStep(String set) {
        String value = StepSupport.set(set);
        if (value == null) {
            throw new IllegalArgumentException(Messages.StepSupport_SetMissing());
        }
        this.set = value;
    }

    public String getSet() {
        return set;
    }

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

    /** A backup id, or {@code latest} (the default). */
    public String getId() {
        return id;
    }

    @DataBoundSetter
    public void setId(String id) {
        this.id = backupId(id);
    }

    /** {@code checksum} (default), {@code structure} or {@code restore}. */
    public String getLevel() {
        return level;
    }

    @DataBoundSetter
    public void setLevel(String level) {
        String value = StepSupport.fixEmpty(level);
        this.level = value == null ? VerifyLevel.CHECKSUM.id()
                : StepSupport.argument("level", () -> VerifyLevel.parse(value).id());
    }

    /** For the restore level: a named connection of the global configuration to create the scratch database on. */
    public String getScratchConnection() {
        return scratchConnection;
    }

    @DataBoundSetter
    public void setScratchConnection(String scratchConnection) {
        this.scratchConnection = StepSupport.fixEmpty(scratchConnection);
    }

    public String getScratchType() {
        return scratchType;
    }

    @DataBoundSetter
    public void setScratchType(String scratchType) {
        this.scratchType = StepSupport.type("scratchType", scratchType);
    }

    public String getScratchHost() {
        return scratchHost;
    }

    @DataBoundSetter
    public void setScratchHost(String scratchHost) {
        this.scratchHost = StepSupport.host("scratchHost", scratchHost);
    }

    /** 0 for the named connection's port or the type's default. */
    public int getScratchPort() {
        return scratchPort;
    }

    @DataBoundSetter
    public void setScratchPort(int scratchPort) {
        this.scratchPort = StepSupport.port("scratchPort", scratchPort);
    }

    /** A "Username with password" credential of an account that may create and drop databases. */
    public String getScratchCredentialsId() {
        return scratchCredentialsId;
    }

    @DataBoundSetter
    public void setScratchCredentialsId(String scratchCredentialsId) {
        this.scratchCredentialsId = StepSupport.fixEmpty(scratchCredentialsId);
    }

    /** Whether an outcome other than OK fails the build (default); false returns it for the script to judge. */
    public boolean isFailOnMismatch() {
        return failOnMismatch;
    }

    @DataBoundSetter
    public void setFailOnMismatch(boolean failOnMismatch) {
        this.failOnMismatch = failOnMismatch;
    }

    /** Whether the result is stored next to the backup (default), where retention reads it. */
    public boolean isRecord() {
        return record;
    }

    @DataBoundSetter
    public void setRecord(boolean record) {
        this.record = record;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** {@code latest} for empty; otherwise {@code latest} or a valid backup id. */
    static String backupId(String value) {
        String id = StepSupport.fixEmpty(value);
        if (id == null || LATEST.equalsIgnoreCase(id)) {
            return LATEST;
        }
        return StepSupport.argument("id", () -> BackupId.check(id));
    }

    /**
     * The scratch server for the restore level, or null for the other levels. Pure.
     *
     * @throws IllegalArgumentException naming what is missing
     */
    DatabaseConnection scratchServer(DatabaseDefinition named, DatabaseCredentials.Login login) {
        if (VerifyLevel.parse(level) != VerifyLevel.RESTORE) {
            return null;
        }
        if (named == null && scratchHost == null) {
            throw new IllegalArgumentException(Messages.VerifyBackupStep_ScratchMissing());
        }
        String type = scratchType != null ? scratchType : named == null ? null : named.getType();
        // the engine creates a scratch database with a unique name; a server-level connection needs a database
        // name only to be valid, so use the server's maintenance database
        String maintenance = type == null ? null : DatabaseType.parse(type) == DatabaseType.MARIADB ? "mysql" : "postgres";
        return StepSupport.connection(named, scratchType, scratchHost, scratchPort, null, maintenance, login);
    }

    /** The engine request for these arguments. Pure. */
    VerifyRequest toRequest(RepositorySpec repositorySpec, DatabaseConnection scratch, DecryptionKeys keys) {
        return new VerifyRequest(repositorySpec, set, id, VerifyLevel.parse(level), keys, scratch, record);
    }

    /** The log line for a finished verification. */
    static String summary(VerificationRecord r) {
        String recovery = r.restoreMillis() > 0
                ? Messages.VerifyBackupStep_RecoveryTime(String.format(Locale.ROOT, "%.1f", r.restoreMillis() / 1000.0))
                : "";
        return Messages.VerifyBackupStep_Done(r.set(), r.backupId(), r.level(), r.outcome()) + recovery;
    }

    /** What a Pipeline's step list shows for a call: never a credential id, a host or a path. */
    static String describeArguments(Map<String, Object> namedArgs) {
        return StepSupport.describe(namedArgs, "set", "id");
    }

    @Extension
    @Symbol("verifyBackup")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "verifyBackup";
        }

        @Override
        public String getDisplayName() {
            return Messages.VerifyBackupStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return StepSupport.REQUIRED_CONTEXT;
        }

        @Override
        public String argumentsToString(Map<String, Object> namedArgs) {
            return describeArguments(namedArgs);
        }

        public ListBoxModel doFillLevelItems() {
            ListBoxModel items = new ListBoxModel();
            for (VerifyLevel l : VerifyLevel.values()) {
                items.add(l.id(), l.id());
            }
            return items;
        }

        public ListBoxModel doFillScratchTypeItems() {
            return StepSupport.typeItems(true);
        }

        @POST
        public ListBoxModel doFillScratchCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String scratchCredentialsId) {
            return StepSupport.usernamePasswordItems(item, scratchCredentialsId);
        }

        @POST
        public ListBoxModel doFillSecretKeyCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String secretKeyCredentialsId) {
            return StepSupport.secretFileOrTextItems(item, secretKeyCredentialsId);
        }

        @POST
        public ListBoxModel doFillSecretKeyPassphraseCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String secretKeyPassphraseCredentialsId) {
            return StepSupport.secretTextItems(item, secretKeyPassphraseCredentialsId);
        }

        @POST
        public ListBoxModel doFillPassphraseCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String passphraseCredentialsId) {
            return StepSupport.secretTextItems(item, passphraseCredentialsId);
        }

        @POST
        public FormValidation doCheckSet(@AncestorInPath Item item, @QueryParameter String value) {
            return StepSupport.check(item, () -> new VerifyBackupStep(value));
        }

        @POST
        public FormValidation doCheckId(@AncestorInPath Item item, @QueryParameter String value) {
            return StepSupport.check(item, () -> backupId(value));
        }

        @POST
        public FormValidation doCheckRepository(@AncestorInPath Item item, @QueryParameter String value) {
            return StepSupport.check(item, () -> StepSupport.repositoryUri(value));
        }
    }

    /** Resolves credentials on the controller, verifies on the agent, records the row, then judges the outcome. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        @Serial
        private static final long serialVersionUID = 1L;

        private final transient VerifyBackupStep step;

        Execution(VerifyBackupStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            StepContext context = getContext();
            Run<?, ?> run = context.get(Run.class);
            TaskListener listener = context.get(TaskListener.class);
            FilePath workspace = context.get(FilePath.class);
            EnvVars env = context.get(EnvVars.class);

            VerifyRequest request = request(run);
            listener.getLogger().println(Messages.VerifyBackupStep_Starting(
                    request.set(), request.backupId(), request.repository().uri(), request.level().id()));
            VerificationRecord result;
            try {
                result = workspace.act(new VerifyCallable(request, StepSupport.toolDirectory(env), listener));
            } catch (BackupException e) {
                throw new AbortException(Messages.VerifyBackupStep_Failed(request.set(), e.getMessage()));
            }
            listener.getLogger().println(summary(result));
            DatabaseBackupAction.record(run, result);
            if (!result.ok() && step.isFailOnMismatch()) {
                throw new AbortException(Messages.VerifyBackupStep_NotOk(
                        result.set(), result.backupId(), result.outcome(), String.join("; ", result.details())));
            }
            return result.toMap();
        }

        private VerifyRequest request(Run<?, ?> run) throws IOException {
            RepositorySpec repository =
                    StepSupport.repository("verifyBackup", step.getRepository(), step.getRepositoryName(), run);
            try {
                DatabaseDefinition named = StepSupport.connection("scratchConnection", step.getScratchConnection());
                DatabaseConnection scratch = null;
                if (VerifyLevel.parse(step.getLevel()) == VerifyLevel.RESTORE) {
                    String credentialsId = step.getScratchCredentialsId() != null
                            ? step.getScratchCredentialsId()
                            : named == null ? null : named.getCredentialsId();
                    scratch = step.scratchServer(named, DatabaseCredentials.forArgument(
                            StepSupport.credentialsArgument("scratchCredentialsId", step.getScratchCredentialsId(),
                                    named),
                            () -> DatabaseCredentials.login(credentialsId, run)));
                }
                StepSupport.DecryptionIds decryption = StepSupport.DecryptionIds.of(step.getSecretKeyCredentialsId(),
                        step.getSecretKeyPassphraseCredentialsId(), step.getPassphraseCredentialsId(),
                        StepSupport.keySet(step.getKeySet()));
                DecryptionKeys keys = StepSupport.decryptionKeys(decryption, run);
                return step.toRequest(repository, scratch, keys);
            } catch (IllegalArgumentException e) {
                throw new AbortException(Messages.VerifyBackupStep_Invalid(e.getMessage()));
            }
        }
    }
}
