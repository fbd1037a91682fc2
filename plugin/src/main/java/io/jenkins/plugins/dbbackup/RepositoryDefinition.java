package io.jenkins.plugins.dbbackup;

import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.retention.TierSettings;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectOptions.RetentionLock;
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
    private final String name;
    private final String uri;
    private String region;
    private String endpoint;
    private boolean pathStyle;
    private String credentialsId;
    private String storageClass;
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
            throw new IllegalArgumentException(Messages.BackupDatabaseStep_RepositoryMissing());
        }
        RepositorySpec.of(u); // the engine's message for what can never be a repository
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
        this.region = BackupDatabaseStep.fixEmpty(region);
    }

    /** For S3-compatible stores (MinIO, Ceph ...): their endpoint URL; null for AWS. */
    public String getEndpoint() {
        return endpoint;
    }

    @DataBoundSetter
    public void setEndpoint(String endpoint) {
        this.endpoint = BackupDatabaseStep.fixEmpty(endpoint);
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
        this.storageClass = BackupDatabaseStep.fixEmpty(storageClass);
    }

    /** GOVERNANCE or COMPLIANCE: the Object Lock mode of uploads (with days) and of the locks tier settings set. */
    public String getObjectLockMode() {
        return objectLockMode;
    }

    @DataBoundSetter
    public void setObjectLockMode(String objectLockMode) {
        String mode = BackupDatabaseStep.fixEmpty(objectLockMode);
        this.objectLockMode = mode == null ? null : RetentionLock.Mode.parse(mode).name();
    }

    /** Days each uploaded object stays locked; 0: no lock at upload. */
    public int getObjectLockDays() {
        return objectLockDays;
    }

    @DataBoundSetter
    public void setObjectLockDays(int objectLockDays) {
        if (objectLockDays < 0) {
            throw new IllegalArgumentException("object lock days must not be negative, got " + objectLockDays);
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
        TierSettings parsed = TierSettings.parse(tierSettings); // the engine's one-line message for bad text
        this.tierSettings = parsed.isEmpty() ? null : parsed.toString().replace("; ", "\n");
    }

    /**
     * The engine's repository for this definition. Pure.
     *
     * @param accessKeyId the S3 access key id, or null for the SDK's default chain on the agent
     * @param secretAccessKey its secret, or null
     */
    RepositorySpec toSpec(String accessKeyId, Secret secretAccessKey) {
        RepositorySpec plain = RepositorySpec.of(uri);
        TierSettings tiers = TierSettings.parse(tierSettings);
        if (!plain.isS3()) {
            return plain.withTiers(tiers); // prune reports them as ignored for a directory
        }
        RepositorySpec.S3Settings d = RepositorySpec.S3Settings.defaults();
        return new RepositorySpec(
                uri,
                new RepositorySpec.S3Settings(
                        region,
                        endpoint,
                        pathStyle,
                        accessKeyId,
                        secretAccessKey,
                        null,
                        storageClass,
                        d.serverSideEncryption(),
                        d.kmsKeyId(),
                        objectLockMode,
                        objectLockMode == null ? 0 : objectLockDays,
                        d.partSizeMiB()),
                tiers);
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
            for (RetentionLock.Mode mode : RetentionLock.Mode.values()) {
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
