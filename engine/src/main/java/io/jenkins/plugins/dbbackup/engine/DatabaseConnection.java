package io.jenkins.plugins.dbbackup.engine;

import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;

/**
 * How to reach a database: never printed with its password ({@link #toString()} and {@link #describe()} omit it).
 *
 * @param type the kind of server
 * @param host host name or address
 * @param port TCP port
 * @param database database name (PostgreSQL, MariaDB); for Redis ignored (a whole server is backed up), may be null
 * @param user user name; for Redis null means password-only {@code AUTH}
 * @param password the password, or null when the server needs none
 */
public record DatabaseConnection(DatabaseType type, String host, int port, String database, String user, Secret password)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public DatabaseConnection {
        Objects.requireNonNull(type, "type");
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is missing: name the database server's host");
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range: use 1 to 65535");
        }
        if (type != DatabaseType.REDIS && (database == null || database.isBlank())) {
            throw new IllegalArgumentException("database is missing: name the " + type.id() + " database to use");
        }
    }

    /** The same connection to another database on the same server. */
    public DatabaseConnection withDatabase(String otherDatabase) {
        return new DatabaseConnection(type, host, port, otherDatabase, user, password);
    }

    /** A human description without secrets, such as {@code postgresql://app@db1:5432/orders}. */
    public String describe() {
        return type.id() + "://" + (user == null || user.isEmpty() ? "" : user + "@") + host + ":" + port
                + (database == null || database.isEmpty() ? "" : "/" + database);
    }

    @Override
    public String toString() {
        return describe();
    }
}
