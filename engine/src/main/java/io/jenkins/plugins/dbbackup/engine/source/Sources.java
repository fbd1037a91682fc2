package io.jenkins.plugins.dbbackup.engine.source;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.EngineOptions;
import io.jenkins.plugins.dbbackup.engine.process.NativeTools;
import io.jenkins.plugins.dbbackup.engine.source.postgres.PostgresFormatChecker;
import io.jenkins.plugins.dbbackup.engine.source.postgres.PostgresSource;

/** The {@link DatabaseSource} for a connection. */
public final class Sources {
    private Sources() {}

    public static DatabaseSource forConnection(DatabaseConnection connection, EngineOptions options)
            throws BackupException {
        NativeTools tools = new NativeTools(options.toolDirectory(), options.searchStandardPlaces());
        return switch (connection.type()) {
            case POSTGRESQL -> new PostgresSource(connection, tools, options.tempDirectory());
            case REDIS -> new io.jenkins.plugins.dbbackup.engine.source.redis.RedisSource(connection, options.tempDirectory());
            default -> throw new BackupException(connection.type().id() + " is not supported yet");
        };
    }

    /**
     * The checker for a dump kind as recorded in manifests ({@code postgresql-custom}, ...).
     *
     * @throws BackupException for a kind this version does not know
     */
    public static FormatChecker formatChecker(String kind, EngineOptions options) throws BackupException {
        NativeTools tools = new NativeTools(options.toolDirectory(), options.searchStandardPlaces());
        return switch (kind) {
            case "postgresql-custom" -> new PostgresFormatChecker(tools);
            default -> throw new BackupException("backups of kind '" + kind + "' cannot be checked by this version");
        };
    }
}
