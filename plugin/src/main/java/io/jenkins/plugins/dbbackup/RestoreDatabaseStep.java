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
import io.jenkins.plugins.dbbackup.engine.RestoreRequest;
import io.jenkins.plugins.dbbackup.engine.RestoreResult;
import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import java.io.IOException;
import java.io.Serial;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
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
 * {@code restoreDatabase}: restores a backup (the latest, one by id, or the newest at or before a time) into a
 * database, on the agent that runs the step, straight from the repository. A non-empty target is changed only with
 * {@code clean}, after a safety backup (on by default); {@code create} makes a new database.
 */
public final class RestoreDatabaseStep extends DecryptingStep {
    private final String set;
    private String repository;
    private String repositoryName;
    private String id = VerifyBackupStep.LATEST;
    private String at;
    private String connection;
    private String type;
    private String host;
    private int port;
    private String credentialsId;
    private String targetDatabase;
    private boolean create;
    private boolean clean;
    private boolean safetyBackup = true;
    private int jobs = 1;
    private boolean noOwner;
    private boolean noPrivileges;
    private String schemas;
    private String tables;
    private String redisRestore;
    private String redisDataDirectory;

    /** @param set the backup set (series) to restore a backup of */
    @DataBoundConstructor
    public RestoreDatabaseStep(String set) {
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
        this.id = VerifyBackupStep.backupId(id);
    }

    /** An ISO-8601 time with offset: restore the newest backup at or before it; null for none. */
    public String getAt() {
        return at;
    }

    @DataBoundSetter
    public void setAt(String at) {
        String value = StepSupport.fixEmpty(at);
        if (value != null) {
            parseTime(value);
        }
        this.at = value;
    }

    /** A named connection of the global configuration: the target, filling in what the step leaves out. */
    public String getConnection() {
        return connection;
    }

    @DataBoundSetter
    public void setConnection(String connection) {
        this.connection = StepSupport.fixEmpty(connection);
    }

    public String getType() {
        return type;
    }

    @DataBoundSetter
    public void setType(String type) {
        this.type = StepSupport.type("type", type);
    }

    public String getHost() {
        return host;
    }

    @DataBoundSetter
    public void setHost(String host) {
        this.host = StepSupport.host("host", host);
    }

    public int getPort() {
        return port;
    }

    @DataBoundSetter
    public void setPort(int port) {
        this.port = StepSupport.port("port", port);
    }

    /** A "Username with password" credential for the target server. */
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = StepSupport.fixEmpty(credentialsId);
    }

    /** The database to restore into; null for the named connection's database. */
    public String getTargetDatabase() {
        return targetDatabase;
    }

    @DataBoundSetter
    public void setTargetDatabase(String targetDatabase) {
        this.targetDatabase = StepSupport.fixEmpty(targetDatabase);
    }

    public boolean isCreate() {
        return create;
    }

    @DataBoundSetter
    public void setCreate(boolean create) {
        this.create = create;
    }

    public boolean isClean() {
        return clean;
    }

    @DataBoundSetter
    public void setClean(boolean clean) {
        this.clean = clean;
    }

    public boolean isSafetyBackup() {
        return safetyBackup;
    }

    @DataBoundSetter
    public void setSafetyBackup(boolean safetyBackup) {
        this.safetyBackup = safetyBackup;
    }

    public int getJobs() {
        return jobs;
    }

    @DataBoundSetter
    public void setJobs(int jobs) {
        if (jobs < 1 || jobs > 64) {
            throw new IllegalArgumentException(Messages.RestoreDatabaseStep_JobsOutOfRange(String.valueOf(jobs)));
        }
        this.jobs = jobs;
    }

    /** PostgreSQL: do not restore ownership ({@code pg_restore --no-owner}). */
    public boolean isNoOwner() {
        return noOwner;
    }

    @DataBoundSetter
    public void setNoOwner(boolean noOwner) {
        this.noOwner = noOwner;
    }

    /** PostgreSQL: do not restore grants ({@code pg_restore --no-privileges}). */
    public boolean isNoPrivileges() {
        return noPrivileges;
    }

    @DataBoundSetter
    public void setNoPrivileges(boolean noPrivileges) {
        this.noPrivileges = noPrivileges;
    }

    /** PostgreSQL: restore only these schemas, comma-separated ({@code sales, billing}); null for all. */
    public String getSchemas() {
        return schemas;
    }

    @DataBoundSetter
    public void setSchemas(String schemas) {
        this.schemas = names("schemas", schemas);
    }

    /** PostgreSQL: restore only these tables (names without their schema), comma-separated; null for all. */
    public String getTables() {
        return tables;
    }

    @DataBoundSetter
    public void setTables(String tables) {
        this.tables = names("tables", tables);
    }

    /** Redis: {@code commands} (null, the default: replay into the running server) or {@code file}. */
    public String getRedisRestore() {
        return redisRestore;
    }

    @DataBoundSetter
    public void setRedisRestore(String redisRestore) {
        String value = StepSupport.fixEmpty(redisRestore);
        if (value != null) {
            value = value.trim().toLowerCase(Locale.ROOT);
            if (!value.equals("commands") && !value.equals("file")) {
                throw new IllegalArgumentException(Messages.RestoreDatabaseStep_BadRedisRestore(redisRestore));
            }
        }
        this.redisRestore = value;
    }

    /** Redis file restore: the server's data directory on the agent, an absolute path. */
    public String getRedisDataDirectory() {
        return redisDataDirectory;
    }

    @DataBoundSetter
    public void setRedisDataDirectory(String redisDataDirectory) {
        String value = StepSupport.fixEmpty(redisDataDirectory);
        if (value != null && !value.trim().startsWith("/")) {
            throw new IllegalArgumentException(Messages.RestoreDatabaseStep_RedisDataDirectoryRelative(value));
        }
        this.redisDataDirectory = value == null ? null : value.trim();
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /**
     * An ISO-8601 instant ({@code 2026-11-22T02:00:00Z}) or a time with offset ({@code 2026-11-22T03:00:00+01:00}).
     *
     * @throws IllegalArgumentException with the expected form
     */
    static Instant parseTime(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(Messages.RestoreDatabaseStep_BadTime(value));
        }
    }

    /** The credential for the target: the step's own, else the named connection's; null for none. */
    String effectiveCredentialsId(DatabaseDefinition named) {
        return credentialsId != null ? credentialsId : named == null ? null : named.getCredentialsId();
    }

    /**
     * The engine request for these arguments. Pure.
     *
     * @throws IllegalArgumentException naming what is missing or contradictory; never a secret
     */
    RestoreRequest toRequest(RepositorySpec repositorySpec, DatabaseDefinition named, DatabaseCredentials.Login login,
            DecryptionKeys keys) {
        if (at != null && !VerifyBackupStep.LATEST.equals(id)) {
            throw new IllegalArgumentException(Messages.RestoreDatabaseStep_IdAndAt());
        }
        String effectiveType = type != null ? type : named == null ? null : named.getType();
        if (effectiveType != null && DatabaseType.parse(effectiveType) != DatabaseType.REDIS && targetDatabase == null
                && (named == null || named.getDatabase() == null)) {
            throw new IllegalArgumentException(Messages.RestoreDatabaseStep_TargetMissing());
        }
        DatabaseConnection target = StepSupport.connection(named, type, host, port, targetDatabase, null, login);
        if (target.type() != DatabaseType.POSTGRESQL) {
            String argument = tables != null ? "tables" : schemas != null ? "schemas"
                    : noOwner ? "noOwner" : noPrivileges ? "noPrivileges" : null;
            if (argument != null) {
                throw new IllegalArgumentException(
                        Messages.RestoreDatabaseStep_PostgresOnly(argument, target.type().id()));
            }
        }
        if (target.type() != DatabaseType.REDIS && (redisRestore != null || redisDataDirectory != null)) {
            throw new IllegalArgumentException(Messages.RestoreDatabaseStep_RedisOnly(
                    redisRestore != null ? "redisRestore" : "redisDataDirectory", target.type().id()));
        }
        String mode = redisRestore == null && redisDataDirectory != null ? "file" : redisRestore;
        if ("file".equals(mode) && redisDataDirectory == null) {
            throw new IllegalArgumentException(Messages.RestoreDatabaseStep_RedisDataDirectoryMissing());
        }
        return new RestoreRequest(repositorySpec, set, id, at == null ? null : parseTime(at), target, create, clean,
                safetyBackup, keys, jobs, mode, redisDataDirectory, noOwner, noPrivileges, split(schemas), split(tables));
    }

    /** Comma-separated names, trimmed, empty ones dropped, joined again with {@code ", "}; null for none. */
    /**
     * Comma-separated names, trimmed; null for none. A name with a control character (a pasted line break) is refused
     * here; a name that the backup did not record is refused by the engine before the target is touched.
     */
    static String names(String argument, String value) {
        List<String> names = split(value);
        for (String name : names) {
            if (name.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException(argument + ": '" + name.replaceAll("\\p{Cntrl}", "?")
                        + "' contains a control character; give names separated by commas, e.g. orders, customers");
            }
        }
        return names.isEmpty() ? null : String.join(", ", names);
    }

    private static List<String> split(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String name : value.split(",")) {
            if (!name.isBlank()) {
                names.add(name.trim());
            }
        }
        return names;
    }

    static String summary(RestoreResult r) {
        return Messages.RestoreDatabaseStep_Done(
                r.set(),
                r.backupId(),
                r.target(),
                Bytes.human(r.restoredBytes()),
                String.format(Locale.ROOT, "%.1f", r.durationMillis() / 1000.0),
                String.valueOf(r.countsChecked()))
                + (r.subset() == null ? "" : Messages.RestoreDatabaseStep_Subset(r.subset()))
                + (r.safetyBackupId() == null ? "" : Messages.RestoreDatabaseStep_Safety(r.safetyBackupId()))
                + (r.safetyBackupId() == null || r.safetyEncryption() == null ? ""
                        : Messages.RestoreDatabaseStep_SafetyEncryption(r.safetyEncryption()));
    }

    /** What a Pipeline's step list shows for a call: never a credential id, a host or a path. */
    static String describeArguments(Map<String, Object> namedArgs) {
        return StepSupport.describe(namedArgs, "set", "targetDatabase", "connection");
    }

    @Extension
    @Symbol("restoreDatabase")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "restoreDatabase";
        }

        @Override
        public String getDisplayName() {
            return Messages.RestoreDatabaseStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return StepSupport.REQUIRED_CONTEXT;
        }

        @Override
        public String argumentsToString(Map<String, Object> namedArgs) {
            return describeArguments(namedArgs);
        }

        public ListBoxModel doFillTypeItems() {
            return StepSupport.typeItems(true);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return StepSupport.usernamePasswordItems(item, credentialsId);
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
            return StepSupport.check(item, () -> new RestoreDatabaseStep(value));
        }

        @POST
        public FormValidation doCheckId(@AncestorInPath Item item, @QueryParameter String value) {
            return StepSupport.check(item, () -> VerifyBackupStep.backupId(value));
        }

        @POST
        public FormValidation doCheckAt(@AncestorInPath Item item, @QueryParameter String value) {
            return StepSupport.check(item, () -> {
                if (StepSupport.fixEmpty(value) != null) {
                    parseTime(value.trim());
                }
            });
        }

        @POST
        public FormValidation doCheckRepository(@AncestorInPath Item item, @QueryParameter String value) {
            return StepSupport.check(item, () -> StepSupport.repositoryUri(value));
        }

        public ListBoxModel doFillRedisRestoreItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("", ""); // not Redis, or the default (commands)
            items.add(Messages.RestoreDatabaseStep_RedisRestoreCommands(), "commands");
            items.add(Messages.RestoreDatabaseStep_RedisRestoreFile(), "file");
            return items;
        }

        @POST
        public FormValidation doCheckRedisDataDirectory(@AncestorInPath Item item, @QueryParameter String value) {
            return StepSupport.check(item, () -> new RestoreDatabaseStep("s").setRedisDataDirectory(value));
        }

        @POST
        public FormValidation doCheckJobs(@AncestorInPath Item item, @QueryParameter String value) {
            if (!StepSupport.mayConfigure(item) || StepSupport.fixEmpty(value) == null) {
                return FormValidation.ok();
            }
            return FormValidation.validateIntegerInRange(value.trim(), 1, 64);
        }
    }

    /** Resolves the target and keys on the controller, restores on the agent. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        @Serial
        private static final long serialVersionUID = 1L;

        private final transient RestoreDatabaseStep step;

        Execution(RestoreDatabaseStep step, StepContext context) {
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

            RestoreRequest request = request(run);
            String which = request.at() != null ? Messages.RestoreDatabaseStep_At(request.at().toString()) : request.backupId();
            listener.getLogger().println(Messages.RestoreDatabaseStep_Starting(
                    request.set(), which, request.repository().uri(), request.target().describe()));
            RestoreResult result;
            try {
                result = workspace.act(new RestoreCallable(request, StepSupport.toolDirectory(env), listener));
            } catch (BackupException e) {
                throw new AbortException(Messages.RestoreDatabaseStep_Failed(request.set(), e.getMessage()));
            }
            listener.getLogger().println(summary(result));
            DatabaseBackupAction.record(run, result);
            return result.toMap();
        }

        private RestoreRequest request(Run<?, ?> run) throws IOException {
            RepositorySpec repository =
                    StepSupport.repository("restoreDatabase", step.getRepository(), step.getRepositoryName(), run);
            DatabaseDefinition named = StepSupport.connection("connection", step.getConnection());
            try {
                StepSupport.DecryptionIds decryption = StepSupport.DecryptionIds.of(step.getSecretKeyCredentialsId(),
                        step.getSecretKeyPassphraseCredentialsId(), step.getPassphraseCredentialsId(),
                        StepSupport.keySet(step.getKeySet()));
                DatabaseCredentials.Login login = DatabaseCredentials.forArgument(
                        StepSupport.credentialsArgument("credentialsId", step.getCredentialsId(), named),
                        () -> DatabaseCredentials.login(step.effectiveCredentialsId(named), run));
                DecryptionKeys keys = StepSupport.decryptionKeys(decryption, run);
                return step.toRequest(repository, named, login, keys);
            } catch (IllegalArgumentException e) {
                throw new AbortException(Messages.RestoreDatabaseStep_Invalid(e.getMessage()));
            }
        }
    }
}
