package io.jenkins.plugins.dbbackup.engine;

import io.jenkins.plugins.dbbackup.engine.retention.TierSettings;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.Serial;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where backups live: {@code file:///absolute/path} (or a plain absolute path) for a directory, or
 * {@code s3://bucket/prefix} with {@link S3Settings} for S3 and S3-compatible stores.
 *
 * @param uri the repository location; never holds a secret
 * @param s3 settings for an {@code s3://} repository, null for a directory
 * @param tiers what each retention tier asks of the objects of the backups it keeps (storage class, lock period);
 *     applied by prune where the storage supports it (S3), reported as ignored elsewhere; never null
 */
public record RepositorySpec(String uri, S3Settings s3, TierSettings tiers) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public RepositorySpec {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException(
                    "repository is missing: give file:///absolute/path or s3://bucket/prefix");
        }
        uri = normalize(uri.trim());
        if (uri.startsWith("s3://") && s3 == null) {
            s3 = S3Settings.defaults();
        }
        tiers = tiers == null ? TierSettings.NONE : tiers;
        if (s3 != null && tiers.hasLocks() && (s3.objectLockMode() == null || s3.objectLockMode().isBlank())) {
            throw new IllegalArgumentException("tier lock periods need an object lock mode for the repository"
                    + " (GOVERNANCE or COMPLIANCE): set objectLockMode, or drop the days from the tier settings");
        }
    }

    /** A repository without tier settings. */
    public RepositorySpec(String uri, S3Settings s3) {
        this(uri, s3, TierSettings.NONE);
    }

    /** The same repository with these tier settings. */
    public RepositorySpec withTiers(TierSettings value) {
        return new RepositorySpec(uri, s3, value);
    }

    /** A directory repository. */
    public static RepositorySpec local(Path directory) {
        return new RepositorySpec(directory.toAbsolutePath().normalize().toUri().toString(), null);
    }

    /** A repository from a user's location string, with default S3 settings for {@code s3://}. */
    public static RepositorySpec of(String uri) {
        return new RepositorySpec(uri, null, TierSettings.NONE);
    }

    public boolean isLocal() {
        return uri.startsWith("file:");
    }

    public boolean isS3() {
        return uri.startsWith("s3://");
    }

    /** The directory of a local repository. */
    public Path localPath() {
        if (!isLocal()) {
            throw new IllegalStateException("not a local repository: " + uri);
        }
        return Path.of(URI.create(uri)).toAbsolutePath().normalize();
    }

    private static String normalize(String value) {
        if (value.startsWith("/")) {
            return Path.of(value).toAbsolutePath().normalize().toUri().toString();
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.startsWith("file:")) {
            try {
                URI parsed = new URI(value);
                if (parsed.getPath() == null || !parsed.getPath().startsWith("/")) {
                    throw new IllegalArgumentException("repository '" + value
                            + "' is not an absolute file URI: use file:///absolute/path");
                }
                return Path.of(parsed).toAbsolutePath().normalize().toUri().toString();
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new IllegalArgumentException("repository '" + value
                        + "' is not a valid file URI: use file:///absolute/path", e);
            }
        }
        if (lower.startsWith("s3://")) {
            String rest = value.substring(5);
            if (rest.isEmpty() || rest.startsWith("/")) {
                throw new IllegalArgumentException("repository '" + value + "' names no bucket: use s3://bucket/prefix");
            }
            return "s3://" + rest;
        }
        throw new IllegalArgumentException("repository '" + value
                + "' is not supported: use file:///absolute/path or s3://bucket/prefix");
    }

    /**
     * S3 connection and object settings. Credentials are optional: without them the SDK's default chain
     * (environment, profile, instance role, web identity) is used on the machine that runs the engine.
     */
    public record S3Settings(
            String region,
            String endpoint,
            boolean pathStyle,
            String accessKeyId,
            Secret secretAccessKey,
            Secret sessionToken,
            String storageClass,
            String serverSideEncryption,
            String kmsKeyId,
            String objectLockMode,
            int objectLockDays,
            int partSizeMiB)
            implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        public static S3Settings defaults() {
            return new S3Settings(null, null, false, null, null, null, null, null, null, null, 0, 16);
        }

        @Override
        public String toString() {
            return "S3Settings[region=" + region + ", endpoint=" + endpoint + ", pathStyle=" + pathStyle
                    + ", accessKeyId=" + accessKeyId + ", storageClass=" + storageClass + ", sse="
                    + serverSideEncryption + ", objectLock=" + objectLockMode + "/" + objectLockDays + "d]";
        }
    }
}
