package io.jenkins.plugins.dbbackup.engine;

import io.jenkins.plugins.dbbackup.engine.codec.CompressionSettings;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;

/**
 * What to back up and where to.
 *
 * @param source the database to dump
 * @param repository where the backup goes
 * @param set the series the backup belongs to, e.g. {@code orders-db}; null means the database name
 *     (for Redis: {@code redis-<host>-<port>})
 * @param compression how the dump is compressed
 * @param encryption to whom (or with which passphrase) it is encrypted; {@link EncryptionSettings#none()} for none
 */
public record BackupRequest(
        DatabaseConnection source,
        RepositorySpec repository,
        String set,
        CompressionSettings compression,
        EncryptionSettings encryption)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public BackupRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(repository, "repository");
        compression = compression == null ? CompressionSettings.defaults() : compression;
        encryption = encryption == null ? EncryptionSettings.none() : encryption;
        set = set == null || set.isBlank() ? defaultSet(source) : set.trim();
        SetName.check(set);
    }

    /** A request with default compression and no encryption. */
    public static BackupRequest of(DatabaseConnection source, RepositorySpec repository, String set) {
        return new BackupRequest(source, repository, set, null, null);
    }

    static String defaultSet(DatabaseConnection source) {
        if (source.type() == DatabaseType.REDIS) {
            return SetName.sanitize("redis-" + source.host() + "-" + source.port());
        }
        return SetName.sanitize(source.database());
    }
}
