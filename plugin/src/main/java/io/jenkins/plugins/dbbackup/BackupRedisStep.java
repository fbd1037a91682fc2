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
import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.codec.Compression;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import java.io.IOException;
import java.io.Serial;
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
 * {@code backupRedis}: backs up a whole Redis server (an RDB snapshot over the replication protocol) into a
 * repository, like {@code backupDatabase} with the type fixed to Redis. The login is a "Secret text" credential
 * (the {@code requirepass} password) or a "Username with password" credential (an ACL user).
 */
public final class BackupRedisStep extends Step {
    private final String host;
    private int port;
    private String credentialsId;
    private String repository;
    private String repositoryName;
    private String set;
    private String compression = BackupDatabaseStep.DEFAULT_COMPRESSION;
    private int compressionLevel;
    private List<String> encryptTo = List.of();
    private String passphraseCredentialsId;
    private String keySet;

    /** @param host host name or address of the Redis server, as the agent sees it */
    @DataBoundConstructor
    public BackupRedisStep(String host) {
        String value = StepSupport.host("host", host);
        if (value == null) {
            throw new IllegalArgumentException(Messages.BackupRedisStep_HostMissing());
        }
        this.host = value;
    }

    public String getHost() {
        return host;
    }

    /** 0 for 6379. */
    public int getPort() {
        return port;
    }

    @DataBoundSetter
    public void setPort(int port) {
        this.port = StepSupport.port("port", port);
    }

    /** "Secret text" (password) or "Username with password" (ACL user); null for a server without a password. */
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = StepSupport.fixEmpty(credentialsId);
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

    /** The backup set; null for {@code redis-<host>-<port>}. */
    public String getSet() {
        return set;
    }

    @DataBoundSetter
    public void setSet(String set) {
        this.set = StepSupport.set(set);
    }

    public String getCompression() {
        return compression;
    }

    @DataBoundSetter
    public void setCompression(String compression) {
        String value = StepSupport.fixEmpty(compression);
        this.compression = value == null ? BackupDatabaseStep.DEFAULT_COMPRESSION
                : StepSupport.argument("compression", () -> Compression.parse(value).id());
    }

    public int getCompressionLevel() {
        return compressionLevel;
    }

    @DataBoundSetter
    public void setCompressionLevel(int compressionLevel) {
        if (compressionLevel < 0 || compressionLevel > 19) {
            throw new IllegalArgumentException(
                    Messages.BackupDatabaseStep_LevelOutOfRange(String.valueOf(compressionLevel)));
        }
        this.compressionLevel = compressionLevel;
    }

    public List<String> getEncryptTo() {
        return encryptTo == null ? List.of() : encryptTo;
    }

    @DataBoundSetter
    public void setEncryptTo(List<String> encryptTo) {
        this.encryptTo = List.copyOf(StepSupport.credentialIds(encryptTo));
    }

    public String getPassphraseCredentialsId() {
        return passphraseCredentialsId;
    }

    @DataBoundSetter
    public void setPassphraseCredentialsId(String passphraseCredentialsId) {
        this.passphraseCredentialsId = StepSupport.fixEmpty(passphraseCredentialsId);
    }

    /**
     * Name of an encryption key set in the global configuration. The step's own credential arguments take the
     * place of its entries, each one separately ({@code encryptTo}, {@code passphraseCredentialsId}). Null for none.
     */
    public String getKeySet() {
        return keySet;
    }

    @DataBoundSetter
    public void setKeySet(String keySet) {
        this.keySet = StepSupport.fixEmpty(keySet);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /**
     * The engine request. Pure.
     *
     * @throws IllegalArgumentException naming what is missing or wrong; never a secret
     */
    BackupRequest toRequest(RepositorySpec repositorySpec, DatabaseCredentials.Login login, EncryptionSettings encryption) {
        DatabaseConnection source = new DatabaseConnection(DatabaseType.REDIS, host,
                port == 0 ? DatabaseType.REDIS.defaultPort() : port, null, login.user(), login.password());
        return new BackupRequest(source, repositorySpec, set,
                BackupDatabaseStep.compressionSettings(compression, compressionLevel), encryption);
    }

    /** What a Pipeline's step list shows for a call: never a credential id, a host or a path. */
    static String describeArguments(Map<String, Object> namedArgs) {
        return StepSupport.describe(namedArgs, "set");
    }

    @Extension
    @Symbol("backupRedis")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "backupRedis";
        }

        @Override
        public String getDisplayName() {
            return Messages.BackupRedisStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return StepSupport.REQUIRED_CONTEXT;
        }

        @Override
        public String argumentsToString(Map<String, Object> namedArgs) {
            return describeArguments(namedArgs);
        }

        public ListBoxModel doFillCompressionItems() {
            ListBoxModel items = new ListBoxModel();
            for (Compression c : List.of(Compression.ZSTD, Compression.GZIP, Compression.NONE)) {
                items.add(c.id(), c.id());
            }
            return items;
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return StepSupport.loginOrPasswordItems(item, credentialsId);
        }

        @POST
        public ListBoxModel doFillPassphraseCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String passphraseCredentialsId) {
            return StepSupport.secretTextItems(item, passphraseCredentialsId);
        }

        @POST
        public FormValidation doCheckHost(@AncestorInPath Item item, @QueryParameter String value) {
            return StepSupport.check(item, () -> new BackupRedisStep(value));
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

    /** Resolves the login and keys on the controller; the backup itself runs as for {@code backupDatabase}. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        @Serial
        private static final long serialVersionUID = 1L;

        private final transient BackupRedisStep step;

        Execution(BackupRedisStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            return BackupDatabaseStep.Execution.backup(getContext(), request(run));
        }

        private BackupRequest request(Run<?, ?> run) throws IOException {
            RepositorySpec repository =
                    StepSupport.repository("backupRedis", step.getRepository(), step.getRepositoryName(), run);
            try {
                DatabaseCredentials.Login login = DatabaseCredentials.forArgument("credentialsId",
                        () -> DatabaseCredentials.loginOrPassword(step.getCredentialsId(), run));
                KeySetDefinition keySet = StepSupport.keySet(step.getKeySet());
                EncryptionSettings encryption =
                        StepSupport.encryption(StepSupport.EncryptionIds.of(
                                step.getEncryptTo(), step.getPassphraseCredentialsId(), keySet), run);
                return step.toRequest(repository, login, encryption);
            } catch (IllegalArgumentException e) {
                throw new AbortException(Messages.BackupRedisStep_Invalid(e.getMessage()));
            }
        }
    }
}
