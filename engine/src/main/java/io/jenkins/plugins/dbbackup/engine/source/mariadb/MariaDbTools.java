package io.jenkins.plugins.dbbackup.engine.source.mariadb;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.process.CredentialFile;
import io.jenkins.plugins.dbbackup.engine.process.NativeProcess;
import io.jenkins.plugins.dbbackup.engine.process.NativeTools;
import io.jenkins.plugins.dbbackup.engine.process.Scrubber;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MariaDB/MySQL client tools for one connection: finds {@code mariadb-dump}/{@code mysqldump} and
 * {@code mariadb}/{@code mysql}, builds their command lines, runs queries through the client in batch mode, and
 * turns their failures into one-line messages a user can act on.
 *
 * <p>The user name and password reach the tools only through a 0600 option file passed as the first argument,
 * {@code --defaults-extra-file}, deleted when closed; host and port are on the command line and TCP is forced
 * (so that {@code localhost} does not silently mean a Unix socket). The tools still read the system's option
 * files, and, on Unix, the user's own {@code ~/.my.cnf} after ours: a password there overrides ours, which is why
 * the access-denied message mentions it.
 */
final class MariaDbTools {
    static final List<String> DUMP_NAMES = List.of("mariadb-dump", "mysqldump");
    static final List<String> CLIENT_NAMES = List.of("mariadb", "mysql");

    private static final String INSTALL_HINT = "install the MariaDB client tools (Debian/Ubuntu: mariadb-client;"
            + " RHEL: mariadb) or MySQL's (mysql-client), or set the tool directory";
    private static final Pattern DISTRIB = Pattern.compile("(?:Distrib|from)\\s+(\\d+\\.\\d+[^\\s,]*)");
    private static final int MAX_PART = 300;
    private static final Pattern VER = Pattern.compile("Ver\\s+(\\d+\\.\\d+[^\\s,]*)");

    private final DatabaseConnection connection;
    private final NativeTools tools;
    private final Path tempDirectory;
    private final Map<Path, String> versions = new java.util.HashMap<>();

    MariaDbTools(DatabaseConnection connection, NativeTools tools, Path tempDirectory) {
        this.connection = connection;
        this.tools = tools;
        this.tempDirectory = tempDirectory;
    }

    /** An installed tool and what its {@code --version} says. */
    record Tool(Path path, String name, String version) {
        boolean isMariaDb() {
            return version.contains("MariaDB");
        }
    }

    /**
     * The dump tool for a server: among every {@code mariadb-dump} and {@code mysqldump} found, the first of the
     * server's family (MariaDB or MySQL), else the first found.
     */
    Tool dumpTool(String serverVersion) throws BackupException, InterruptedException {
        return choose(DUMP_NAMES, serverVersion);
    }

    /** The command-line client, chosen like {@link #dumpTool}; null server version for the first found. */
    Tool client(String serverVersion) throws BackupException, InterruptedException {
        return choose(CLIENT_NAMES, serverVersion);
    }

    private Tool choose(List<String> names, String serverVersion) throws BackupException, InterruptedException {
        List<Tool> found = new ArrayList<>();
        List<Path> seen = new ArrayList<>(); // real paths: Debian's mysqldump is a link to mariadb-dump
        for (String name : names) {
            for (Path candidate : tools.candidates(name)) {
                Path real = realPath(candidate);
                if (seen.contains(real)) {
                    continue;
                }
                seen.add(real);
                String version = versions.get(real);
                if (version == null) {
                    version = parseToolVersion(NativeProcess.run(List.of(candidate.toString(), "--version"), Map.of(),
                            30));
                    versions.put(real, version); // asked once per operation, however often a tool is chosen
                }
                found.add(new Tool(candidate, name, version));
            }
        }
        if (found.isEmpty()) {
            throw new BackupException(String.join(" or ", names) + " was not found on this machine: " + INSTALL_HINT);
        }
        if (serverVersion != null) {
            boolean mariadbServer = serverVersion.contains("MariaDB");
            for (Tool t : found) {
                if (t.isMariaDb() == mariadbServer) {
                    return t;
                }
            }
        }
        return found.get(0);
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (java.io.IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /** {@code 10.11.19-MariaDB} from MariaDB's {@code Ver 10.19 Distrib 10.11.19-MariaDB, for ...}; MySQL's {@code 8.0.36}. */
    static String parseToolVersion(String versionOutput) {
        Matcher m = DISTRIB.matcher(versionOutput);
        if (m.find()) {
            return m.group(1);
        }
        m = VER.matcher(versionOutput);
        if (m.find()) {
            return m.group(1);
        }
        return NativeTools.parseVersion(versionOutput).orElse("unknown");
    }

    /** A 0600 option file with the user and password, for {@code --defaults-extra-file}. */
    CredentialFile optionFile() throws IOException {
        StringBuilder content = new StringBuilder("[client]\n");
        if (connection.user() != null && !connection.user().isEmpty()) {
            content.append("user=").append(optionValue(connection.user())).append('\n');
        }
        if (connection.password() != null) {
            content.append("password=").append(optionValue(connection.password().reveal())).append('\n');
        }
        return CredentialFile.create(tempDirectory, "dbbackup-my-", content.toString());
    }

    /** A value for an option file: double-quoted, with the escapes the option file parser knows. */
    static String optionValue(String value) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** The start of every command: the tool, the option file (first, as the tools require), TCP to host:port. */
    List<String> command(Tool tool, CredentialFile optionFile) {
        List<String> command = new ArrayList<>();
        command.add(tool.path().toString());
        command.add("--defaults-extra-file=" + optionFile.path());
        command.add("--protocol=TCP");
        command.add("--host=" + connection.host());
        command.add("--port=" + connection.port());
        return command;
    }

    /**
     * Runs SQL through the client in batch mode (tab-separated, no column names, special characters escaped) and
     * returns its output. The SQL goes through stdin, so that long statements are not limited by the command
     * line.
     *
     * @param database the default database; null for none
     */
    String query(Tool client, String sql, String database, String what) throws IOException, InterruptedException {
        try (CredentialFile optionFile = optionFile()) {
            List<String> command = command(client, optionFile);
            command.addAll(List.of("--batch", "--skip-column-names", "--default-character-set=utf8mb4",
                    "--connect-timeout=15"));
            if (database != null) {
                command.add("--database=" + database);
            }
            try (NativeProcess process = NativeProcess.start(command, Map.of(), true, connection.password())) {
                Thread writer = new Thread(() -> {
                    try (OutputStream in = process.stdin()) {
                        in.write(sql.getBytes(StandardCharsets.UTF_8));
                    } catch (IOException ignored) {
                        // the client ended early: its exit status and stderr say why
                    }
                }, "mariadb-query-input");
                writer.setDaemon(true);
                writer.start();
                byte[] out;
                try (InputStream stdout = process.stdout()) {
                    out = stdout.readAllBytes();
                }
                writer.join(30_000);
                int code = process.waitFor();
                if (code != 0) {
                    throw failure(what, client.name(), code, process.errorSummary());
                }
                return new String(out, StandardCharsets.UTF_8);
            }
        }
    }

    /** The rows of batch output, each split into its fields, unescaped. */
    static List<String[]> rows(String batchOutput) {
        List<String[]> rows = new ArrayList<>();
        for (String line : batchOutput.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            for (int i = 0; i < fields.length; i++) {
                fields[i] = unescape(fields[i]);
            }
            rows.add(fields);
        }
        return rows;
    }

    /** Undoes the client's batch-mode escaping ({@code \\t}, {@code \\n}, {@code \\0}, {@code \\\\}). */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder sb = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                char n = field.charAt(++i);
                switch (n) {
                    case 't' -> sb.append('\t');
                    case 'n' -> sb.append('\n');
                    case '0' -> sb.append('\0');
                    default -> sb.append(n);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A string literal that no SQL mode or character set can misread: {@code CONVERT(0x... USING utf8mb4)}. */
    static String literal(String value) {
        if (value.isEmpty()) {
            return "''";
        }
        return "CONVERT(0x" + HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8)) + " USING utf8mb4)";
    }

    /** An identifier in backticks. */
    static String quoteName(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /**
     * Whether lower-case tool output reports error {@code code}: {@code ERROR 1045 (28000)}, {@code Got error: 1045},
     * {@code Error 2013:}; never a number that merely contains it (a row number, say).
     */
    static boolean code(String lower, int code) {
        return Pattern.compile("error:?\\s+" + code + "(?!\\d)").matcher(lower).find();
    }

    /** Each part of a stderr summary cut to a few hundred characters: a failed statement can echo a row of data. */
    static String shorten(String summary) {
        StringBuilder sb = new StringBuilder();
        for (String part : summary.split(" \\| ", -1)) {
            if (!sb.isEmpty()) {
                sb.append(" | ");
            }
            sb.append(part.length() <= MAX_PART ? part : part.substring(0, MAX_PART) + "...");
        }
        return sb.toString();
    }

    /**
     * A one-line message for a failed tool, naming the likely cause.
     *
     * @param what what was being done, e.g. {@code dump of mariadb://app@db1:3306/shop}
     * @param summary the tool's stderr summary, already scrubbed
     */
    BackupException failure(String what, String toolName, int exitCode, String summary) {
        String s = shorten(Scrubber.scrub(summary, connection.password()));
        String lower = s.toLowerCase(Locale.ROOT);
        String server = connection.host() + ":" + connection.port();
        String cause;
        if (code(lower, 1045) || lower.contains("access denied for user") && !lower.contains("to database")) {
            cause = "access denied for user '" + connection.user() + "' at " + server + ": check the user name and"
                    + " password (an option file of the account running the backup, such as ~/.my.cnf, can"
                    + " override them)";
        } else if (code(lower, 2059) || lower.contains("plugin") && (lower.contains("cannot be loaded")
                || lower.contains("could not be loaded") || lower.contains("not loaded")
                || lower.contains("authentication"))) {
            cause = toolName + " cannot use the authentication method the server asks for: use the client tools of"
                    + " the server's family and version (MariaDB: mariadb-client; MySQL 8: mysql-client 8),"
                    + " or set the tool directory";
        } else if (code(lower, 2002) || code(lower, 2003) || code(lower, 2005) || lower.contains("can't connect")
                || lower.contains("unknown server host")) {
            cause = "cannot connect to the server at " + server + ": is it running and reachable?";
        } else if (code(lower, 2013) || code(lower, 2006) || lower.contains("lost connection")
                || lower.contains("gone away")) {
            cause = "lost the connection to the server at " + server + " (did it stop or restart?)";
        } else if (code(lower, 1049) || lower.contains("unknown database")) {
            cause = "the database does not exist on " + server;
        } else if (code(lower, 1044) || code(lower, 1227) || code(lower, 1142) || code(lower, 1370)
                || lower.contains("command denied")) {
            cause = "user '" + connection.user() + "' lacks a privilege this needs (a backup needs SELECT, SHOW VIEW,"
                    + " TRIGGER, EVENT and LOCK TABLES on the database; a restore also CREATE, DROP, ALTER, INSERT,"
                    + " INDEX, REFERENCES, CREATE VIEW, CREATE ROUTINE and LOCK TABLES)";
        } else if (lower.contains("column_statistics") || lower.contains("unknown table")
                && lower.contains("information_schema")) {
            cause = toolName + " does not match the server's family or version: use the client tools of the"
                    + " server's family (MariaDB: mariadb-client; MySQL: mysql-client of the same major version)";
        } else {
            cause = null;
        }
        String detail = toolName + " exit code " + exitCode + ": " + s;
        return new BackupException(what + " failed: " + (cause == null ? detail : cause + " (" + detail + ")"));
    }
}
