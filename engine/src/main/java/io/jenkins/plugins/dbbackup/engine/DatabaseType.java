package io.jenkins.plugins.dbbackup.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of database the engine backs up. */
public enum DatabaseType {
    POSTGRESQL("postgresql", 5432),
    MARIADB("mariadb", 3306),
    REDIS("redis", 6379);

    private final String id;
    private final int defaultPort;

    DatabaseType(String id, int defaultPort) {
        this.id = id;
        this.defaultPort = defaultPort;
    }

    /** The lower-case name used in manifests, URIs, CLI options and step arguments. */
    public String id() {
        return id;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /**
     * Parses a user's word for a database type: {@code postgresql}/{@code postgres}/{@code pg},
     * {@code mariadb}/{@code mysql}, {@code redis}; case-insensitive.
     *
     * @throws IllegalArgumentException naming the valid values
     */
    public static DatabaseType parse(String value) {
        if (value != null) {
            switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "postgresql", "postgres", "pg", "pgsql":
                    return POSTGRESQL;
                case "mariadb", "mysql":
                    return MARIADB;
                case "redis":
                    return REDIS;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("unknown database type '" + value + "': use one of "
                + Arrays.stream(values()).map(DatabaseType::id).collect(Collectors.joining(", "))
                + " (mysql is accepted for mariadb)");
    }
}
