package io.jenkins.plugins.dbbackup.engine.source;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.EngineOptions;
import io.jenkins.plugins.dbbackup.engine.process.NativeTools;
import io.jenkins.plugins.dbbackup.engine.source.mariadb.MariaDbSource;
import io.jenkins.plugins.dbbackup.engine.source.postgres.PostgresFormatChecker;
import io.jenkins.plugins.dbbackup.engine.source.postgres.PostgresSource;
import io.jenkins.plugins.dbbackup.engine.source.redis.RdbParser;
import io.jenkins.plugins.dbbackup.engine.source.redis.RedisRestoreTarget;
import io.jenkins.plugins.dbbackup.engine.source.redis.RedisSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** The {@link DatabaseSource} for a connection, and the {@link FormatChecker} for a dump kind. */
public final class Sources {
    private Sources() {}

    public static DatabaseSource forConnection(DatabaseConnection connection, EngineOptions options)
            throws BackupException {
        return forConnection(connection, options, RedisRestoreTarget.commands());
    }

    /**
     * The source for a backup with the given dump options.
     *
     * @throws BackupException when the options do not suit the database
     */
    public static DatabaseSource forBackup(DatabaseConnection connection, EngineOptions options,
            DatabaseSource.DumpOptions dump) throws BackupException {
        if (dump != null && !dump.equals(DatabaseSource.DumpOptions.defaults())) {
            if (connection.type() != io.jenkins.plugins.dbbackup.engine.DatabaseType.POSTGRESQL) {
                throw new BackupException("the directory dump format and parallel jobs are for PostgreSQL only");
            }
            return new PostgresSource(connection, new NativeTools(options.toolDirectory(),
                    options.searchStandardPlaces()), options.tempDirectory(), dump);
        }
        return forConnection(connection, options);
    }

    /**
     * @param redisTarget how a Redis restore reaches the server (replayed commands, or an RDB file placed in its data
     *     directory); ignored for other databases
     */
    public static DatabaseSource forConnection(DatabaseConnection connection, EngineOptions options,
            RedisRestoreTarget redisTarget) throws BackupException {
        NativeTools tools = new NativeTools(options.toolDirectory(), options.searchStandardPlaces());
        return switch (connection.type()) {
            case POSTGRESQL -> new PostgresSource(connection, tools, options.tempDirectory());
            case MARIADB -> new MariaDbSource(connection, tools, options.tempDirectory());
            case REDIS -> new RedisSource(connection, options.tempDirectory(), redisTarget);
        };
    }

    /**
     * The checker for a dump kind as recorded in manifests.
     *
     * @throws BackupException for a kind this version does not know
     */
    public static FormatChecker formatChecker(String kind, EngineOptions options) throws BackupException {
        NativeTools tools = new NativeTools(options.toolDirectory(), options.searchStandardPlaces());
        return switch (kind) {
            case PostgresSource.KIND -> new PostgresFormatChecker(tools);
            case PostgresSource.KIND_DIRECTORY -> new PostgresFormatChecker(tools, options.tempDirectory());
            case MariaDbSource.KIND -> Sources::checkSqlDump;
            case RedisSource.KIND -> Sources::checkRdb;
            default -> throw new BackupException("backups of kind '" + kind + "' cannot be checked by this version");
        };
    }

    /**
     * Fails unless this version can restore backups of a kind.
     *
     * @throws BackupException naming the kind
     */
    public static void requireRestorable(String kind) throws BackupException {
        switch (kind == null ? "" : kind) {
            case PostgresSource.KIND, PostgresSource.KIND_DIRECTORY, MariaDbSource.KIND, RedisSource.KIND -> { }
            default -> throw new BackupException("backups of kind '" + kind + "' cannot be restored by this version:"
                    + " upgrade dbbackup (or the plugin); nothing was changed");
        }
    }

    /** A SQL dump is complete when its last line is the dump tool's completion comment. */
    private static Optional<String> checkSqlDump(InputStream dump) throws IOException {
        HeadTailInputStream in = new HeadTailInputStream(dump, 0, 4096);
        in.transferTo(java.io.OutputStream.nullOutputStream());
        if (in.count() == 0) {
            return Optional.of("the dump is empty");
        }
        return MariaDbSource.endsWithCompletionMarker(in.tail()) ? Optional.empty()
                : Optional.of("the dump does not end with the dump tool's completion line ("
                        + MariaDbSource.COMPLETION_MARKER + "): it was cut off");
    }

    /** An RDB is valid when it parses to its end and its CRC-64 trailer matches. */
    private static Optional<String> checkRdb(InputStream rdb) throws IOException {
        try {
            RdbParser.scan(rdb);
            return Optional.empty();
        } catch (io.jenkins.plugins.dbbackup.engine.source.redis.RdbFormatException e) {
            return Optional.of(e.getMessage());
        }
    }
}
