package io.jenkins.plugins.dbbackup.engine.storage.s3;

import io.jenkins.plugins.dbbackup.engine.storage.StorageKeys;

/**
 * A bucket and the key prefix the repository lives under: {@code s3://bucket/some/prefix} holds its objects under
 * {@code some/prefix/}; {@code s3://bucket} under the bucket's root.
 *
 * @param bucket the bucket name
 * @param prefix "" or a key prefix ending with {@code /}
 */
public record S3Location(String bucket, String prefix) {

    public S3Location {
        if (bucket == null || bucket.isBlank() || bucket.contains("/")) {
            throw new IllegalArgumentException("S3 bucket name '" + bucket + "' is not valid");
        }
        prefix = prefix == null ? "" : prefix;
        while (prefix.endsWith("//")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        if (!prefix.isEmpty()) {
            StorageKeys.check(prefix.substring(0, prefix.length() - 1));
        }
    }

    /** Parses {@code s3://bucket[/prefix[/]]}. */
    public static S3Location parse(String uri) {
        if (uri == null || !uri.regionMatches(true, 0, "s3://", 0, 5)) {
            throw new IllegalArgumentException("'" + uri + "' is not an S3 location: use s3://bucket/prefix");
        }
        String rest = uri.substring(5);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        try {
            return new S3Location(bucket, prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + uri + "' is not a valid S3 location: use s3://bucket/prefix", e);
        }
    }

    /** The full object key of a repository key. */
    public String objectKey(String key) {
        return prefix + StorageKeys.check(key);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }
}
