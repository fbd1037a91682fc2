package io.jenkins.plugins.dbbackup.engine.storage;

import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.storage.s3.S3Storage;
import java.io.IOException;

/**
 * Turns a {@link RepositorySpec} into a {@link Storage}: {@code file:} → {@link LocalStorage};
 * {@code s3://bucket/prefix} → {@link S3Storage} (client and write options from the spec's S3 settings) wrapped in a
 * {@link RetryingStorage} with {@link RetryPolicy#defaults()}.
 */
public final class StorageFactory {
    private StorageFactory() {}

    public static Storage open(RepositorySpec spec) throws IOException {
        if (spec.isLocal()) {
            return new LocalStorage(spec.localPath());
        }
        if (spec.isS3()) {
            // S3Storage retries the parts of a streamed upload itself; whole requests are retried around it
            try {
                return new RetryingStorage(S3Storage.open(spec), RetryPolicy.defaults());
            } catch (IllegalArgumentException e) {
                throw new StorageException(StorageException.Kind.PERMANENT,
                        "repository " + spec.uri() + ": " + e.getMessage(), e);
            }
        }
        throw new StorageException(StorageException.Kind.PERMANENT,
                "repository " + spec.uri() + " is not supported: use file:///absolute/path or s3://bucket/prefix");
    }
}
