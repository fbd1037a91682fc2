package io.jenkins.plugins.dbbackup;

import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.retention.TierSettings;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectOptions;
import io.jenkins.plugins.dbbackup.engine.storage.s3.S3Options;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A named backup repository in the global configuration: a directory or an S3 (or S3-compatible) location. Holds
 * a credential id for the S3 keys, never the keys.
 */
public final class RepositoryDefinition implements Describable<RepositoryDefinition> {
    private static final List<String> SSE = List.of("AES256", "aws:kms", "aws:kms:dsse");

    private final String name;
    private final String uri;
    private String region;
    private String endpoint;
    private boolean pathStyle;
    private String credentialsId;
    private String storageClass;
    private String serverSideEncryption;
    private String kmsKeyId;
    private String objectLockMode;
    private int objectLockDays;
    private String tierSettings;

    @DataBoundConstructor
    public RepositoryDefinition(String name, String uri) {
        String n = BackupDatabaseStep.fixEmpty(name);
        if (n == null) {
            throw new IllegalArgumentException(Messages.DatabaseDefinition_NameMissing());
        }
        String u = BackupDatabaseStep.fixEmpty(uri);
        if (u == null) {
            throw new IllegalArgumentException("uri: " + Messages.BackupDatabaseStep_RepositoryMissing());
        }
        // the engine's message for what can never be a repository
        StepSupport.argument("uri", () -> RepositorySpec.of(u));
        this.name = n;
        this.uri = u;
    }

    public String getName() {
        return name;
    }

    /** {@code file:///absolute/path}, an absolute path, or {@code s3://bucket/prefix}. */
    public String getUri() {
        return uri;
    }

    public String getRegion() {
        return region;
    }

    @DataBoundSetter
    public void setRegion(String region) {
        String value = BackupDatabaseStep.fixEmpty(region);
        if (value != null && !value.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("region '" + value + "' is not a region name such as eu-central-1");
        }
        this.region = value;
    }

    /** For S3-compatible stores (MinIO, Ceph ...): their endpoint URL; null for AWS. */
    public String getEndpoint() {
        return endpoint;
    }

    @DataBoundSetter
    public void setEndpoint(String endpoint) {
        String value = BackupDatabaseStep.fixEmpty(endpoint);
        if (value != null && !value.matches("(?i)https?://\\S+")) {
            throw new IllegalArgumentException("endpoint '" + value + "' is not an http:// or https:// URL, e.g."
                    + " https://minio.example.com:9000");
        }
        this.endpoint = value;
    }

    public boolean isPathStyle() {
        return pathStyle;
    }

    @DataBoundSetter
    public void setPathStyle(boolean pathStyle) {
        this.pathStyle = pathStyle;
    }

    /** A "Username with password" credential: access key id as user name, secret access key as password. */
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = BackupDatabaseStep.fixEmpty(credentialsId);
    }

    public String getStorageClass() {
        return storageClass;
    }

    @DataBoundSetter
    public void setStorageClass(String storageClass) {
        String value = BackupDatabaseStep.fixEmpty(storageClass);
        if (value != null && !value.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("storageClass '" + value + "' is not a storage class name such as"
                    + " STANDARD_IA");
        }
        this.storageClass = value;
    }

    /** {@code AES256}, {@code aws:kms} or {@code aws:kms:dsse}; null for the bucket's default encryption. */
    public String getServerSideEncryption() {
        return serverSideEncryption;
    }

    @DataBoundSetter
    public void setServerSideEncryption(String serverSideEncryption) {
        String value = BackupDatabaseStep.fixEmpty(serverSideEncryption);
        if (value != null) {
            value = SSE.stream().filter(value::equalsIgnoreCase).findFirst().orElseThrow(
                    () -> new IllegalArgumentException(Messages.RepositoryDefinition_BadSse(serverSideEncryption.trim())));
        }
        this.serverSideEncryption = value;
    }

    /** The KMS key for {@code aws:kms} (a key alone implies {@code aws:kms}); null for the account's default key. */
    public String getKmsKeyId() {
        return kmsKeyId;
    }

    @DataBoundSetter
    public void setKmsKeyId(String kmsKeyId) {
        String value = BackupDatabaseStep.fixEmpty(kmsKeyId);
        if (value != null && value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("kmsKeyId: '" + value
                    + "' is not a KMS key id, ARN or alias (no spaces), e.g. alias/backups");
        }
        this.kmsKeyId = value;
    }

    /**
     * {@code GOVERNANCE} or {@code COMPLIANCE}: the Object Lock mode of uploads (locked for {@link #getObjectLockDays()}
     * when that is set) and of the locks the tier settings ask for.
     */
    public String getObjectLockMode() {
        return objectLockMode;
    }

    @DataBoundSetter
    public void setObjectLockMode(String objectLockMode) {
        String value = BackupDatabaseStep.fixEmpty(objectLockMode);
        try {
            this.objectLockMode = value == null ? null : ObjectOptions.RetentionLock.Mode.parse(value).name();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("objectLockMode: " + e.getMessage(), e);
        }
    }

    /** Days each object is retained from its upload, with {@link #getObjectLockMode()}; 0 without a lock. */
    public int getObjectLockDays() {
        return objectLockDays;
    }

    @DataBoundSetter
    public void setObjectLockDays(int objectLockDays) {
        if (objectLockDays < 0) {
            throw new IllegalArgumentException(Messages.RepositoryDefinition_NegativeLockDays(String.valueOf(objectLockDays)));
        }
        this.objectLockDays = objectLockDays;
    }

    /**
     * What each retention tier asks of the backups it keeps, one tier a line, e.g. {@code monthly: STANDARD_IA, 400d};
     * applied by {@code pruneBackups}. Stored as given (normalized).
     */
    public String getTierSettings() {
        return tierSettings;
    }

    @DataBoundSetter
    public void setTierSettings(String tierSettings) {
        TierSettings parsed;
        try {
            parsed = TierSettings.parse(tierSettings); // the engine's one-line message for bad text
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tierSettings: " + e.getMessage(), e);
        }
        this.tierSettings = parsed.isEmpty() ? null : parsed.toString().replace("; ", "\n");
    }

    /**
     * The engine's repository for this definition. Pure.
     *
     * @param accessKeyId the S3 access key id, or null for the SDK's default chain on the agent
     * @param secretAccessKey its secret, or null
     * @throws IllegalArgumentException when the S3 settings do not fit together; the message names them
     */
    RepositorySpec toSpec(String accessKeyId, Secret secretAccessKey) {
        RepositorySpec plain = RepositorySpec.of(uri);
        TierSettings tiers = TierSettings.parse(tierSettings);
        if (!plain.isS3()) {
            return plain.withTiers(tiers); // prune reports them as ignored for a directory
        }
        RepositorySpec.S3Settings d = RepositorySpec.S3Settings.defaults();
        RepositorySpec.S3Settings settings = new RepositorySpec.S3Settings(
                region,
                endpoint,
                pathStyle,
                accessKeyId,
                secretAccessKey,
                null,
                storageClass,
                serverSideEncryption,
                kmsKeyId,
                objectLockMode,
                objectLockDays,
                d.partSizeMiB());
        S3Options.from(settings); // the engine's checks of the combination (a lock needs days, a KMS key aws:kms ...)
        return new RepositorySpec(uri, settings, tiers);
    }

    @Extension
    @Symbol("repository")
    public static final class DescriptorImpl extends Descriptor<RepositoryDefinition> {
        @Override
        public String getDisplayName() {
            return Messages.RepositoryDefinition_DisplayName();
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return DatabaseDefinition.usernamePasswordItems(credentialsId);
        }

        public ListBoxModel doFillObjectLockModeItems() {
            ListBoxModel items = new ListBoxModel();
            items.add(Messages.RepositoryDefinition_NoLock(), "");
            for (ObjectOptions.RetentionLock.Mode mode : ObjectOptions.RetentionLock.Mode.values()) {
                items.add(mode.name(), mode.name());
            }
            return items;
        }

        @POST
        public FormValidation doCheckTierSettings(@QueryParameter String value, @QueryParameter String objectLockMode) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            try {
                TierSettings tiers = TierSettings.parse(value);
                if (tiers.hasLocks() && BackupDatabaseStep.fixEmpty(objectLockMode) == null) {
                    return FormValidation.error(Messages.RepositoryDefinition_TierLocksNeedMode());
                }
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        @POST
        public FormValidation doCheckServerSideEncryption(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return check(() -> new RepositoryDefinition("check", "/check").setServerSideEncryption(value));
        }

        @POST
        public FormValidation doCheckObjectLockMode(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return check(() -> new RepositoryDefinition("check", "/check").setObjectLockMode(value));
        }

        @POST
        public FormValidation doCheckObjectLockDays(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return BackupDatabaseStep.fixEmpty(value) == null
                    ? FormValidation.ok()
                    : FormValidation.validateIntegerInRange(value.trim(), 0, 36500);
        }

        private static FormValidation check(Runnable setter) {
            try {
                setter.run();
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        @POST
        public FormValidation doCheckUri(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            String uri = BackupDatabaseStep.fixEmpty(value);
            if (uri == null) {
                return FormValidation.error(Messages.BackupDatabaseStep_RepositoryMissing());
            }
            try {
                RepositorySpec.of(uri);
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
