package io.jenkins.plugins.dbbackup.engine.source;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.EngineOptions;
import io.jenkins.plugins.dbbackup.engine.process.NativeTools;
import io.jenkins.plugins.dbbackup.engine.source.postgres.PostgresSource;

/** The {@link DatabaseSource} for a connection. */
public final class Sources {
    private Sources() {}

    public static DatabaseSource forConnection(DatabaseConnection connection, EngineOptions options)
            throws BackupException {
        NativeTools tools = new NativeTools(options.toolDirectory());
        return switch (connection.type()) {
            case POSTGRESQL -> new PostgresSource(connection, tools, options.tempDirectory());
            case MARIADB -> new io.jenkins.plugins.dbbackup.engine.source.mariadb.MariaDbSource(connection, tools, options.tempDirectory());
            default -> throw new BackupException(connection.type().id() + " is not supported yet");
        };
    }
}
