package io.jenkins.plugins.dbbackup.engine.source.redis;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.process.CredentialFile;
import io.jenkins.plugins.dbbackup.engine.process.NativeProcess;
import io.jenkins.plugins.dbbackup.engine.process.NativeTools;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A throwaway {@code redis-server} for the restore level of verification: on 127.0.0.1, a free port, a random
 * password (in its 0600 config file, never on its command line), no persistence, in a private temp directory that
 * {@link #close()} removes together with the server.
 */
public final class RedisScratchServer implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final NativeProcess process;
    private final DatabaseConnection connection;

    private RedisScratchServer(Path directory, NativeProcess process, DatabaseConnection connection) {
        this.directory = directory;
        this.process = process;
        this.connection = connection;
    }

    /**
     * Starts a scratch server.
     *
     * @throws BackupException when {@code redis-server} is missing or does not start
     */
    public static RedisScratchServer start(NativeTools tools, Path tempDirectory) throws IOException, InterruptedException {
        Path server = tools.require("install redis-server (Debian/Ubuntu: redis-server) to verify Redis backups by"
                + " restoring them, or verify at the structure level", "redis-server");
        Path base = tempDirectory != null ? tempDirectory : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(base, "dbbackup-redis-scratch-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Secret password = Secret.of(HexFormat.of().formatHex(randomBytes()));
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            String config = "bind 127.0.0.1\nport " + port + "\nrequirepass " + password.reveal() + "\ndir " + dir
                    + "\nsave \"\"\nappendonly no\nprotected-mode yes\ndaemonize no\nlogfile " + dir.resolve("server.log")
                    + "\n";
            // the config file lives in the private directory; CredentialFile makes it 0600
            CredentialFile configFile = CredentialFile.create(dir, "redis-", config);
            NativeProcess process = NativeProcess.start(List.of(server.toString(), configFile.path().toString()),
                    Map.of(), false, password);
            DatabaseConnection connection = new DatabaseConnection(DatabaseType.REDIS, "127.0.0.1", port, null, null,
                    password);
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < deadline && process.isAlive()) {
                try (RespConnection conn = RespConnection.open(connection)) {
                    conn.command("PING");
                    return new RedisScratchServer(dir, process, connection);
                } catch (IOException notYet) {
                    last = notYet;
                    Thread.sleep(50);
                }
            }
            process.close();
        }
        deleteTree(dir);
        throw new BackupException("the scratch redis-server did not start"
                + (last == null ? "" : ": " + last.getMessage()));
    }

    /** How to reach the scratch server. */
    public DatabaseConnection connection() {
        return connection;
    }

    /** Stops the server and removes its directory. */
    @Override
    public void close() throws IOException {
        process.close();
        deleteTree(directory);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
