package io.jenkins.plugins.dbbackup.testsupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A throwaway MariaDB server ({@code mariadbd}, Debian package {@code mariadb-server}) for tests.
 *
 * <p>Created by {@code mariadb-install-db --auth-root-authentication-method=normal}. Before the
 * server accepts its first connection, an init file (0600, deleted once the server is ready) gives
 * {@code root@localhost} and {@code root@127.0.0.1} the random password, the latter with all
 * privileges and {@code GRANT OPTION}: there is never a window with a password-less account on
 * TCP. Listens on {@code 127.0.0.1} and on the socket {@link #socket()}; binary log off, small
 * InnoDB buffers, {@code innodb_flush_log_at_trx_commit=0}, {@code utf8mb4} like Debian's own
 * configuration. When the JVM runs as root, the server runs as the {@code mysql} account.
 *
 * <p>See {@link ThrowawayServer} for shared versus dedicated servers and who closes what.
 */
public final class MariaDbServer extends JdbcServer {
    private static final Duration INSTALL_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Path USR_BIN = Path.of("/usr/bin");
    private static final Path USR_SBIN = Path.of("/usr/sbin");
    private static final Set<String> SYSTEM_DATABASES = Set.of("information_schema", "performance_schema", "mysql", "sys");
    private static final List<String> SMALL_INNODB = List.of("--innodb-buffer-pool-size=64M", "--innodb-log-file-size=8M");
    private static final SharedServer<MariaDbServer> SHARED = new SharedServer<>("MariaDB", MariaDbServer::start);

    private final Path socket;

    private MariaDbServer(Setup setup, Path socket) {
        super(setup);
        this.socket = socket;
    }

    /** The JVM-wide shared server, started on first call. Never close it; see {@link ThrowawayServer}. */
    public static MariaDbServer shared() {
        return SHARED.get();
    }

    /** Starts a dedicated server with default settings; the caller closes it. */
    public static MariaDbServer start() {
        return start(Options.defaults());
    }

    /** Starts a dedicated server with extra {@code mariadbd} options; the caller closes it. */
    public static MariaDbServer start(Options options) {
        List<String> extra = List.copyOf(options.arguments());
        return startIn("mariadb", "MariaDB", setup -> {
            Path server = Binaries.require("MariaDB server", "mariadb-server", "mariadbd", USR_SBIN, USR_BIN);
            Path installDb = Binaries.require("MariaDB installer", "mariadb-server", "mariadb-install-db", USR_BIN, USR_SBIN);
            ServiceUser account = ServiceUser.forServer("mysql", "mariadb-server");
            ServerDirectory directory = setup.directory;
            String password = Secrets.newPassword();
            Path data = account.createPrivateDirectory(directory.resolve("data"));
            Path socket = data.resolve("sock");

            List<String> install = new ArrayList<>(List.of(installDb.toString(), "--no-defaults", "--datadir=" + data,
                    "--auth-root-authentication-method=normal", "--skip-test-db"));
            userOption(account).ifPresent(install::add);
            install.addAll(SMALL_INNODB);
            ServerProcess.run("mariadb-install-db", install, directory.root(), directory.resolve("install.log"), INSTALL_TIMEOUT);

            Path initFile = directory.resolve("init.sql");
            try {
                setup.launched = ServerLauncher.launch("MariaDB", directory, directory.resolve("server.log"), READY_TIMEOUT,
                        port -> {
                            Secrets.delete(initFile);
                            Secrets.writeSecretFile(initFile, initSql(password), account);
                            return serverCommand(server, account, data, socket, initFile, port, extra);
                        },
                        port -> probe(url(port, ""), password));
            } finally {
                Secrets.delete(initFile);
            }
            setup.user = "root";
            setup.password = password;
            setup.binDir = Binaries.find("mariadb-dump", USR_BIN, USR_SBIN).map(Path::getParent).orElse(USR_BIN);
            setup.dataDir = data;
            setup.version = queryVersion(url(setup.launched.port(), ""), password);
            return new MariaDbServer(setup, socket);
        });
    }

    /** The server's Unix socket, for {@code mariadb --socket=...}. */
    public Path socket() {
        return socket;
    }

    /** {@code jdbc:mariadb://127.0.0.1:<port>/<database>}. */
    @Override
    public String jdbcUrl(String database) {
        return url(port(), database == null ? "" : database);
    }

    /** Databases other than {@code information_schema}, {@code performance_schema}, {@code mysql} and {@code sys}. */
    @Override
    public List<String> listDatabases() {
        return queryStrings("", "SHOW DATABASES").stream().filter(name -> !SYSTEM_DATABASES.contains(name)).sorted().toList();
    }

    @Override
    public void createDatabase(String name) {
        execute("", "CREATE DATABASE " + JdbcServer.quoteIdentifier(name, '`'));
    }

    @Override
    public void dropDatabase(String name) {
        String quoted = JdbcServer.quoteIdentifier(name, '`');
        try (Connection connection = connect("");
             Statement statement = connection.createStatement()) {
            List<Long> sessions = new ArrayList<>();
            try (var select = connection.prepareStatement(
                    "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()")) {
                select.setString(1, name);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        sessions.add(result.getLong(1));
                    }
                }
            }
            for (long session : sessions) {
                try {
                    statement.execute("KILL CONNECTION " + session);
                } catch (SQLException e) {
                    // the session ended by itself meanwhile
                }
            }
            statement.execute("DROP DATABASE IF EXISTS " + quoted);
        } catch (SQLException e) {
            throw new ThrowawayServerException("cannot drop database " + quoted + " on " + this + ": " + e.getMessage(), e);
        }
    }

    @Override
    void requestGracefulStop(ServerProcess process) {
        process.terminate();
    }

    private static List<String> serverCommand(Path server, ServiceUser account, Path data, Path socket, Path initFile,
                                              int port, List<String> extra) {
        List<String> command = new ArrayList<>(List.of(server.toString(), "--no-defaults", "--datadir=" + data,
                "--port=" + port, "--bind-address=" + HOST, "--socket=" + socket, "--pid-file=" + data.resolve("mariadbd.pid"),
                "--init-file=" + initFile, "--skip-log-bin", "--skip-name-resolve", "--innodb-flush-log-at-trx-commit=0",
                "--innodb-doublewrite=0", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci"));
        userOption(account).ifPresent(command::add);
        command.addAll(SMALL_INNODB);
        command.addAll(extra);
        return command;
    }

    private static Optional<String> userOption(ServiceUser account) {
        return Optional.ofNullable(account.switchedName()).map(name -> "--user=" + name);
    }

    /** Runs before the first connection; drops root's other host entries (::1, the host name). */
    private static String initSql(String password) {
        String literal = "'" + password + "'"; // letters and digits only, see Secrets
        return "ALTER USER 'root'@'localhost' IDENTIFIED BY " + literal + ";\n"
                + "CREATE OR REPLACE USER 'root'@'127.0.0.1' IDENTIFIED BY " + literal + ";\n"
                + "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;\n"
                + "DELETE FROM mysql.global_priv WHERE User = 'root' AND Host NOT IN ('localhost', '127.0.0.1');\n"
                + "DELETE FROM mysql.proxies_priv WHERE User = 'root' AND Host NOT IN ('localhost', '127.0.0.1');\n"
                + "FLUSH PRIVILEGES;\n";
    }

    private static String url(int port, String database) {
        return "jdbc:mariadb://" + HOST + ":" + port + "/" + database;
    }

    private static void probe(String url, String password) throws Exception {
        try (Connection connection = JdbcServer.open(url + "?connectTimeout=5000", "root", password);
             Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        }
    }

    private static String queryVersion(String url, String password) {
        try (Connection connection = JdbcServer.open(url, "root", password);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT VERSION()")) {
            result.next();
            // "10.11.19-MariaDB-0+deb12u1" -> "10.11.19"
            return result.getString(1).split("-")[0];
        } catch (SQLException e) {
            throw new ThrowawayServerException("cannot read the version of the new MariaDB server: " + e.getMessage(), e);
        }
    }

    /** Extra {@code mariadbd} options for {@link #start(Options)}. Not thread-safe. */
    public static final class Options {
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Options() {}

        public static Options defaults() {
            return new Options();
        }

        /**
         * Adds {@code --name=value} to the server's command line, after (so overriding) the
         * harness' own options. Never pass a secret here: command lines are public.
         */
        public Options set(String name, String value) {
            if (!name.matches("[a-z0-9_-]+")) {
                throw new IllegalArgumentException("bad option name: " + name);
            }
            settings.put(name, value);
            return this;
        }

        List<String> arguments() {
            return settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
        }
    }
}
