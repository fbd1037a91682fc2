package io.jenkins.plugins.dbbackup.testsupport;

import java.io.EOFException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A throwaway Redis server ({@code redis-server}, Debian package {@code redis-server}) for tests.
 *
 * <p>Listens on {@code 127.0.0.1} only; the {@code default} user needs {@link #password()}. No
 * persistence ({@code save ""}, {@code appendonly no}) and {@code repl-diskless-sync-delay 0}, so a
 * replication-protocol backup starts at once instead of after Redis' default 5 s. The password and
 * all settings travel in a configuration file (0600, deleted once the server is ready), never on
 * the command line. Stopped with {@code SHUTDOWN NOSAVE}.
 *
 * <p>See {@link ThrowawayServer} for shared versus dedicated servers and who closes what.
 */
public final class RedisServer extends ThrowawayServer {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Path USR_BIN = Path.of("/usr/bin");
    private static final SharedServer<RedisServer> SHARED = new SharedServer<>("Redis", RedisServer::start);

    private RedisServer(Setup setup) {
        super(setup);
    }

    /** The JVM-wide shared server, started on first call. Never close it; see {@link ThrowawayServer}. */
    public static RedisServer shared() {
        return SHARED.get();
    }

    /** Starts a dedicated server with default settings; the caller closes it. */
    public static RedisServer start() {
        return start(Options.defaults());
    }

    /** Starts a dedicated server with extra configuration; the caller closes it. */
    public static RedisServer start(Options options) {
        Map<String, String> settings = new LinkedHashMap<>(options.settings);
        List<String> aclUsers = List.copyOf(options.aclUsers);
        return startIn("redis", "Redis", setup -> {
            Path server = Binaries.require("Redis server", "redis-server", "redis-server", USR_BIN);
            ServerDirectory directory = setup.directory;
            ServiceUser self = ServiceUser.self();
            String password = Secrets.newPassword();
            Path data = self.createPrivateDirectory(directory.resolve("data"));
            Path config = directory.resolve("redis.conf");
            try {
                setup.launched = ServerLauncher.launch("Redis", directory, directory.resolve("server.log"), READY_TIMEOUT,
                        port -> {
                            Secrets.delete(config);
                            Secrets.writeSecretFile(config, configuration(data, password, settings, aclUsers), self);
                            return List.of(server.toString(), config.toString(), "--port", Integer.toString(port));
                        },
                        port -> probe(port, password));
            } finally {
                Secrets.delete(config);
            }
            setup.user = "default";
            setup.password = password;
            setup.binDir = server.getParent();
            setup.dataDir = data;
            setup.version = queryVersion(setup.launched.port(), password);
            return new RedisServer(setup);
        });
    }

    /** A new client authenticated as {@code default}; the caller closes it. */
    public RedisClient client() {
        return RedisClient.connect(HOST, port(), null, password());
    }

    @Override
    void requestGracefulStop(ServerProcess process) {
        try (RedisClient client = client()) {
            client.command("SHUTDOWN", "NOSAVE");
        } catch (UncheckedIOException e) {
            if (process.isAlive() && !(e.getCause() instanceof EOFException)) {
                process.terminate(); // unreachable over TCP; SIGTERM does not save either with save ""
            }
        } catch (RedisClient.ErrorReply e) {
            process.terminate();
        }
    }

    private static String configuration(Path data, String password, Map<String, String> extra, List<String> aclUsers) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bind", HOST);
        settings.put("protected-mode", "yes");
        settings.put("daemonize", "no");
        settings.put("dir", data.toString());
        settings.put("save", "");
        settings.put("appendonly", "no");
        settings.put("repl-diskless-sync-delay", "0");
        settings.put("set-proc-title", "no"); // keeps the command line, which the stale-directory sweep checks
        settings.put("requirepass", password);
        settings.putAll(extra);
        StringBuilder conf = new StringBuilder();
        settings.forEach((name, value) -> conf.append(name).append(' ').append(quote(value)).append('\n'));
        aclUsers.forEach(line -> conf.append(line).append('\n'));
        return conf.toString();
    }

    /** A double-quoted Redis configuration string. */
    static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static void probe(int port, String password) {
        try (RedisClient client = RedisClient.connect(HOST, port, null, password)) {
            Object pong = client.command("PING");
            if (!"PONG".equals(pong)) {
                throw new IllegalStateException("PING answered " + pong);
            }
        }
    }

    private static String queryVersion(int port, String password) {
        try (RedisClient client = RedisClient.connect(HOST, port, null, password)) {
            String info = client.commandText("INFO", "server");
            return info.lines().filter(line -> line.startsWith("redis_version:"))
                    .map(line -> line.substring("redis_version:".length()).strip())
                    .findFirst()
                    .orElseThrow(() -> new ThrowawayServerException("no redis_version in INFO server"));
        }
    }

    /** Extra configuration for {@link #start(Options)}. Not thread-safe. */
    public static final class Options {
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final List<String> aclUsers = new ArrayList<>();

        private Options() {}

        public static Options defaults() {
            return new Options();
        }

        /**
         * Sets a configuration directive, after (so overriding) the harness' own, for example
         * {@code set("repl-diskless-sync-delay", "5")}. Written to the 0600 configuration file.
         */
        public Options set(String name, String value) {
            if (!name.matches("[a-z0-9-]+") || value.contains("\n")) {
                throw new IllegalArgumentException("bad directive: " + name);
            }
            settings.put(name, value);
            return this;
        }

        /** Whether a replica's full sync streams the RDB over the socket ({@code yes}, Redis' default) or via a file. */
        public Options disklessSync(boolean diskless) {
            return set("repl-diskless-sync", diskless ? "yes" : "no");
        }

        /**
         * Adds an ACL user with all permissions: {@code user NAME on >PASSWORD ~* &* +@all}. The
         * password goes to the configuration file only.
         */
        public Options aclUser(String name, String password) {
            if (!name.matches("[A-Za-z0-9_.-]+") || password.contains("\n")) {
                throw new IllegalArgumentException("bad ACL user name: " + name);
            }
            aclUsers.add("user " + name + " on " + quote(">" + password) + " ~* &* +@all");
            return this;
        }
    }
}
