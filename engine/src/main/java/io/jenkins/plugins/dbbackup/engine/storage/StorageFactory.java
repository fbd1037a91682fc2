package io.jenkins.plugins.dbbackup.engine.storage;

import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import java.io.IOException;

/** Turns a {@link RepositorySpec} into a {@link Storage}. */
public final class StorageFactory {
    private StorageFactory() {}

    public static Storage open(RepositorySpec spec) throws IOException {
        if (spec.isLocal()) {
            return new LocalStorage(spec.localPath());
        }
        throw new StorageException(StorageException.Kind.PERMANENT,
                "repository " + spec.uri() + " is not supported yet: use file:///absolute/path");
    }
}
