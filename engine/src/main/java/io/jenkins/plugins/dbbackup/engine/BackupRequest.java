package io.jenkins.plugins.dbbackup.engine;

import io.jenkins.plugins.dbbackup.engine.codec.CompressionSettings;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import io.jenkins.plugins.dbbackup.engine.source.DatabaseSource;
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
 * @param dump the dump format and parallel jobs (PostgreSQL only); null for the default (custom format, one job)
 */
public record BackupRequest(
        DatabaseConnection source,
        RepositorySpec repository,
        String set,
        CompressionSettings compression,
        EncryptionSettings encryption,
        DatabaseSource.DumpOptions dump)
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
        dump = dump == null ? DatabaseSource.DumpOptions.defaults() : dump;
        if (dump.directory() && source.type() != DatabaseType.POSTGRESQL) {
            throw new IllegalArgumentException("the directory dump format is for PostgreSQL only, not "
                    + source.type().id());
        }
    }

    /** A request with the default dump format. */
    public BackupRequest(DatabaseConnection source, RepositorySpec repository, String set,
            CompressionSettings compression, EncryptionSettings encryption) {
        this(source, repository, set, compression, encryption, null);
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
