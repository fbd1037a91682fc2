package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How to reach a database: a configuration entry ({@code --database-name}), a URI ({@code --url}) and single options,
 * each overriding the one before field by field. The password comes from a file or the environment, never from an
 * argument.
 */
final class ConnectionOptions {
    static final String DEFAULT_HOST = "127.0.0.1";

    @Option(names = "--database-name", paramLabel = "NAME", order = 10,
            description = "A database entry of the configuration file (--config).")
    String databaseName;

    @Option(names = "--url", paramLabel = "URI", order = 11,
            description = "postgresql://user@host:5432/db, mariadb://user@host:3306/db (or mysql://),"
                    + " redis://[user@]host:6379. Never with a password.")
    String url;

    @Option(names = "--type", paramLabel = "TYPE", order = 12,
            description = "postgresql, mariadb (or mysql), redis.")
    String type;

    @Option(names = {"-H", "--host"}, paramLabel = "HOST", order = 13,
            description = "Database host (default: " + DEFAULT_HOST + ").")
    String host;

    @Option(names = {"-P", "--port"}, paramLabel = "PORT", order = 14,
            description = "Port (default: the type's standard port: 5432, 3306, 6379).")
    Integer port;

    @Option(names = {"-d", "--database"}, paramLabel = "NAME", order = 15, description = "Database name.")
    String database;

    @Option(names = {"-U", "--user"}, paramLabel = "USER", order = 16, description = "User name.")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE", order = 17,
            description = "File holding the password (its first line). Otherwise DBBACKUP_PASSWORD, the"
                    + " configuration entry's passwordFile/passwordEnv, then PGPASSWORD (PostgreSQL) or REDISCLI_AUTH"
                    + " (Redis).")
    Path passwordFile;

    @Option(names = "--password", paramLabel = "VALUE", hidden = true,
            description = "Refused: a password on the command line is visible to every user (ps).")
    void refusePassword(String ignored) {
        throw SecretFiles.refused(mixee, "--password", "--password-file FILE or the DBBACKUP_PASSWORD environment"
                + " variable");
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** Whether the command line names a database server at all (no configuration default considered). */
    boolean given() {
        return databaseName != null || url != null || type != null || host != null || port != null
                || database != null || user != null;
    }

    /**
     * The connection: command-line options over the URI over the configuration entry (named, or the default one when
     * the command line names no server at all).
     *
     * @param databaseOverride a database name that wins over every other (restore's --target-database), or null
     * @param serverOnly only the server matters (verify's scratch server): without a database name, the type's
     *     maintenance database ({@code postgres}, {@code mysql}) stands in
     */
    DatabaseConnection resolve(ConfigFile config, Map<String, String> env, String databaseOverride,
            boolean serverOnly) {
        ConfigFile.DatabaseEntry entry = entry(config);
        ConnectionUri uri = url == null ? null : ConnectionUri.parse(url);
        String typeName = first(type, uri == null ? null : uri.type().id(), entry == null ? null : entry.type());
        if (typeName == null) {
            throw new UsageException("name the database: --url URI, --type TYPE with --host/--database/--user, or"
                    + " --database-name NAME from a configuration file");
        }
        DatabaseType t = UsageException.naming(type != null ? "--type" : uri != null ? "--url"
                : "type of database " + entry.name(), () -> DatabaseType.parse(typeName));
        checkGiven();
        if (databaseOverride != null && databaseOverride.isBlank()) {
            throw new UsageException("--target-database is empty: name the database to restore into");
        }
        String h = first(host, uri == null ? null : uri.host(), entry == null ? null : entry.host());
        Integer p = port != null ? port : uri != null && uri.port() != null ? uri.port()
                : entry != null && entry.port() != null ? entry.port() : null;
        String db = first(databaseOverride, database, uri == null ? null : uri.database(),
                entry == null ? null : entry.database());
        if (db == null && serverOnly) {
            db = t == DatabaseType.POSTGRESQL ? "postgres" : t == DatabaseType.MARIADB ? "mysql" : null;
        }
        if (db == null && t != DatabaseType.REDIS) {
            throw new UsageException("name the " + t.id() + " database: --database NAME, or /NAME at the end of --url");
        }
        String u = first(user, uri == null ? null : uri.user(), entry == null ? null : entry.user());
        return new DatabaseConnection(t, h == null ? DEFAULT_HOST : h, p == null ? t.defaultPort() : p,
                t == DatabaseType.REDIS ? null : db, u, password(t, entry, env));
    }

    /**
     * Checks the single options as given, so a wrong value is named before anything runs.
     *
     * @throws UsageException naming the option
     */
    private void checkGiven() {
        if (host != null && (host.isBlank() || !host.strip().equals(host) || host.matches(".*[\\s/@].*"))) {
            throw new UsageException("--host '" + host + "' is not a host name or address: give e.g. db1.example.com"
                    + " or 127.0.0.1 (no spaces, '/' or '@')");
        }
        if (port != null && (port < 1 || port > 65535)) {
            throw new UsageException("--port " + port + " is out of range: use 1 to 65535");
        }
        if (database != null && database.isBlank()) {
            throw new UsageException("--database is empty: name the database, or leave the option out");
        }
        if (user != null && user.isBlank()) {
            throw new UsageException("--user is empty: name the user, or leave the option out");
        }
    }

    /** The configuration entry this command line uses, or null. */
    ConfigFile.DatabaseEntry entry(ConfigFile config) {
        if (databaseName != null) {
            return UsageException.naming("--database-name", () -> config.database(databaseName));
        }
        if (!given() && config.defaults().database() != null) {
            return config.database(config.defaults().database());
        }
        return null;
    }

    /** The password, in this order: --password-file, DBBACKUP_PASSWORD, the entry's, the tool's own variable. */
    Secret password(DatabaseType t, ConfigFile.DatabaseEntry entry, Map<String, String> env) {
        if (passwordFile != null) {
            return SecretFiles.readLine(passwordFile, "--password-file");
        }
        Secret fromEnv = SecretFiles.fromEnv(env, "DBBACKUP_PASSWORD");
        if (fromEnv != null) {
            return fromEnv;
        }
        if (entry != null && entry.passwordFile() != null) {
            return SecretFiles.readLine(entry.passwordFile(), "passwordFile of database " + entry.name());
        }
        if (entry != null && entry.passwordEnv() != null) {
            Secret s = SecretFiles.fromEnv(env, entry.passwordEnv());
            if (s == null) {
                throw new UsageException("the environment variable " + entry.passwordEnv()
                        + " (passwordEnv of database " + entry.name() + ") is not set");
            }
            return s;
        }
        return switch (t) {
            case POSTGRESQL -> SecretFiles.fromEnv(env, "PGPASSWORD");
            case REDIS -> SecretFiles.fromEnv(env, "REDISCLI_AUTH");
            default -> null;
        };
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
