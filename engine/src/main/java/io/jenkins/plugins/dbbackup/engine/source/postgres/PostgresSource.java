package io.jenkins.plugins.dbbackup.engine.source.postgres;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.process.CredentialFile;
import io.jenkins.plugins.dbbackup.engine.process.NativeProcess;
import io.jenkins.plugins.dbbackup.engine.process.NativeTools;
import io.jenkins.plugins.dbbackup.engine.process.Scrubber;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.source.DatabaseSource;
import io.jenkins.plugins.dbbackup.engine.source.HeadTailInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * PostgreSQL through {@code pg_dump} (custom format, uncompressed: the engine compresses) and {@code pg_restore}.
 *
 * <p>Row counts for verification are exact for the dump's own snapshot: a JDBC session opens a repeatable-read
 * transaction, exports its snapshot ({@code pg_export_snapshot()}), hands it to {@code pg_dump --snapshot}, and counts
 * rows in that same transaction while the dump runs. The password reaches the tools through a 0600
 * {@code PGPASSFILE}, deleted afterwards.
 */
public final class PostgresSource implements DatabaseSource {
    /** The dump kind recorded in manifests. */
    public static final String KIND = "postgresql-custom";
    /** The kind of a directory-format dump ({@code pg_dump --format=directory}) stored as one POSIX tar stream. */
    public static final String KIND_DIRECTORY = "postgresql-directory-tar";

    /** The custom format's magic number. */
    private static final byte[] MAGIC = "PGDMP".getBytes(StandardCharsets.US_ASCII);
    /**
     * Fewer bytes than this cannot be a custom-format archive: its header alone (magic, versions, sizes, format,
     * compression, creation time, database name, versions, entry count) is longer, even for an empty database.
     */
    static final int MINIMUM_ARCHIVE_BYTES = 64;

    /** The name of the dump directory inside the private 0700 work directory. */
    static final String DUMP_DIRECTORY = "dump";

    private static final String USER_TABLES = """
            SELECT n.nspname, c.relname
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind = 'r'
               AND n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                                WHERE d.classid = 'pg_catalog.pg_class'::regclass
                                  AND d.objid = c.oid AND d.deptype = 'e')
             ORDER BY 1, 2""";

    private final DatabaseConnection connection;
    private final NativeTools tools;
    private final Path tempDirectory;
    private final DumpOptions dumpOptions;

    /**
     * @param connection the database (for a restore: the target database)
     * @param tools where to find {@code pg_dump}, {@code pg_restore}
     * @param tempDirectory where the 0600 password file (and the 0700 directory of a directory-format dump or
     *     restore) goes; null for the JVM's temp directory
     */
    public PostgresSource(DatabaseConnection connection, NativeTools tools, Path tempDirectory) {
        this(connection, tools, tempDirectory, DumpOptions.defaults());
    }

    /**
     * @param dumpOptions the dump format and parallel jobs of backups taken through this source
     */
    public PostgresSource(DatabaseConnection connection, NativeTools tools, Path tempDirectory,
            DumpOptions dumpOptions) {
        this.connection = connection;
        this.tools = tools;
        this.tempDirectory = tempDirectory;
        this.dumpOptions = dumpOptions == null ? DumpOptions.defaults() : dumpOptions;
    }

    @Override
    public SourceInfo inspect() throws IOException, InterruptedException {
        String serverVersion = serverVersion(connection.database());
        Tool dump = chooseTool("pg_dump", NativeTools.major(serverVersion));
        return dumpOptions.directory()
                ? new SourceInfo(KIND_DIRECTORY, "pgdir.tar", serverVersion, "pg_dump", dump.version())
                : new SourceInfo(KIND, "pgdump", serverVersion, "pg_dump", dump.version());
    }

    @Override
    public RunningDump startDump(SourceInfo info) throws IOException, InterruptedException {
        Tool dump = chooseTool("pg_dump", NativeTools.major(info.serverVersion()));
        Connection session = PostgresSession.open(connection, connection.database());
        CredentialFile passFile = null;
        NativeProcess process = null;
        Path workDirectory = null;
        try {
            session.setAutoCommit(false);
            session.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            session.setReadOnly(true);
            String snapshot;
            try (Statement st = session.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_export_snapshot()")) {
                rs.next();
                snapshot = rs.getString(1);
            }
            passFile = passFile();
            List<String> command = new ArrayList<>(List.of(dump.path().toString(), "--compress=0", "--no-password",
                    "--snapshot=" + snapshot));
            if (dumpOptions.directory()) {
                // every worker of pg_dump --jobs imports the same exported snapshot, so the counts stay exact
                workDirectory = privateDirectory("dbbackup-pgdump-");
                command.addAll(List.of("--format=directory", "--jobs=" + dumpOptions.jobs(),
                        "--file=" + workDirectory.resolve(DUMP_DIRECTORY)));
            } else {
                command.add("--format=custom");
            }
            command.addAll(connectionArguments(connection.database()));
            process = NativeProcess.start(command, environment(passFile), false, connection.password());
            return new PostgresDump(session, passFile, process, workDirectory);
        } catch (SQLException e) {
            closeAll(session, passFile, process);
            deleteTree(workDirectory);
            throw new BackupException("cannot start a consistent snapshot on " + connection.describe() + ": "
                    + Scrubber.scrub(PostgresSession.firstLine(e.getMessage()), connection.password()));
        } catch (IOException | RuntimeException e) {
            closeAll(session, passFile, process);
            deleteTree(workDirectory);
            throw e;
        }
    }

    @Override
    public boolean targetExists() throws IOException {
        try (Connection c = PostgresSession.open(connection, maintenanceDatabase());
                PreparedStatement st = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_database WHERE datname = ?")) {
            st.setString(1, connection.database());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw sqlFailure("cannot look up database " + connection.database(), e);
        }
    }

    @Override
    public boolean targetIsEmpty() throws IOException {
        try (Connection c = PostgresSession.open(connection, connection.database());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("""
                        SELECT count(*) FROM pg_catalog.pg_class c
                          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
                           AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
                           AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')""")) {
            rs.next();
            return rs.getLong(1) == 0;
        } catch (SQLException e) {
            throw sqlFailure("cannot inspect database " + connection.database(), e);
        }
    }

    @Override
    public void createTarget() throws IOException {
        try (Connection c = PostgresSession.open(connection, maintenanceDatabase()); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + PostgresSession.quoteIdent(connection.database()));
        } catch (SQLException e) {
            throw sqlFailure("cannot create database " + connection.database(), e);
        }
    }

    @Override
    public void dropTarget() throws IOException {
        try (Connection c = PostgresSession.open(connection, maintenanceDatabase()); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + PostgresSession.quoteIdent(connection.database()) + " WITH (FORCE)");
        } catch (SQLException e) {
            throw sqlFailure("cannot drop database " + connection.database(), e);
        }
    }

    @Override
    public void restore(InputStream data, RestoreOptions options) throws IOException, InterruptedException {
        String serverVersion = serverVersion(maintenanceDatabase());
        Tool restore = chooseTool("pg_restore", NativeTools.major(serverVersion));
        List<String> command = new ArrayList<>(List.of(restore.path().toString(), "--no-password", "--exit-on-error"));
        if (options.clean()) {
            command.addAll(List.of("--clean", "--if-exists"));
        }
        if (options.noOwner()) {
            command.add("--no-owner");
        }
        if (options.noPrivileges()) {
            command.add("--no-privileges");
        }
        for (String schema : options.schemas()) {
            command.add("--schema=" + schema);
        }
        for (String table : options.tables()) {
            command.add("--table=" + table);
        }
        command.addAll(connectionArguments(connection.database()));
        Path spool = null;
        Path workDirectory = null;
        try (CredentialFile passFile = passFile()) {
            if (KIND_DIRECTORY.equals(options.kind())) {
                // pg_restore reads a directory dump only from a directory: unpack the tar stream first
                workDirectory = privateDirectory("dbbackup-pgrestore-");
                Path dir = Files.createDirectory(workDirectory.resolve(DUMP_DIRECTORY));
                DirectoryTar.extract(data, dir);
                if (options.jobs() > 1) {
                    command.add("--jobs=" + options.jobs());
                }
                command.add(dir.toString());
                try (NativeProcess process = NativeProcess.start(command, environment(passFile), false, connection.password())) {
                    process.checkExit();
                }
            } else if (options.jobs() > 1) {
                // pg_restore reads a parallel restore only from a seekable file
                spool = spool(data);
                command.add("--jobs=" + options.jobs());
                command.add(spool.toString());
                try (NativeProcess process = NativeProcess.start(command, environment(passFile), false, connection.password())) {
                    process.checkExit();
                }
            } else {
                try (NativeProcess process = NativeProcess.start(command, environment(passFile), true, connection.password())) {
                    process.feed(data, false);
                    process.checkExit();
                }
            }
        } finally {
            if (spool != null) {
                Files.deleteIfExists(spool);
            }
            deleteTree(workDirectory);
        }
    }

    /**
     * Creates the schemas that do not exist yet in the target database, owned by the restoring user: a subset restore
     * ({@code pg_restore --schema} or {@code --table}) restores objects inside a schema but not the schema itself.
     */
    public void createMissingSchemas(java.util.Collection<String> schemas) throws IOException {
        try (Connection c = PostgresSession.open(connection, connection.database()); Statement st = c.createStatement()) {
            for (String schema : schemas) {
                st.execute("CREATE SCHEMA IF NOT EXISTS " + PostgresSession.quoteIdent(schema));
            }
        } catch (SQLException e) {
            throw sqlFailure("cannot create the schemas " + String.join(", ", schemas) + " of the subset", e);
        }
    }

    @Override
    public Map<String, Long> countTarget() throws IOException {
        try (Connection c = PostgresSession.open(connection, connection.database())) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            Map<String, Long> counts = countRows(c);
            c.commit();
            return counts;
        } catch (SQLException e) {
            throw sqlFailure("cannot count rows in " + connection.database(), e);
        }
    }

    /** Row counts of every user table, in the session's current transaction. */
    static Map<String, Long> countRows(Connection c) throws SQLException {
        List<String[]> tables = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(USER_TABLES)) {
            while (rs.next()) {
                tables.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Statement st = c.createStatement()) {
            for (String[] t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM ONLY "
                        + PostgresSession.quoteIdent(t[0]) + "." + PostgresSession.quoteIdent(t[1]))) {
                    rs.next();
                    counts.put(t[0] + "." + t[1], rs.getLong(1));
                }
            }
        }
        return counts;
    }

    private String serverVersion(String database) throws IOException {
        try (Connection c = PostgresSession.open(connection, database);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return NativeTools.parseVersion(rs.getString(1)).orElse(rs.getString(1));
        } catch (SQLException e) {
            throw sqlFailure("cannot read the server version", e);
        }
    }

    private String maintenanceDatabase() {
        return "postgres".equals(connection.database()) ? "template1" : "postgres";
    }

    private List<String> connectionArguments(String database) {
        List<String> args = new ArrayList<>();
        args.add("--host=" + connection.host());
        args.add("--port=" + connection.port());
        if (connection.user() != null) {
            args.add("--username=" + connection.user());
        }
        // a conninfo string, so that a database name containing '=' is not taken for one
        args.add("--dbname=dbname='" + database.replace("\\", "\\\\").replace("'", "\\'") + "'");
        return args;
    }

    private CredentialFile passFile() throws IOException {
        String password = connection.password() == null ? "" : connection.password().reveal();
        String escaped = password.replace("\\", "\\\\").replace(":", "\\:");
        return CredentialFile.create(tempDirectory, "dbbackup-pgpass-", "*:*:*:*:" + escaped + "\n");
    }

    private static Map<String, String> environment(CredentialFile passFile) {
        return Map.of("PGPASSFILE", passFile.path().toString(), "PGCONNECT_TIMEOUT", "15",
                "PGAPPNAME", "db-backup", "PGSERVICEFILE", "/dev/null");
    }

    /** The installed tool best suited to a server: same major if present, else the newest that is not older. */
    private Tool chooseTool(String name, int serverMajor) throws IOException, InterruptedException {
        List<Path> candidates = tools.candidates(name);
        if (candidates.isEmpty()) {
            throw new BackupException(name + " was not found on this machine: install the PostgreSQL client tools"
                    + " (Debian/Ubuntu: postgresql-client; RHEL: postgresql) of version " + serverMajor
                    + " or newer, or set the tool directory");
        }
        List<Tool> usable = new ArrayList<>();
        String newestSeen = null;
        for (Path candidate : candidates) {
            String out = NativeProcess.run(List.of(candidate.toString(), "--version"), Map.of(), 30);
            Optional<String> version = NativeTools.parseVersion(out);
            if (version.isEmpty()) {
                continue;
            }
            newestSeen = newestSeen == null || NativeTools.major(version.get()) > NativeTools.major(newestSeen)
                    ? version.get() : newestSeen;
            if (NativeTools.major(version.get()) >= serverMajor) {
                usable.add(new Tool(candidate, version.get()));
            }
        }
        if (usable.isEmpty()) {
            throw new BackupException(name + " " + newestSeen + " is older than the PostgreSQL " + serverMajor
                    + " server: install the client tools of version " + serverMajor + " or newer"
                    + " (Debian/Ubuntu: postgresql-client-" + serverMajor + ")");
        }
        return usable.stream().filter(t -> NativeTools.major(t.version()) == serverMajor).findFirst()
                .orElseGet(() -> usable.stream()
                        .min((a, b) -> Integer.compare(NativeTools.major(a.version()), NativeTools.major(b.version())))
                        .orElseThrow());
    }

    private Path spool(InputStream data) throws IOException {
        Path dir = tempDirectory != null ? tempDirectory : Path.of(System.getProperty("java.io.tmpdir"));
        Path file = Files.createTempFile(dir, "dbbackup-restore-", ".pgdump",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(file)) {
            data.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    /** A new 0700 directory under the temp directory. */
    private Path privateDirectory(String prefix) throws IOException {
        Path dir = tempDirectory != null ? tempDirectory : Path.of(System.getProperty("java.io.tmpdir"));
        return Files.createTempDirectory(dir, prefix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** Deletes a directory and what it holds (one level of subdirectories, as dumps have); null is ignored. */
    static void deleteTree(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException ignored) {
            // already gone
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temporary dump directory " + directory, e);
        }
    }

    private BackupException sqlFailure(String what, SQLException e) {
        return new BackupException(what + " on " + connection.describe() + ": "
                + Scrubber.scrub(PostgresSession.firstLine(e.getMessage()), connection.password()));
    }

    private static void closeAll(Connection session, CredentialFile passFile, NativeProcess process) {
        if (process != null) {
            process.close();
        }
        if (session != null) {
            try {
                session.close();
            } catch (SQLException ignored) {
                // closing after a failure
            }
        }
        if (passFile != null) {
            try {
                passFile.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    private record Tool(Path path, String version) {}

    /** A running pg_dump, with the snapshot session counting rows beside it. */
    private final class PostgresDump implements RunningDump {
        private final Connection session;
        private final CredentialFile passFile;
        private final NativeProcess process;
        private final HeadTailInputStream stream;
        private final CompletableFuture<Map<String, Long>> counts;
        /** The private work directory of a directory-format dump; null for the custom format. */
        private final Path workDirectory;
        private boolean closed;

        PostgresDump(Connection session, CredentialFile passFile, NativeProcess process, Path workDirectory) {
            this.session = session;
            this.passFile = passFile;
            this.process = process;
            this.workDirectory = workDirectory;
            this.stream = new HeadTailInputStream(workDirectory == null ? process.stdout()
                    : new TarAfterExit(process, workDirectory.resolve(DUMP_DIRECTORY)), 16, 0);
            this.counts = CompletableFuture.supplyAsync(() -> {
                try {
                    return countRows(session);
                } catch (SQLException e) {
                    throw new IllegalStateException(Scrubber.scrub(PostgresSession.firstLine(e.getMessage()),
                            connection.password()), e);
                }
            }, runnable -> {
                Thread t = new Thread(runnable, "pg-row-counts");
                t.setDaemon(true);
                t.start();
            });
        }

        @Override
        public InputStream stream() {
            return stream;
        }

        @Override
        public BackupManifest.VerificationData finish() throws IOException, InterruptedException {
            process.checkExit();
            if (workDirectory != null) {
                checkDirectoryDump();
            } else {
                checkCustomDump();
            }
            return counts();
        }

        private void checkCustomDump() throws IOException {
            byte[] head = stream.head();
            if (stream.count() == 0) {
                throw new BackupException("pg_dump exited successfully but produced no data: not a backup");
            }
            if (head.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC)) {
                throw new BackupException("pg_dump output does not start with the custom-format header: not a backup");
            }
            if (stream.count() < MINIMUM_ARCHIVE_BYTES) {
                throw new BackupException("pg_dump produced only " + stream.count() + " bytes, less than any complete"
                        + " custom-format archive: not a backup");
            }
        }

        /** The tar stream was read to its end and its directory holds a table of contents with the dump header. */
        private void checkDirectoryDump() throws IOException {
            Path toc = workDirectory.resolve(DUMP_DIRECTORY).resolve("toc.dat");
            if (!Files.isRegularFile(toc)) {
                throw new BackupException("pg_dump exited successfully but wrote no toc.dat: not a backup");
            }
            byte[] head;
            try (InputStream in = Files.newInputStream(toc)) {
                head = in.readNBytes(MAGIC.length);
            }
            if (!Arrays.equals(head, MAGIC)) {
                throw new BackupException("toc.dat written by pg_dump does not start with the archive header: not a backup");
            }
            if (Files.size(toc) < MINIMUM_ARCHIVE_BYTES || stream.count() < 3L * DirectoryTar.BLOCK) {
                throw new BackupException("pg_dump produced less than any complete directory-format archive: not a backup");
            }
        }

        private BackupManifest.VerificationData counts() throws IOException, InterruptedException {
            Map<String, Long> rows;
            try {
                rows = counts.get();
                session.commit();
            } catch (ExecutionException e) {
                throw new BackupException("cannot count rows in the dump's snapshot: " + e.getCause().getMessage());
            } catch (SQLException e) {
                throw new BackupException("the snapshot session failed: "
                        + Scrubber.scrub(PostgresSession.firstLine(e.getMessage()), connection.password()));
            }
            return new BackupManifest.VerificationData(rows, null, "exported-snapshot");
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
            counts.cancel(true);
            closeAll(session, passFile, process);
            deleteTree(workDirectory);
        }
    }

    /**
     * The tar stream of a finished directory dump: the first read waits for pg_dump to exit 0 (an interrupt of the
     * reading thread kills it), then streams the directory.
     */
    private static final class TarAfterExit extends InputStream {
        private final NativeProcess process;
        private final Path directory;
        private InputStream tar;

        TarAfterExit(NativeProcess process, Path directory) {
            this.process = process;
            this.directory = directory;
        }

        private InputStream tar() throws IOException {
            if (tar == null) {
                try {
                    process.checkExit();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while pg_dump wrote the dump directory");
                }
                tar = DirectoryTar.stream(directory);
            }
            return tar;
        }

        @Override
        public int read() throws IOException {
            return tar().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return tar().read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (tar != null) {
                tar.close();
            }
        }
    }
}
