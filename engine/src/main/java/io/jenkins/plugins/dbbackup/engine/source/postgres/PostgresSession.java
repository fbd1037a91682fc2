package io.jenkins.plugins.dbbackup.engine.source.postgres;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.process.Scrubber;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Opens JDBC sessions to PostgreSQL with the password passed as a property, never in a URL. */
final class PostgresSession {
    private PostgresSession() {}

    static Connection open(DatabaseConnection c, String database) throws BackupException {
        Properties props = new Properties();
        if (c.user() != null) {
            props.setProperty("user", c.user());
        }
        if (c.password() != null) {
            props.setProperty("password", c.password().reveal());
        }
        props.setProperty("ApplicationName", "db-backup");
        props.setProperty("connectTimeout", "15");
        props.setProperty("tcpKeepAlive", "true");
        String url = "jdbc:postgresql://" + hostForUrl(c.host()) + ":" + c.port() + "/";
        try {
            return DriverManager.getConnection(url + encode(database), props);
        } catch (SQLException e) {
            throw new BackupException("cannot connect to PostgreSQL at " + c.host() + ":" + c.port() + " database '"
                    + database + "' as '" + c.user() + "': " + Scrubber.scrub(firstLine(e.getMessage()), c.password()));
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** An SQL identifier, quoted. */
    static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String encode(String database) {
        return java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
