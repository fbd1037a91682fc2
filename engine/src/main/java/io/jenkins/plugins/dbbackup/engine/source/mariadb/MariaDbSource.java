package io.jenkins.plugins.dbbackup.engine.source.mariadb;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.process.CredentialFile;
import io.jenkins.plugins.dbbackup.engine.process.NativeProcess;
import io.jenkins.plugins.dbbackup.engine.process.NativeTools;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.source.DatabaseSource;
import io.jenkins.plugins.dbbackup.engine.source.HeadTailInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * MariaDB and MySQL through {@code mariadb-dump} (or {@code mysqldump}) and the {@code mariadb} (or {@code mysql})
 * client: a plain SQL dump, kind {@value #KIND}, data object {@code data.sql[...]}.
 *
 * <h2>What is dumped</h2>
 * The connection's {@code database} names one database, or several separated by commas ({@code shop,billing}).
 * <ul>
 *   <li>One database: {@code mariadb-dump ... -- shop}. The dump holds no {@code CREATE DATABASE} or {@code USE},
 *       so it can be restored into a database of any name (a new one, or a scratch database for verification).</li>
 *   <li>Several: {@code --databases}. The dump creates and switches to each database by its original name, so it
 *       can only be restored into those same databases; a restore whose target does not list every database the
 *       dump names is stopped before any statement naming another database reaches the server.</li>
 * </ul>
 * Options: {@code --single-transaction} (a consistent snapshot of InnoDB tables without locking them; other
 * engines such as MyISAM are not consistent), {@code --quick}, {@code --routines --triggers --events},
 * {@code --hex-blob}, {@code --default-character-set=utf8mb4}, {@code --add-drop-table}, {@code --no-tablespaces}
 * (needs no PROCESS privilege), {@code --max-allowed-packet=1G}; comments stay on, since the completion line
 * {@code -- Dump completed} is one. Accounts and grants (the {@code mysql} schema) are not part of a database dump.
 * With MySQL's {@code mysqldump}, also {@code --set-gtid-purged=OFF}, and {@code --column-statistics=0} against
 * MariaDB.
 *
 * <h2>Privileges</h2>
 * The backup user needs {@code SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES} on the database and, on MariaDB
 * before 11.3, {@code SELECT ON mysql.proc}: without it the dump tool silently leaves out routines the user did
 * not define, so {@link #inspect()} refuses such a user.
 *
 * <h2>Verification data</h2>
 * Rows per table are counted from the dump stream itself as it passes to storage ({@link DumpRowCounter}; count
 * method {@code dump-stream}), so they describe exactly the snapshot that was dumped. Keys are
 * {@code database.table} with the source database's name. {@link #countTarget()} keys by the target's database
 * name: to compare a single-database backup restored into another database, replace that prefix.
 *
 * <h2>Restore</h2>
 * Through the client, reading stdin, with the same option file, the target (first listed) database as default (a
 * single-database dump restored into a list of databases goes into the first).
 * {@code clean} drops and re-creates each target database with its character set and collation before the
 * restore, so that nothing of the old content (tables, views, routines, events not in the dump) survives; grants
 * on the database are kept, since they are stored by name.
 */
public final class MariaDbSource implements DatabaseSource {
    public static final String KIND = "mariadb-sql";
    public static final String DATA_EXTENSION = "sql";
    /** How the last line of every complete {@code mariadb-dump}/{@code mysqldump} output starts. */
    public static final String COMPLETION_MARKER = "-- Dump completed";
    private static final int TAIL = 512;
    private static final int BUFFER = 256 * 1024;
    private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+)\\.(\\d+)");

    private final DatabaseConnection connection;
    private final List<String> databases;
    private final MariaDbTools tools;

    /**
     * @param connection the database(s) (for a restore: the target)
     * @param tools where to find the dump tool and the client
     * @param tempDirectory where the 0600 option file goes; null for the JVM's temp directory
     * @throws IllegalArgumentException when the database list is empty or names one database twice
     */
    public MariaDbSource(DatabaseConnection connection, NativeTools tools, Path tempDirectory) {
        this.connection = connection;
        this.databases = databases(connection.database());
        this.tools = new MariaDbTools(connection, tools, tempDirectory);
    }

    /** The database names of a connection's {@code database}: one, or several separated by commas. */
    static List<String> databases(String spec) {
        Set<String> names = new LinkedHashSet<>();
        for (String part : spec.split(",")) {
            String name = part.strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("database list '" + spec + "' has an empty name: separate names"
                        + " with single commas");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("database list '" + spec + "' names " + name + " twice");
            }
        }
        return List.copyOf(names);
    }

    @Override
    public SourceInfo inspect() throws IOException, InterruptedException {
        MariaDbTools.Tool client = tools.client(null);
        String out = tools.query(client, "SELECT VERSION();\nSELECT SCHEMA_NAME FROM information_schema.SCHEMATA;\n",
                null, "connecting to " + connection.describe());
        List<String[]> rows = MariaDbTools.rows(out);
        if (rows.isEmpty()) {
            throw new BackupException("connecting to " + connection.describe() + " failed: the server did not report"
                    + " its version");
        }
        String serverVersion = serverVersion(rows.get(0)[0]);
        Set<String> existing = rows.stream().skip(1).map(r -> r[0]).collect(Collectors.toSet());
        List<String> missing = databases.stream().filter(d -> !existing.contains(d)).toList();
        if (!missing.isEmpty()) {
            throw new BackupException("database " + String.join(", ", missing) + " does not exist on "
                    + connection.host() + ":" + connection.port() + " (or user '" + connection.user()
                    + "' cannot see it)");
        }
        checkRoutinesVisible(client, serverVersion);
        MariaDbTools.Tool dump = tools.dumpTool(serverVersion);
        return new SourceInfo(KIND, DATA_EXTENSION, serverVersion, dump.name(), dump.version());
    }

    /**
     * On MariaDB before 11.3, a user who may not read {@code mysql.proc} sees only the routines it defined, and
     * the dump tool leaves the others out without any error. Refuse rather than store a backup that lacks them.
     */
    private void checkRoutinesVisible(MariaDbTools.Tool client, String serverVersion)
            throws IOException, InterruptedException {
        if (!serverVersion.contains("MariaDB") || versionAtLeast(serverVersion, 11, 3)) {
            return; // MySQL keeps routines in its data dictionary; MariaDB 11.3 has SHOW CREATE ROUTINE
        }
        try {
            tools.query(client, "SELECT COUNT(*) FROM mysql.proc WHERE 1 = 0;\n", null, "checking privileges");
        } catch (BackupException e) {
            if (!e.getMessage().contains("1142") && !e.getMessage().toLowerCase(Locale.ROOT)
                    .contains("command denied")) {
                throw e;
            }
            throw new BackupException("user '" + connection.user() + "' may not read mysql.proc, so the dump would"
                    + " silently leave out the stored procedures and functions it did not define: GRANT SELECT ON"
                    + " mysql.proc TO the backup user (see the MariaDB documentation of mariadb-dump --routines)");
        }
    }

    /** Whether a version such as {@code 10.11.19-MariaDB} is at least {@code major.minor}. */
    static boolean versionAtLeast(String version, int major, int minor) {
        Matcher m = MAJOR_MINOR.matcher(version);
        if (!m.find()) {
            return false;
        }
        int ma = Integer.parseInt(m.group(1));
        int mi = Integer.parseInt(m.group(2));
        return ma > major || ma == major && mi >= minor;
    }

    /** {@code 10.11.19-MariaDB} from {@code 10.11.19-MariaDB-0+deb12u1}; MySQL's {@code 8.0.36} as is. */
    static String serverVersion(String version) {
        int mariadb = version.indexOf("-MariaDB");
        if (mariadb >= 0) {
            return version.substring(0, mariadb + "-MariaDB".length());
        }
        int dash = version.indexOf('-');
        return dash > 0 ? version.substring(0, dash) : version;
    }

    @Override
    public RunningDump startDump(SourceInfo info) throws IOException, InterruptedException {
        MariaDbTools.Tool dump = tools.dumpTool(info.serverVersion());
        CredentialFile optionFile = tools.optionFile();
        try {
            List<String> command = tools.command(dump, optionFile);
            command.addAll(List.of("--single-transaction", "--quick", "--routines", "--triggers", "--events",
                    "--hex-blob", "--default-character-set=utf8mb4", "--add-drop-table", "--no-tablespaces",
                    "--max-allowed-packet=1G"));
            boolean mysql8Tool = !dump.isMariaDb() && versionAtLeast(dump.version(), 8, 0);
            if (mysql8Tool && info.serverVersion().contains("MariaDB")) {
                // MySQL 8's mysqldump asks a MariaDB server for histograms it does not have (5.7 lacks the option)
                command.add("--column-statistics=0");
            }
            if (!dump.isMariaDb()) {
                // else MySQL's mysqldump writes SET @@GLOBAL.GTID_PURGED for a GTID server, which fails the restore
                // on any server that has executed transactions (untested here: no MySQL server on these machines)
                command.add("--set-gtid-purged=OFF");
            }
            if (databases.size() > 1) {
                command.add("--databases");
            }
            command.add("--");
            command.addAll(databases);
            NativeProcess process = NativeProcess.start(command, Map.of(), false, connection.password());
            return new MariaDbDump(dump, optionFile, process,
                    new DumpRowCounter(databases.size() == 1 ? databases.get(0) : null));
        } catch (IOException | RuntimeException e) {
            optionFile.close();
            throw e;
        }
    }

    @Override
    public boolean targetExists() throws IOException, InterruptedException {
        Set<String> existing = existingDatabases();
        return databases.stream().anyMatch(existing::contains);
    }

    @Override
    public boolean targetIsEmpty() throws IOException, InterruptedException {
        String in = inList();
        String out = query("SELECT (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (" + in + "))"
                + " + (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA IN (" + in + "))"
                + " + (SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA IN (" + in + "));\n",
                "inspecting " + connection.describe());
        return Long.parseLong(MariaDbTools.rows(out).get(0)[0].strip()) == 0;
    }

    @Override
    public void createTarget() throws IOException, InterruptedException {
        StringBuilder sql = new StringBuilder();
        for (String db : databases) {
            sql.append("CREATE DATABASE IF NOT EXISTS ").append(MariaDbTools.quoteName(db)).append(";\n");
        }
        query(sql.toString(), "creating " + connection.describe());
    }

    @Override
    public void dropTarget() throws IOException, InterruptedException {
        StringBuilder sql = new StringBuilder();
        for (String db : databases) {
            sql.append("DROP DATABASE IF EXISTS ").append(MariaDbTools.quoteName(db)).append(";\n");
        }
        query(sql.toString(), "dropping " + connection.describe());
    }

    @Override
    public void restore(InputStream data, RestoreOptions options) throws IOException, InterruptedException {
        // the engine's message names the target already
        String what = "the restore";
        MariaDbTools.Tool client = tools.client(null);
        if (options.clean()) {
            clean();
        }
        try (CredentialFile optionFile = tools.optionFile()) {
            List<String> command = tools.command(client, optionFile);
            command.addAll(List.of("--batch", "--default-character-set=utf8mb4", "--max-allowed-packet=1G",
                    "--connect-timeout=15", "--database=" + databases.get(0)));
            if (client.isMariaDb()) {
                // else a failed statement (possibly a megabyte of row data) is echoed into the error message
                command.add("--skip-print-query-on-error");
            }
            try (NativeProcess process = NativeProcess.start(command, Map.of(), true, connection.password())) {
                feed(data, process, what);
                int code = process.waitFor();
                if (code != 0) {
                    throw tools.failure(what, client.name(), code, process.errorSummary());
                }
            }
        }
    }

    /** Drops and re-creates each existing target database with its character set and collation. */
    private void clean() throws IOException, InterruptedException {
        String out = query("SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME"
                + " FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (" + inList() + ");\n",
                "inspecting " + connection.describe());
        StringBuilder sql = new StringBuilder();
        for (String[] row : MariaDbTools.rows(out)) {
            if (!databases.contains(row[0])) {
                continue; // the IN list compares without case
            }
            String name = MariaDbTools.quoteName(row[0]);
            sql.append("DROP DATABASE ").append(name).append(";\n")
                    .append("CREATE DATABASE ").append(name).append(" CHARACTER SET ").append(row[1])
                    .append(" COLLATE ").append(row[2]).append(";\n");
        }
        if (!sql.isEmpty()) {
            query(sql.toString(), "cleaning " + connection.describe());
        }
    }

    /**
     * Writes the dump to the client, checking before each chunk goes out that it names no database outside the
     * target (a multi-database dump restored elsewhere would otherwise write into its original databases).
     */
    private void feed(InputStream data, NativeProcess process, String what) throws IOException, InterruptedException {
        DumpRowCounter guard = new DumpRowCounter(databases.get(0));
        try (OutputStream stdin = process.stdin()) {
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = data.read(buffer)) > 0) {
                if (Thread.interrupted()) {
                    process.kill();
                    throw new InterruptedException("restore interrupted");
                }
                guard.update(buffer, 0, n);
                for (String db : guard.databasesUsed()) {
                    if (!databases.contains(db)) {
                        process.kill();
                        throw new BackupException(what + " stopped: the dump names database '" + db + "', which"
                                + " is not among the target databases (" + String.join(", ", databases) + "); a"
                                + " backup of several databases restores only into the same databases");
                    }
                }
                stdin.write(buffer, 0, n);
            }
        } catch (BackupException e) {
            throw e;
        } catch (IOException e) {
            // a broken pipe means the client gave up: its exit status and stderr say why
            int code = process.waitFor();
            if (code != 0) {
                throw tools.failure(what, process.toolName(), code, process.errorSummary());
            }
            throw e;
        }
    }

    @Override
    public Map<String, Long> countTarget() throws IOException, InterruptedException {
        String out = query("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA IN ("
                + inList() + ") AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') ORDER BY 1, 2;\n",
                "listing the tables of " + connection.describe());
        List<String[]> tables = MariaDbTools.rows(out).stream().filter(r -> databases.contains(r[0])).toList();
        Map<String, Long> counts = new LinkedHashMap<>();
        if (tables.isEmpty()) {
            return counts;
        }
        // one consistent snapshot for all counts; each answer carries its table's index
        StringBuilder sql = new StringBuilder("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY;\n");
        for (int i = 0; i < tables.size(); i++) {
            String[] t = tables.get(i);
            sql.append("SELECT ").append(i).append(", COUNT(*) FROM ").append(MariaDbTools.quoteName(t[0]))
                    .append('.').append(MariaDbTools.quoteName(t[1])).append(";\n");
        }
        sql.append("COMMIT;\n");
        String[] keys = tables.stream().map(t -> t[0] + "." + t[1]).toArray(String[]::new);
        long[] values = new long[keys.length];
        for (String[] row : MariaDbTools.rows(query(sql.toString(), "counting rows in " + connection.describe()))) {
            values[Integer.parseInt(row[0])] = Long.parseLong(row[1]);
        }
        for (int i = 0; i < keys.length; i++) {
            counts.put(keys[i], values[i]);
        }
        return counts;
    }

    private Set<String> existingDatabases() throws IOException, InterruptedException {
        String out = query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA;\n",
                "looking up " + connection.describe());
        return MariaDbTools.rows(out).stream().map(r -> r[0]).collect(Collectors.toSet());
    }

    private String query(String sql, String what) throws IOException, InterruptedException {
        return tools.query(tools.client(null), sql, null, what);
    }

    private String inList() {
        return databases.stream().map(MariaDbTools::literal).collect(Collectors.joining(", "));
    }

    /**
     * Whether a dump's last non-blank line is the tool's completion line; for the structure level of verification
     * too, given the last few hundred bytes of the plain dump.
     */
    public static boolean endsWithCompletionMarker(byte[] tail) {
        String text = new String(tail, StandardCharsets.UTF_8).stripTrailing();
        int lastLine = text.lastIndexOf('\n');
        return text.substring(lastLine + 1).startsWith(COMPLETION_MARKER);
    }

    /** Feeds every byte read to the row counter. */
    private static final class CountingStream extends FilterInputStream {
        private final DumpRowCounter counter;

        CountingStream(InputStream in, DumpRowCounter counter) {
            super(in);
            this.counter = counter;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counter.update(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                counter.update(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("skip is not supported on a dump stream");
        }
    }

    /** A running dump tool, its bytes counted as they pass. */
    private final class MariaDbDump implements RunningDump {
        private final MariaDbTools.Tool tool;
        private final CredentialFile optionFile;
        private final NativeProcess process;
        private final DumpRowCounter counter;
        private final HeadTailInputStream stream;
        private boolean closed;

        MariaDbDump(MariaDbTools.Tool tool, CredentialFile optionFile, NativeProcess process, DumpRowCounter counter) {
            this.tool = tool;
            this.optionFile = optionFile;
            this.process = process;
            this.counter = counter;
            this.stream = new HeadTailInputStream(new CountingStream(process.stdout(), counter), 0, TAIL);
        }

        @Override
        public InputStream stream() {
            return stream;
        }

        @Override
        public BackupManifest.VerificationData finish() throws IOException, InterruptedException {
            // the engine's message names the database already
            String what = "the dump";
            int code = process.waitFor();
            if (code != 0) {
                throw tools.failure(what, tool.name(), code, process.errorSummary());
            }
            if (stream.count() == 0) {
                throw new BackupException(tool.name() + " exited successfully but produced no data: not a backup");
            }
            if (!endsWithCompletionMarker(stream.tail())) {
                throw new BackupException(what + " is incomplete: " + tool.name() + " exited successfully, but its"
                        + " output (" + stream.count() + " bytes) does not end with the '" + COMPLETION_MARKER
                        + "' line (was the dump cut short, or are comments turned off in an option file?)");
            }
            return new BackupManifest.VerificationData(counter.counts(), null, "dump-stream");
        }

        @Override
        public void abort() {
            process.kill();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            process.close();
            try {
                optionFile.close();
            } catch (IOException ignored) {
                // best effort: the file is 0600 in a temp directory
            }
        }
    }
}
