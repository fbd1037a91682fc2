package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A database named by a URI: {@code postgresql://user@host:5432/db}, {@code mysql://} or {@code mariadb://...},
 * {@code redis://[user@]host:port}. A password in the URI is refused: the command line of a process is visible to
 * every user of the machine ({@code ps}). {@link #toString()} never shows one.
 *
 * @param type the database type from the scheme
 * @param user the user, or null
 * @param host the host (an IPv6 address without brackets)
 * @param port the port, or null for the type's standard one
 * @param database the database, or null (Redis: always null, the whole server is backed up)
 */
record ConnectionUri(DatabaseType type, String user, String host, Integer port, String database) {

    /**
     * Parses a connection URI.
     *
     * @throws UsageException with a message that never repeats a password the URI held
     */
    static ConnectionUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw new UsageException("--url is empty: give e.g. postgresql://user@host:5432/database");
        }
        String value = text.strip();
        int schemeEnd = value.indexOf("://");
        if (schemeEnd <= 0) {
            throw new UsageException("--url must look like postgresql://user@host:5432/database, mariadb://...,"
                    + " mysql://... or redis://[user@]host:port");
        }
        String scheme = value.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        DatabaseType type = switch (scheme) {
            case "postgresql", "postgres" -> DatabaseType.POSTGRESQL;
            case "mysql", "mariadb" -> DatabaseType.MARIADB;
            case "redis" -> DatabaseType.REDIS;
            case "rediss" -> throw new UsageException("--url: rediss:// (TLS) is not supported yet; use redis://");
            default -> throw new UsageException("--url: unknown scheme '" + scheme
                    + "': use postgresql://, mariadb:// (or mysql://) or redis://");
        };
        // look for a password before any parsing, so no error message below can ever contain it
        String rest = value.substring(schemeEnd + 3);
        int authorityEnd = indexOfAny(rest, "/?#");
        String authority = authorityEnd < 0 ? rest : rest.substring(0, authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at >= 0 && authority.substring(0, at).contains(":")) {
            throw new UsageException("--url contains a password, which is refused: a command line is visible to"
                    + " every user of the machine (ps). Remove it from the URI and use --password-file FILE or the"
                    + " DBBACKUP_PASSWORD environment variable");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new UsageException("--url is not a valid URI: " + e.getReason() + " at index " + e.getIndex());
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new UsageException("--url: query parameters and fragments are not supported; give only"
                    + " scheme://[user@]host[:port][/database]");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new UsageException("--url names no host (or an invalid one): e.g. " + scheme
                    + "://user@db1.example.com:" + type.defaultPort() + (type == DatabaseType.REDIS ? "" : "/db"));
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        Integer port = uri.getPort() < 0 ? null : uri.getPort();
        if (port != null && (port < 1 || port > 65535)) {
            throw new UsageException("--url: port " + port + " is out of range: use 1 to 65535");
        }
        String user = uri.getUserInfo();
        if (user != null && user.isEmpty()) {
            user = null;
        }
        String path = uri.getPath();
        String database = path == null || path.isEmpty() || path.equals("/") ? null : path.substring(1);
        if (database != null && database.contains("/")) {
            throw new UsageException("--url: the path must be a single database name, got '" + database + "'");
        }
        if (type == DatabaseType.REDIS) {
            if (database != null && !database.matches("\\d+")) {
                throw new UsageException("--url: a redis URI ends at host:port (a numeric database index is"
                        + " accepted and ignored: the whole server is backed up)");
            }
            database = null;
        }
        return new ConnectionUri(type, user, host, port, database);
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return type.id() + "://" + (user == null ? "" : user + "@") + h + (port == null ? "" : ":" + port)
                + (database == null ? "" : "/" + database);
    }
}
