package io.jenkins.plugins.dbbackup.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A throwaway PostgreSQL server from {@code /usr/lib/postgresql/<highest major>/bin} (Debian
 * package {@code postgresql}), for tests.
 *
 * <p>Created by {@code initdb -A scram-sha-256 --pwfile}: every connection, TCP or socket, needs
 * the password of the superuser {@code postgres}. Listens on {@code 127.0.0.1} and on a Unix
 * socket in a private directory ({@link #socketDir()}). Durability is off ({@code fsync},
 * {@code synchronous_commit}, {@code full_page_writes}) for speed. When the JVM runs as root, the
 * server runs as the {@code postgres} account, which owns {@link #dataDir()}.
 *
 * <p>See {@link ThrowawayServer} for shared versus dedicated servers and who closes what.
 */
public final class PostgresServer extends JdbcServer {
    private static final Duration INITDB_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final SharedServer<PostgresServer> SHARED = new SharedServer<>("PostgreSQL", PostgresServer::start);

    private final Path socketDir;

    private PostgresServer(Setup setup, Path socketDir) {
        super(setup);
        this.socketDir = socketDir;
    }

    /** The JVM-wide shared server, started on first call. Never close it; see {@link ThrowawayServer}. */
    public static PostgresServer shared() {
        return SHARED.get();
    }

    /** Starts a dedicated server with default settings; the caller closes it. */
    public static PostgresServer start() {
        return start(Options.defaults());
    }

    /** Starts a dedicated server with extra {@code postgresql.conf} settings; the caller closes it. */
    public static PostgresServer start(Options options) {
        Map<String, String> settings = new LinkedHashMap<>(options.settings);
        return startIn("postgres", "PostgreSQL", setup -> {
            Path bin = Binaries.postgresBinDir();
            ServiceUser account = ServiceUser.forServer("postgres", "postgresql");
            ServerDirectory directory = setup.directory;
            String password = Secrets.newPassword();
            Path data = account.createPrivateDirectory(directory.resolve("data"));
            Path socketDir = account.createPrivateDirectory(directory.resolve("socket"));

            initdb(bin, account, directory, data, password);
            appendConfiguration(data, socketDir, settings);

            List<String> command = new ArrayList<>(account.commandPrefix());
            command.addAll(List.of(bin.resolve("postgres").toString(), "-D", data.toString()));
            setup.launched = ServerLauncher.launch("PostgreSQL", directory, directory.resolve("server.log"), READY_TIMEOUT,
                    port -> withPort(command, port),
                    port -> probe(url(port, "postgres"), password));
            setup.user = "postgres";
            setup.password = password;
            setup.binDir = bin;
            setup.dataDir = data;
            setup.version = queryVersion(url(setup.launched.port(), "postgres"), password);
            return new PostgresServer(setup, socketDir);
        });
    }

    /** The directory of the server's Unix socket, for {@code psql -h <socketDir>}. */
    public Path socketDir() {
        return socketDir;
    }

    @Override
    public String jdbcUrl(String database) {
        return url(port(), database == null || database.isEmpty() ? "postgres" : database);
    }

    /** Databases other than {@code postgres} and the templates. */
    @Override
    public List<String> listDatabases() {
        return queryStrings("postgres",
                "SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres' ORDER BY datname");
    }

    @Override
    public void createDatabase(String name) {
        execute("postgres", "CREATE DATABASE " + JdbcServer.quoteIdentifier(name, '"'));
    }

    @Override
    public void dropDatabase(String name) {
        // WITH (FORCE) terminates the other sessions and drops atomically, so no new session slips in between
        execute("postgres", "DROP DATABASE IF EXISTS " + JdbcServer.quoteIdentifier(name, '"') + " WITH (FORCE)");
    }

    @Override
    void requestGracefulStop(ServerProcess process) {
        process.signal("INT"); // fast shutdown: ends sessions instead of waiting for them
    }

    /**
     * After a kill, the postmaster leaves its small System V shared memory segment behind (a
     * graceful stop removes it together with {@code postmaster.pid}); remove the one recorded in
     * the {@code postmaster.pid} of this server, and only that one.
     */
    @Override
    void afterExit() {
        removeLeftoverSharedMemory(directory());
    }

    /** See {@link #afterExit()}; {@code directory} is a server directory with a {@code data} directory. */
    static void removeLeftoverSharedMemory(Path directory) {
        Path pidFile = directory.resolve("data").resolve("postmaster.pid");
        try {
            List<String> lines = Files.exists(pidFile) ? Files.readAllLines(pidFile) : List.of();
            // line 7: "<shared memory key> <shared memory id>"
            String[] shmem = lines.size() >= 7 ? lines.get(6).trim().split("\\s+") : new String[0];
            if (shmem.length == 2 && shmem[1].matches("\\d+")) {
                ServerProcess.run("ipcrm", List.of("ipcrm", "-m", shmem[1]), directory,
                        directory.resolve("ipcrm.log"), Duration.ofSeconds(10));
            }
        } catch (IOException | RuntimeException e) {
            // a leaked 56-byte segment is harmless; the directory must still be deleted
        }
    }

    private static void initdb(Path bin, ServiceUser account, ServerDirectory directory, Path data, String password) {
        Path passwordFile = Secrets.writeSecretFile(directory.resolve("initdb.pwfile"), password + "\n", account);
        try {
            List<String> command = new ArrayList<>(account.commandPrefix());
            command.addAll(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                    "-A", "scram-sha-256", "--pwfile=" + passwordFile, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"));
            ServerProcess.run("initdb", command, directory.root(), directory.resolve("initdb.log"), INITDB_TIMEOUT);
        } finally {
            Secrets.delete(passwordFile);
        }
    }

    private static void appendConfiguration(Path data, Path socketDir, Map<String, String> extra) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("listen_addresses", "127.0.0.1");
        settings.put("unix_socket_directories", socketDir.toString());
        settings.put("fsync", "off");
        settings.put("synchronous_commit", "off");
        settings.put("full_page_writes", "off");
        settings.put("logging_collector", "off");
        settings.putAll(extra);
        StringBuilder conf = new StringBuilder("\n# db-backup test-support\n");
        settings.forEach((name, value) -> conf.append(name).append(" = '").append(value.replace("'", "''")).append("'\n"));
        try {
            Files.writeString(data.resolve("postgresql.conf"), conf, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write postgresql.conf in " + data, e);
        }
    }

    private static List<String> withPort(List<String> command, int port) {
        List<String> withPort = new ArrayList<>(command);
        withPort.addAll(List.of("-p", Integer.toString(port)));
        return withPort;
    }

    private static String url(int port, String database) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
    }

    private static void probe(String url, String password) throws Exception {
        try (Connection connection = JdbcServer.open(url + "?connectTimeout=5", "postgres", password)) {
            connection.createStatement().execute("SELECT 1");
        }
    }

    private static String queryVersion(String url, String password) {
        try (Connection connection = JdbcServer.open(url, "postgres", password)) {
            // "15.18 (Debian 15.18-0+deb12u1)" -> "15.18"
            return connection.getMetaData().getDatabaseProductVersion().split(" ")[0];
        } catch (Exception e) {
            throw new ThrowawayServerException("cannot read the version of the new PostgreSQL server: " + e.getMessage(), e);
        }
    }

    /** Extra {@code postgresql.conf} settings for {@link #start(Options)}. Not thread-safe. */
    public static final class Options {
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Options() {}

        public static Options defaults() {
            return new Options();
        }

        /** Sets {@code name = 'value'} in {@code postgresql.conf}, after (so overriding) the harness' own settings. */
        public Options set(String name, String value) {
            if (!name.matches("[a-z0-9_.]+") || value.contains("\n")) {
                throw new IllegalArgumentException("bad setting: " + name);
            }
            settings.put(name, value);
            return this;
        }
    }
}
