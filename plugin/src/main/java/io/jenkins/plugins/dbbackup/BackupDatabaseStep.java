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
import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.BackupResult;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.SetName;
import io.jenkins.plugins.dbbackup.engine.codec.Compression;
import io.jenkins.plugins.dbbackup.engine.codec.CompressionSettings;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.engine.source.DatabaseSource;
import java.io.IOException;
import java.io.Serial;
import java.util.List;
import java.util.Locale;
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
 * {@code backupDatabase}: dumps one database into a backup repository, on the agent that runs the step, and
 * returns a map describing the backup ({@link BackupResult#toMap()}).
 *
 * <p>Data only. Every argument is optional at binding time, because a step will be able to name a connection
 * and a repository defined once in the global configuration instead of repeating them; what a backup needs is
 * checked when the step starts ({@link #toRequest}), with one readable line when something is missing.
 * Each setter checks its own value at once, so a typo fails the step before anything runs.
 */
public final class BackupDatabaseStep extends Step {
    static final String DEFAULT_COMPRESSION = "zstd";
    static final String DEFAULT_PG_FORMAT = "custom";
    /** Environment variable naming a directory with the native dump tools on the agent, searched before PATH. */
    static final String TOOL_DIR_VARIABLE = "DBBACKUP_TOOL_DIR";

    private String type;
    private String host;
    private int port;
    private String database;
    private String credentialsId;
    private String repository;
    private String set;
    private String compression = DEFAULT_COMPRESSION;
    private int compressionLevel;
    private String pgFormat = DEFAULT_PG_FORMAT;
    private int jobs;
    private String connection;
    private String repositoryName;
    private List<String> encryptTo = List.of();
    private String passphraseCredentialsId;
    private String keySet;

    @DataBoundConstructor
    public BackupDatabaseStep() {}

    /** {@code postgresql}, {@code mariadb} (also {@code mysql}) or {@code redis}; null until set. */
    public String getType() {
        return type;
    }

    @DataBoundSetter
    public void setType(String type) {
        String value = fixEmpty(type);
        this.type = value == null ? null : StepSupport.argument("type", () -> DatabaseType.parse(value).id());
    }

    public String getHost() {
        return host;
    }

    @DataBoundSetter
    public void setHost(String host) {
        this.host = StepSupport.host("host", host);
    }

    /** The server's TCP port; 0 means the default port of the database type. */
    public int getPort() {
        return port;
    }

    @DataBoundSetter
    public void setPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(Messages.BackupDatabaseStep_PortOutOfRange(String.valueOf(port)));
        }
        this.port = port;
    }

    public String getDatabase() {
        return database;
    }

    @DataBoundSetter
    public void setDatabase(String database) {
        this.database = fixEmpty(database);
    }

    /** Id of a "Username with password" credential, or null for a server that needs no password. */
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = fixEmpty(credentialsId);
    }

    /** {@code file:///absolute/path}, an absolute path, or {@code s3://bucket/prefix}. */
    public String getRepository() {
        return repository;
    }

    @DataBoundSetter
    public void setRepository(String repository) {
        String value = fixEmpty(repository);
        if (value != null) {
            RepositorySpec.of(value); // rejects what can never be a repository, with the engine's message
        }
        this.repository = value;
    }

    /** The backup set (series); null means the database name. */
    public String getSet() {
        return set;
    }

    @DataBoundSetter
    public void setSet(String set) {
        String value = fixEmpty(set);
        this.set = value == null ? null : SetName.check(value);
    }

    /** {@code zstd} (default), {@code gzip} or {@code none}. */
    public String getCompression() {
        return compression;
    }

    @DataBoundSetter
    public void setCompression(String compression) {
        String value = fixEmpty(compression);
        this.compression = value == null ? DEFAULT_COMPRESSION
                : StepSupport.argument("compression", () -> Compression.parse(value).id());
    }

    /** The compression level; 0 means the algorithm's default (zstd 3, gzip 6). */
    public int getCompressionLevel() {
        return compressionLevel;
    }

    @DataBoundSetter
    public void setCompressionLevel(int compressionLevel) {
        if (compressionLevel < 0 || compressionLevel > 19) {
            throw new IllegalArgumentException(Messages.BackupDatabaseStep_LevelOutOfRange(String.valueOf(compressionLevel)));
        }
        this.compressionLevel = compressionLevel;
    }

    /**
     * PostgreSQL dump format: {@code custom} (default, streamed) or {@code directory} (dumped into a private temporary
     * directory on the agent's disk, then stored as one tar stream; allows parallel {@link #getJobs() jobs}).
     */
    public String getPgFormat() {
        return pgFormat;
    }

    @DataBoundSetter
    public void setPgFormat(String pgFormat) {
        String value = fixEmpty(pgFormat);
        value = value == null ? DEFAULT_PG_FORMAT : value.trim();
        if (!value.equals("custom") && !value.equals("directory")) {
            throw new IllegalArgumentException(Messages.BackupDatabaseStep_PgFormatUnknown(value));
        }
        this.pgFormat = value;
    }

    /** Parallel pg_dump jobs of the directory format; 0 means one. */
    public int getJobs() {
        return jobs;
    }

    @DataBoundSetter
    public void setJobs(int jobs) {
        if (jobs < 0 || jobs > DatabaseSource.DumpOptions.MAX_JOBS) {
            throw new IllegalArgumentException(Messages.BackupDatabaseStep_JobsOutOfRange(String.valueOf(jobs),
                    String.valueOf(DatabaseSource.DumpOptions.MAX_JOBS)));
        }
        this.jobs = jobs;
    }

    /** The dump options the step asks for. */
    DatabaseSource.DumpOptions dumpOptions() {
        boolean directory = "directory".equals(pgFormat);
        int n = Math.max(1, jobs);
        if (n > 1 && !directory) {
            throw new IllegalArgumentException(Messages.BackupDatabaseStep_JobsNeedDirectory(String.valueOf(n)));
        }
        return new DatabaseSource.DumpOptions(directory, n);
    }

    /**
     * Name of a database connection in the global configuration; its values fill in what the step leaves out.
     */
    public String getConnection() {
        return connection;
    }

    @DataBoundSetter
    public void setConnection(String connection) {
        this.connection = fixEmpty(connection);
    }

    /** Name of a backup repository in the global configuration, instead of {@link #getRepository()}. */
    public String getRepositoryName() {
        return repositoryName;
    }

    @DataBoundSetter
    public void setRepositoryName(String repositoryName) {
        this.repositoryName = fixEmpty(repositoryName);
    }

    /**
     * Ids of "Secret file" or "Secret text" credentials, each holding an OpenPGP public key (armored or binary) the
     * backup is encrypted to; empty for none.
     */
    public List<String> getEncryptTo() {
        return encryptTo == null ? List.of() : encryptTo;
    }

    @DataBoundSetter
    public void setEncryptTo(List<String> encryptTo) {
        this.encryptTo = List.copyOf(StepSupport.credentialIds(encryptTo));
    }

    /** Id of a "Secret text" credential: a passphrase the backup is (also) encrypted with; null for none. */
    public String getPassphraseCredentialsId() {
        return passphraseCredentialsId;
    }

    @DataBoundSetter
    public void setPassphraseCredentialsId(String passphraseCredentialsId) {
        this.passphraseCredentialsId = fixEmpty(passphraseCredentialsId);
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
        this.keySet = fixEmpty(keySet);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /**
     * The engine request for these arguments and the resolved login. Pure: no Jenkins, no I/O.
     *
     * @param user the database user, or null
     * @param password the password, or null
     * @throws IllegalArgumentException naming what is missing or wrong; the message holds no secret
     */
    BackupRequest toRequest(String user, Secret password) {
        return toRequest(null, null, user, password);
    }

    /**
     * The engine request for these arguments, filled in from a named connection and repository. Pure.
     *
     * @param named the connection {@link #getConnection()} names, or null
     * @param namedRepository the repository {@link #getRepositoryName()} names, resolved, or null
     * @param user the database user, or null
     * @param password the password, or null
     * @throws IllegalArgumentException naming what is missing or wrong; the message holds no secret
     */
    BackupRequest toRequest(DatabaseDefinition named, RepositorySpec namedRepository, String user, Secret password) {
        return toRequest(named, namedRepository, user, password, EncryptionSettings.none());
    }

    /**
     * The engine request for these arguments, with the encryption resolved from {@link #getEncryptTo()} and
     * {@link #getPassphraseCredentialsId()}. Pure.
     */
    BackupRequest toRequest(DatabaseDefinition named, RepositorySpec namedRepository, String user, Secret password,
            EncryptionSettings encryption) {
        String effectiveType = type != null ? type : named == null ? null : named.getType();
        if (effectiveType == null) {
            throw new IllegalArgumentException(Messages.BackupDatabaseStep_TypeMissing());
        }
        if (repository != null && repositoryName != null) {
            throw new IllegalArgumentException(Messages.BackupDatabaseStep_TwoRepositories());
        }
        RepositorySpec target = repository != null ? RepositorySpec.of(repository) : namedRepository;
        if (target == null) {
            throw new IllegalArgumentException(Messages.BackupDatabaseStep_RepositoryMissing());
        }
        DatabaseType databaseType = DatabaseType.parse(effectiveType);
        String effectiveHost = host != null ? host : named == null ? null : named.getHost();
        int effectivePort = port != 0 ? port : named == null ? 0 : named.getPort();
        String effectiveDatabase = database != null ? database : named == null ? null : named.getDatabase();
        DatabaseConnection source = new DatabaseConnection(
                databaseType,
                effectiveHost,
                effectivePort == 0 ? databaseType.defaultPort() : effectivePort,
                effectiveDatabase,
                user,
                password);
        return new BackupRequest(source, target, set, compressionSettings(), encryption, dumpOptions());
    }

    /** The credential to log in with: the step's own, else the named connection's; null for none. */
    String effectiveCredentialsId(DatabaseDefinition named) {
        return credentialsId != null ? credentialsId : named == null ? null : named.getCredentialsId();
    }

    CompressionSettings compressionSettings() {
        return compressionSettings(compression, compressionLevel);
    }

    /** The engine's compression for a step's {@code compression} and {@code compressionLevel}. Pure. */
    static CompressionSettings compressionSettings(String compression, int compressionLevel) {
        Compression algorithm = Compression.parse(compression);
        int max = switch (algorithm) {
            case ZSTD -> 19;
            case GZIP -> 9;
            case NONE -> 0;
        };
        int level = compressionLevel;
        if (level == 0) {
            level = switch (algorithm) {
                case ZSTD -> 3;
                case GZIP -> 6;
                case NONE -> 0;
            };
        } else if (level > max) {
            throw new IllegalArgumentException(
                    Messages.BackupDatabaseStep_LevelTooHigh(
                            String.valueOf(level), algorithm.id(), String.valueOf(Math.max(max, 1))));
        }
        return new CompressionSettings(algorithm, level, CompressionSettings.AUTO_WORKERS);
    }

    /**
     * What a Pipeline's step list shows for a call: the set, else the database, else the type. Never a
     * credential id, a host or anything that could be secret.
     */
    static String describeArguments(Map<String, Object> namedArgs) {
        return StepSupport.describe(namedArgs, "set", "database", "connection", "type");
    }

    static String fixEmpty(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }

    @Extension
    @Symbol("backupDatabase")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "backupDatabase";
        }

        @Override
        public String getDisplayName() {
            return Messages.BackupDatabaseStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return StepSupport.REQUIRED_CONTEXT;
        }

        @Override
        public String argumentsToString(Map<String, Object> namedArgs) {
            return describeArguments(namedArgs);
        }

        /** Starts with an empty entry: a step that names a connection takes the type from it. */
        public ListBoxModel doFillTypeItems() {
            return StepSupport.typeItems(true);
        }

        public ListBoxModel doFillCompressionItems() {
            ListBoxModel items = new ListBoxModel();
            for (Compression c : List.of(Compression.ZSTD, Compression.GZIP, Compression.NONE)) {
                items.add(c.id(), c.id());
            }
            return items;
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String credentialsId) {
            return StepSupport.usernamePasswordItems(item, credentialsId);
        }

        @POST
        public ListBoxModel doFillPassphraseCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String passphraseCredentialsId) {
            return StepSupport.secretTextItems(item, passphraseCredentialsId);
        }

        @POST
        public FormValidation doCheckType(@AncestorInPath Item item, @QueryParameter String value) {
            return StepSupport.check(item, () -> StepSupport.type("type", value));
        }

        @POST
        public FormValidation doCheckRepository(@AncestorInPath Item item, @QueryParameter String value) {
            if (StepSupport.mayConfigure(item) && fixEmpty(value) == null) {
                return FormValidation.warning(Messages.BackupDatabaseStep_RepositoryMissing());
            }
            return StepSupport.check(item, () -> StepSupport.repositoryUri(value));
        }

        @POST
        public FormValidation doCheckSet(@AncestorInPath Item item, @QueryParameter String value) {
            return StepSupport.check(item, () -> StepSupport.set(value));
        }

        @POST
        public FormValidation doCheckPort(@AncestorInPath Item item, @QueryParameter String value) {
            if (!StepSupport.mayConfigure(item) || fixEmpty(value) == null) {
                return FormValidation.ok();
            }
            return FormValidation.validateIntegerInRange(value.trim(), 0, 65535);
        }

        public ListBoxModel doFillPgFormatItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("custom", "custom");
            items.add("directory", "directory");
            return items;
        }

        @POST
        public FormValidation doCheckJobs(@AncestorInPath Item item, @QueryParameter String value) {
            if (!StepSupport.mayConfigure(item) || fixEmpty(value) == null) {
                return FormValidation.ok();
            }
            return FormValidation.validateIntegerInRange(value.trim(), 0, DatabaseSource.DumpOptions.MAX_JOBS);
        }

        @POST
        public FormValidation doCheckCompressionLevel(@AncestorInPath Item item, @QueryParameter String value) {
            if (!StepSupport.mayConfigure(item) || fixEmpty(value) == null) {
                return FormValidation.ok();
            }
            return FormValidation.validateIntegerInRange(value.trim(), 0, 19);
        }
    }

    /**
     * Resolves names and credentials on the controller, then runs the backup on the agent that holds the
     * workspace. Runs on a background thread, never the CPS thread.
     */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        @Serial
        private static final long serialVersionUID = 1L;

        private final transient BackupDatabaseStep step;

        Execution(BackupDatabaseStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            return backup(getContext(), request(run));
        }

        /**
         * Runs a backup on the agent that holds the workspace, logs it, records it on the build page and returns its
         * map. Shared by {@code backupDatabase} and {@code backupRedis}.
         */
        static Map<String, Object> backup(StepContext context, BackupRequest request) throws Exception {
            Run<?, ?> run = context.get(Run.class);
            TaskListener listener = context.get(TaskListener.class);
            FilePath workspace = context.get(FilePath.class);
            EnvVars env = context.get(EnvVars.class);

            listener.getLogger()
                    .println(Messages.BackupDatabaseStep_Starting(
                            request.source().describe(), request.repository().uri(), request.set())
                            + (request.encryption().enabled() ? Messages.BackupDatabaseStep_Encrypted() : ""));
            BackupResult result;
            try {
                result = workspace.act(new BackupCallable(request, StepSupport.toolDirectory(env), listener));
            } catch (BackupException e) {
                // the engine's messages are written for users and hold no secret: one line, no stack trace
                throw new AbortException(Messages.BackupDatabaseStep_Failed(request.set(), e.getMessage()));
            }
            listener.getLogger().println(summary(result));
            DatabaseBackupAction.record(run, result);
            return result.toMap();
        }

        /** The engine request: named entries of the global configuration and credentials resolved for this run. */
        private BackupRequest request(Run<?, ?> run) throws IOException {
            DatabaseDefinition named = StepSupport.connection("connection", step.getConnection());
            RepositorySpec namedRepository = null;
            try {
                if (step.getRepositoryName() != null) {
                    namedRepository = StepSupport.repository(
                            "backupDatabase", step.getRepository(), step.getRepositoryName(), run);
                }
                DatabaseCredentials.Login login = DatabaseCredentials.forArgument(
                        StepSupport.credentialsArgument("credentialsId", step.getCredentialsId(), named),
                        () -> DatabaseCredentials.login(step.effectiveCredentialsId(named), run));
                KeySetDefinition keySet = StepSupport.keySet(step.getKeySet());
                EncryptionSettings encryption =
                        StepSupport.encryption(StepSupport.EncryptionIds.of(
                                step.getEncryptTo(), step.getPassphraseCredentialsId(), keySet), run);
                return step.toRequest(named, namedRepository, login.user(), login.password(), encryption);
            } catch (IllegalArgumentException e) {
                throw new AbortException(Messages.BackupDatabaseStep_Invalid(e.getMessage()));
            }
        }

        static String summary(BackupResult result) {
            return Messages.BackupDatabaseStep_Done(
                    result.set(),
                    result.id(),
                    Bytes.human(result.originalBytes()),
                    Bytes.human(result.storedBytes()),
                    result.compression(),
                    String.format(Locale.ROOT, "%.1f", result.durationMillis() / 1000.0),
                    result.location());
        }
    }
}
