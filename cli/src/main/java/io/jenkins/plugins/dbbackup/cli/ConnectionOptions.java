package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** How to reach a database. The password comes from a file or the environment, never from an argument. */
final class ConnectionOptions {
    @Option(names = "--type", paramLabel = "TYPE", description = "postgresql, mariadb (or mysql), redis.")
    String type;

    @Option(names = {"-H", "--host"}, paramLabel = "HOST", description = "Database host (default: ${DEFAULT-VALUE}).",
            defaultValue = "127.0.0.1")
    String host;

    @Option(names = {"-P", "--port"}, paramLabel = "PORT", description = "Port (default: the type's standard port).")
    Integer port;

    @Option(names = {"-d", "--database"}, paramLabel = "NAME", description = "Database name.")
    String database;

    @Option(names = {"-U", "--user"}, paramLabel = "USER", description = "User name.")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File holding the password (first line). Otherwise DBBACKUP_PASSWORD, or PGPASSWORD for"
                    + " PostgreSQL, is used.")
    Path passwordFile;

    DatabaseConnection toConnection(String databaseOverride, Map<String, String> env) {
        if (type == null) {
            throw new UsageException("--type is required: postgresql, mariadb or redis");
        }
        DatabaseType t = DatabaseType.parse(type);
        String db = databaseOverride != null ? databaseOverride : database;
        return new DatabaseConnection(t, host, port == null ? t.defaultPort() : port, db, user, password(t, env));
    }

    private Secret password(DatabaseType t, Map<String, String> env) {
        if (passwordFile != null) {
            return readSecretFile(passwordFile, "--password-file");
        }
        String value = env.get("DBBACKUP_PASSWORD");
        if (value == null && t == DatabaseType.POSTGRESQL) {
            value = env.get("PGPASSWORD");
        }
        return value == null ? null : Secret.of(value);
    }

    /** The first line of a secret file, without its line end. */
    static Secret readSecretFile(Path file, String option) {
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            int nl = content.indexOf('\n');
            String line = nl < 0 ? content : content.substring(0, nl);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            return Secret.of(line);
        } catch (IOException e) {
            throw new UsageException(option + " " + file + " cannot be read: " + e.getMessage());
        }
    }
}
