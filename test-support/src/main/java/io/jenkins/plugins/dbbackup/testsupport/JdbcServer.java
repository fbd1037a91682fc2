package io.jenkins.plugins.dbbackup.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A throwaway SQL server reached over JDBC with {@link #user()} and {@link #password()} on
 * {@code 127.0.0.1}. The helpers open a connection per call, close it before returning, and throw
 * {@link ThrowawayServerException} (unchecked) on failure, so tests can use them in lambdas.
 */
public abstract sealed class JdbcServer extends ThrowawayServer permits PostgresServer, MariaDbServer {

    JdbcServer(Setup setup) {
        super(setup);
    }

    /**
     * The JDBC URL of {@code database} on this server, without credentials. An empty or null
     * {@code database} means the server's default ({@code postgres} for PostgreSQL, none for MariaDB).
     */
    public abstract String jdbcUrl(String database);

    /**
     * A new connection to {@code database} as {@link #user()} with {@link #password()}, over TCP.
     * The caller closes it.
     */
    public Connection connect(String database) throws SQLException {
        return open(jdbcUrl(database), user(), password());
    }

    /** Runs each statement in order, in auto-commit mode, on one connection to {@code database}. */
    public void execute(String database, String... statements) {
        try (Connection connection = connect(database);
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                try {
                    statement.execute(sql);
                } catch (SQLException e) {
                    throw new ThrowawayServerException("failed on database '" + database + "': " + sql + ": " + e.getMessage(), e);
                }
            }
        } catch (SQLException e) {
            throw new ThrowawayServerException("cannot connect to database '" + database + "' of " + this + ": " + e.getMessage(), e);
        }
    }

    /**
     * The single value of a query that returns exactly one row with one non-null number, such as
     * {@code SELECT count(*) FROM t}.
     */
    public long queryLong(String database, String sql) {
        try (Connection connection = connect(database);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            if (!result.next()) {
                throw new ThrowawayServerException("no row from: " + sql);
            }
            long value = result.getLong(1);
            if (result.wasNull() || result.next()) {
                throw new ThrowawayServerException("expected exactly one non-null value from: " + sql);
            }
            return value;
        } catch (SQLException e) {
            throw new ThrowawayServerException("failed on database '" + database + "': " + sql + ": " + e.getMessage(), e);
        }
    }

    /** The names of the databases that are not the server's own (system, template, default), sorted. */
    public abstract List<String> listDatabases();

    /** Creates database {@code name}; fails if it exists. */
    public abstract void createDatabase(String name);

    /** Drops database {@code name} if it exists, after ending every other session connected to it. */
    public abstract void dropDatabase(String name);

    /** The first column of every row of {@code sql}, as strings. */
    List<String> queryStrings(String database, String sql) {
        try (Connection connection = connect(database);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (result.next()) {
                values.add(result.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new ThrowawayServerException("failed on database '" + database + "': " + sql + ": " + e.getMessage(), e);
        }
    }

    static Connection open(String url, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return DriverManager.getConnection(url, properties);
    }

    /** Quotes {@code name} as an SQL identifier with {@code quote}, doubling embedded quotes. */
    static String quoteIdentifier(String name, char quote) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty database name");
        }
        String q = String.valueOf(quote);
        return q + name.replace(q, q + q) + q;
    }
}
