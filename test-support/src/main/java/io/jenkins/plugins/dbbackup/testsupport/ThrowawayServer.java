package io.jenkins.plugins.dbbackup.testsupport;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * A database server started from the Debian binaries for tests: loopback only, a random free
 * port, a random password, a private temporary directory.
 *
 * <h2>Two ways to get one</h2>
 * <ul>
 *   <li>{@code shared()} on each server class returns the one server of that kind for the whole
 *       JVM, started on first use. Shared servers are closed only at JVM exit; {@link #close()} on
 *       them does nothing, and {@link #kill()} and {@link #stop()} refuse them. Tests that share a
 *       server create their own databases (or Redis keys) with unique names.</li>
 *   <li>{@code start()} starts a dedicated server that belongs to the caller, who closes it
 *       (try-with-resources). Use it for fault tests that kill or stop the server.</li>
 * </ul>
 *
 * <h2>Cleanup</h2>
 * Every server is stopped and its directory deleted by {@link #close()} or, at the latest, by a
 * shutdown hook when the JVM exits, also when tests fail. Servers orphaned by a JVM that was
 * killed are stopped, and their directories deleted, by the first server start of a later JVM.
 *
 * <p>Accessors are thread-safe and never block. {@link #kill()}, {@link #stop()} and
 * {@link #close()} are thread-safe. {@link #toString()} never contains the password.
 */
public abstract sealed class ThrowawayServer implements AutoCloseable permits JdbcServer, RedisServer {
    static final String HOST = "127.0.0.1";
    private static final System.Logger LOG = System.getLogger(ThrowawayServer.class.getName());
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_STOP_TIMEOUT = Duration.ofSeconds(5);

    private final String product;
    private final ServerDirectory directory;
    private final ServerProcess process;
    private final int port;
    private final String user;
    private final String password;
    private final String version;
    private final Path binDir;
    private final Path dataDir;
    private final Duration startupTime;
    private volatile boolean shared;
    private boolean shutDown;

    ThrowawayServer(Setup setup) {
        this.product = setup.product;
        this.directory = setup.directory;
        this.process = setup.launched.process();
        this.port = setup.launched.port();
        this.user = setup.user;
        this.password = setup.password;
        this.version = setup.version;
        this.binDir = setup.binDir;
        this.dataDir = setup.dataDir;
        this.startupTime = Duration.ofNanos(System.nanoTime() - setup.startedNanos);
    }

    /** Always {@code "127.0.0.1"}: the servers listen on loopback only. */
    public String host() {
        return HOST;
    }

    /** The TCP port on {@link #host()}, chosen at random among the free ones. */
    public int port() {
        return port;
    }

    /** The administrative user: {@code postgres}, {@code root} or Redis' {@code default}. */
    public String user() {
        return user;
    }

    /** The administrative user's password, random for each server. Never on any command line. */
    public String password() {
        return password;
    }

    /** The server's version, such as {@code "15.18"}, {@code "10.11.19"} or {@code "7.0.15"}. */
    public String version() {
        return version;
    }

    /** The first component of {@link #version()}: 15 for PostgreSQL 15.18, 10 for MariaDB 10.11. */
    public int majorVersion() {
        return Integer.parseInt(version.split("\\.")[0]);
    }

    /**
     * The directory of the server's client tools of the same version: {@code pg_dump},
     * {@code psql} and friends under {@code /usr/lib/postgresql/<major>/bin}; {@code mariadb},
     * {@code mariadb-dump} and {@code redis-cli} in {@code /usr/bin}.
     */
    public Path binDir() {
        return binDir;
    }

    /** The server's data directory, inside {@link #directory()}. */
    public Path dataDir() {
        return dataDir;
    }

    /** The server's private temporary directory; {@link #close()} deletes it. */
    public Path directory() {
        return directory.root();
    }

    /** The file receiving the server's standard output and error (its log). */
    public Path logFile() {
        return process.log();
    }

    /** How long {@code start()} took, from creating the directory to the first successful login. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Whether this is the JVM-wide instance returned by {@code shared()}. */
    public boolean isShared() {
        return shared;
    }

    /** Whether the server process is alive. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * Kills the server with {@code SIGKILL}, child processes (PostgreSQL backends) included, as in
     * a crash, and waits for it to be gone. Refused on a shared server.
     */
    public synchronized void kill() {
        requireDedicated("kill");
        process.kill();
    }

    /**
     * Stops the server gracefully (PostgreSQL fast shutdown, MariaDB {@code SIGTERM}, Redis
     * {@code SHUTDOWN NOSAVE}) and waits up to 30 s for it to exit; if it does not, kills it and
     * throws. Does nothing when the server is not running. Refused on a shared server.
     */
    public synchronized void stop() {
        requireDedicated("stop");
        if (!stopGracefully(STOP_TIMEOUT)) {
            process.kill();
            throw new ThrowawayServerException(this + " did not stop within " + STOP_TIMEOUT.toSeconds()
                    + " s and was killed" + process.logTailSection());
        }
    }

    /**
     * Stops the server (gracefully, killing it after 5 s) and deletes its directory. Idempotent.
     * Does nothing on a shared server, which is closed when the JVM exits.
     */
    @Override
    public void close() {
        if (!shared) {
            shutdown();
        }
    }

    @Override
    public String toString() {
        return product + " " + version + " on " + HOST + ":" + port + " in " + directory.root();
    }

    /** Stops the server however it can and deletes its directory; for close() and the reaper. */
    synchronized void shutdown() {
        if (shutDown) {
            return;
        }
        shutDown = true;
        try {
            if (process.isAlive()) {
                try {
                    if (!stopGracefully(EXIT_STOP_TIMEOUT)) {
                        process.kill();
                    }
                } catch (RuntimeException e) {
                    process.kill();
                }
            }
            afterExit();
        } finally {
            try {
                directory.delete();
            } finally {
                ServerReaper.unregister(this);
            }
        }
    }

    /** Asks the server to shut down gracefully; the caller waits. */
    abstract void requestGracefulStop(ServerProcess process);

    /** Releases what the dead server may have left outside its directory. */
    void afterExit() {
    }

    ServerProcess process() {
        return process;
    }

    void markShared() {
        shared = true;
    }

    private boolean stopGracefully(Duration timeout) {
        if (!process.isAlive()) {
            return true;
        }
        requestGracefulStop(process);
        return process.awaitExit(timeout);
    }

    private void requireDedicated(String action) {
        if (shared) {
            throw new IllegalStateException("refusing to " + action + " the shared " + product
                    + " server, which other tests use; start a dedicated one with start()");
        }
    }

    /**
     * Runs {@code body} in a new server directory and registers the server it returns for cleanup
     * at JVM exit. If {@code body} fails, the server it launched is killed and the directory deleted.
     */
    static <T extends ThrowawayServer> T startIn(String kind, String product, Function<Setup, T> body) {
        long startedNanos = System.nanoTime();
        ServerDirectory directory = ServerDirectory.create(kind);
        T server;
        try {
            server = body.apply(new Setup(product, directory, startedNanos));
        } catch (RuntimeException | Error e) {
            try {
                directory.delete();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        ServerReaper.register(server);
        LOG.log(Level.INFO, () -> "started " + server + " in " + server.startupTime().toMillis() + " ms");
        return server;
    }

    /** What a server class hands to this constructor once its process is ready. */
    static final class Setup {
        final long startedNanos;
        final String product;
        final ServerDirectory directory;
        ServerLauncher.Launched launched;
        String user;
        String password;
        String version;
        Path binDir;
        Path dataDir;

        Setup(String product, ServerDirectory directory, long startedNanos) {
            this.product = product;
            this.directory = directory;
            this.startedNanos = startedNanos;
        }
    }
}
