package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.retention.TierSettings;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the backups are: {@code --repo} or a configuration entry ({@code --repo-name}, else the default one), and the
 * S3 settings, options over the entry field by field. S3 credentials come from {@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN} (or the variables the entry names); without them the
 * AWS SDK's default chain (profile, instance role, web identity) is used.
 */
final class RepositoryOptions {
    static final int MIN_PART_MIB = 5;
    static final int MAX_PART_MIB = 5 * 1024;

    @Option(names = "--repo", paramLabel = "URI", order = 1,
            description = "Repository: file:///abs/path, /abs/path or s3://bucket/prefix.")
    String repo;

    @Option(names = "--repo-name", paramLabel = "NAME", order = 2,
            description = "A repository entry of the configuration file (--config).")
    String repoName;

    @Option(names = "--s3-region", paramLabel = "REGION", order = 40, description = "S3 region, e.g. eu-central-1.")
    String region;

    @Option(names = "--s3-endpoint", paramLabel = "URL", order = 41,
            description = "Endpoint of an S3-compatible store, e.g. https://minio.example.com:9000.")
    String endpoint;

    @Option(names = "--s3-path-style", order = 42, negatable = true,
            description = "Path-style addressing (bucket in the path; most S3-compatible stores need it).")
    Boolean pathStyle;

    @Option(names = "--s3-storage-class", paramLabel = "CLASS", order = 43,
            description = "Storage class of new objects, e.g. STANDARD_IA, GLACIER_IR.")
    String storageClass;

    @Option(names = "--s3-sse", paramLabel = "MODE", order = 44,
            description = "Server-side encryption: AES256 or aws:kms.")
    String sse;

    @Option(names = "--s3-kms-key-id", paramLabel = "KEY", order = 45,
            description = "KMS key for --s3-sse aws:kms (default: the bucket's AWS-managed key).")
    String kmsKeyId;

    @Option(names = "--s3-object-lock-mode", paramLabel = "MODE", order = 46,
            description = "Object Lock retention of new objects: GOVERNANCE or COMPLIANCE (with --s3-object-lock-days).")
    String objectLockMode;

    @Option(names = "--s3-object-lock-days", paramLabel = "DAYS", order = 47,
            description = "Days new objects stay locked.")
    Integer objectLockDays;

    @Option(names = "--s3-part-size-mib", paramLabel = "MIB", order = 48,
            description = "Multipart upload part size, 5 to 5120 MiB (default 16; 10,000 parts at most per object).")
    Integer partSizeMiB;

    @Option(names = "--tier", paramLabel = "TIER: CLASS, DAYSd", order = 49,
            description = {"What a retention tier asks of the backups it keeps, applied by prune --apply, e.g.",
                "--tier 'daily: 8d' --tier 'monthly: STANDARD_IA, 400d' (repeatable; replaces the configuration's",
                "tiers). Tiers: last, hourly, daily, weekly, monthly, yearly, within. Locks need",
                "--s3-object-lock-mode."})
    java.util.List<String> tiers;

    /** The repository; S3 settings only for {@code s3://}. */
    RepositorySpec resolve(ConfigFile config, Map<String, String> env) {
        ConfigFile.RepositoryEntry entry = null;
        if (repoName != null) {
            entry = UsageException.naming("--repo-name", () -> config.repository(repoName));
        } else if (repo == null && config.defaults().repository() != null) {
            entry = config.repository(config.defaults().repository());
        }
        String uri = repo != null ? repo : entry == null ? null : entry.uri();
        if (uri == null) {
            throw new UsageException("name the repository: --repo file:///path or --repo s3://bucket/prefix, or"
                    + " --repo-name NAME from a configuration file");
        }
        // checks and normalizes the URI
        RepositorySpec plain = UsageException.naming(repo != null ? "--repo" : "uri of repository " + entry.name(),
                () -> RepositorySpec.of(uri));
        TierSettings tierSettings = tierSettings(entry);
        if (!plain.isS3()) {
            String s3Option = s3OptionGiven();
            if (s3Option != null) {
                throw new UsageException(s3Option + " applies to s3:// repositories only; " + plain.uri()
                        + " is a directory");
            }
            return plain.withTiers(tierSettings); // prune says they are ignored for a directory
        }
        String regionName = first(region, entry == null ? null : entry.region());
        if (regionName != null && !regionName.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new UsageException("--s3-region '" + regionName + "' is not a region name such as eu-central-1");
        }
        RepositorySpec.S3Settings d = RepositorySpec.S3Settings.defaults();
        String sseMode = sse(first(sse, entry == null ? null : entry.sse()));
        String kms = first(kmsKeyId, entry == null ? null : entry.kmsKeyId());
        if (kms != null && !"aws:kms".equals(sseMode)) {
            throw new UsageException("--s3-kms-key-id needs --s3-sse aws:kms");
        }
        String lockMode = lockMode(first(objectLockMode, entry == null ? null : entry.objectLockMode()));
        int lockDays = first(objectLockDays, entry == null ? null : entry.objectLockDays(), 0);
        if (lockMode != null && lockDays <= 0 && !tierSettings.hasLocks()) {
            throw new UsageException("--s3-object-lock-mode " + lockMode + " needs --s3-object-lock-days N (N > 0),"
                    + " or tier lock periods (--tier 'monthly: 400d')");
        }
        if (lockMode == null && tierSettings.hasLocks()) {
            throw new UsageException("--tier lock periods need --s3-object-lock-mode GOVERNANCE or COMPLIANCE (with"
                    + " no --s3-object-lock-days, backups are locked only by their tiers)");
        }
        if (lockMode == null && lockDays != 0) {
            throw new UsageException("--s3-object-lock-days needs --s3-object-lock-mode GOVERNANCE or COMPLIANCE");
        }
        if (lockDays < 0) {
            throw new UsageException("--s3-object-lock-days must be positive, got " + lockDays);
        }
        int part = first(partSizeMiB, entry == null ? null : entry.partSizeMiB(), d.partSizeMiB());
        if (part < MIN_PART_MIB || part > MAX_PART_MIB) {
            throw new UsageException("--s3-part-size-mib " + part + " is out of range: S3 parts are " + MIN_PART_MIB
                    + " to " + MAX_PART_MIB + " MiB");
        }
        String storage = first(storageClass, entry == null ? null : entry.storageClass());
        if (storage != null) {
            storage = storage.toUpperCase(Locale.ROOT);
            if (!storage.matches("[A-Z][A-Z0-9_]*")) {
                throw new UsageException("--s3-storage-class '" + storage + "' is not a storage class name such as"
                        + " STANDARD_IA");
            }
        }
        String endpointUrl = first(endpoint, entry == null ? null : entry.endpoint());
        if (endpointUrl != null && !endpointUrl.matches("(?i)https?://\\S+")) {
            throw new UsageException("--s3-endpoint must be an http:// or https:// URL, e.g. https://minio:9000");
        }
        Credentials credentials = credentials(entry, env);
        return new RepositorySpec(plain.uri(), new RepositorySpec.S3Settings(
                regionName,
                endpointUrl,
                first(pathStyle, entry == null ? null : entry.pathStyle(), false),
                credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken,
                storage, sseMode, kms, lockMode, lockDays, part), tierSettings);
    }

    /** {@code --tier} options, else the entry's {@code tiers}, else none. */
    private TierSettings tierSettings(ConfigFile.RepositoryEntry entry) {
        if (tiers != null && !tiers.isEmpty()) {
            try {
                return TierSettings.parse(String.join("\n", tiers));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--tier: " + e.getMessage());
            }
        }
        return entry == null || entry.tiers() == null ? TierSettings.NONE : entry.tiers();
    }

    private record Credentials(String accessKeyId, Secret secretAccessKey, Secret sessionToken) {}

    /** Explicit credentials from the environment, or none (null fields) for the SDK's default chain. */
    private static Credentials credentials(ConfigFile.RepositoryEntry entry, Map<String, String> env) {
        String idVar = entry != null && entry.accessKeyIdEnv() != null ? entry.accessKeyIdEnv() : "AWS_ACCESS_KEY_ID";
        String secretVar = entry != null && entry.secretAccessKeyEnv() != null ? entry.secretAccessKeyEnv()
                : "AWS_SECRET_ACCESS_KEY";
        String tokenVar = entry != null && entry.sessionTokenEnv() != null ? entry.sessionTokenEnv()
                : "AWS_SESSION_TOKEN";
        String id = env.get(idVar);
        Secret secret = SecretFiles.fromEnv(env, secretVar);
        if ((id == null || id.isEmpty()) != (secret == null)) {
            throw new UsageException(idVar + " and " + secretVar + " go together: set both, or neither to use the"
                    + " AWS SDK's default credentials (profile, instance role)");
        }
        if (id == null || id.isEmpty()) {
            return new Credentials(null, null, null);
        }
        return new Credentials(id, secret, SecretFiles.fromEnv(env, tokenVar));
    }

    /** The first --s3-* option the command line gives, or null. */
    private String s3OptionGiven() {
        Object[][] options = {{"--s3-region", region}, {"--s3-endpoint", endpoint}, {"--s3-path-style", pathStyle},
            {"--s3-storage-class", storageClass}, {"--s3-sse", sse}, {"--s3-kms-key-id", kmsKeyId},
            {"--s3-object-lock-mode", objectLockMode}, {"--s3-object-lock-days", objectLockDays},
            {"--s3-part-size-mib", partSizeMiB}};
        for (Object[] option : options) {
            if (option[1] != null) {
                return (String) option[0];
            }
        }
        return null;
    }

    private static String sse(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (v.equalsIgnoreCase("AES256")) {
            return "AES256";
        }
        if (v.equalsIgnoreCase("aws:kms") || v.equalsIgnoreCase("kms")) {
            return "aws:kms";
        }
        throw new UsageException("--s3-sse '" + value + "' is not supported: use AES256 or aws:kms");
    }

    private static String lockMode(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip().toUpperCase(Locale.ROOT);
        if (v.equals("GOVERNANCE") || v.equals("COMPLIANCE")) {
            return v;
        }
        throw new UsageException("--s3-object-lock-mode '" + value + "' is not supported: use GOVERNANCE or"
                + " COMPLIANCE");
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
