package io.jenkins.plugins.dbbackup.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The private temporary directory of one server: {@code <tmp>/dbbackup-test-<kind>-<random>}.
 *
 * <p>While the owning JVM lives it holds an exclusive lock on {@code owner.lock} in the
 * directory; the kernel drops the lock when the JVM dies, however it dies. {@link StaleDirectories}
 * uses that to find directories of dead JVMs. {@code server.pid} names the server process so a
 * server orphaned by a killed JVM can be stopped later.
 *
 * <p>Thread-safe.
 */
final class ServerDirectory {
    static final String PREFIX = "dbbackup-test-";
    static final String OWNER_LOCK = "owner.lock";
    static final String SERVER_PID = "server.pid";
    /** Directories of this JVM: their lock files must never be opened again here (see isOwnedHere). */
    private static final Set<Path> OWNED_HERE = ConcurrentHashMap.newKeySet();

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private boolean deleted;
    private ServerProcess server;

    private ServerDirectory(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates and locks a new directory for a server of {@code kind} under {@code java.io.tmpdir},
     * after removing stale directories of dead JVMs (once per JVM).
     */
    static ServerDirectory create(String kind) {
        Path tmp = temporaryRoot();
        StaleDirectories.sweepOnce(tmp);
        Path root = null;
        try {
            root = Files.createTempDirectory(tmp, PREFIX + kind + "-");
            // 0711: service accounts (postgres, mysql) may pass through to the directories they own
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
            FileChannel channel = FileChannel.open(root.resolve(OWNER_LOCK),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            FileLock lock = channel.lock();
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            OWNED_HERE.add(root.toAbsolutePath().normalize());
            return new ServerDirectory(root, channel, lock);
        } catch (IOException e) {
            if (root != null) {
                deleteTree(root);
            }
            throw new UncheckedIOException("cannot create a server directory under " + tmp, e);
        }
    }

    Path root() {
        return root;
    }

    /**
     * Whether {@code dir} belongs to a server of this JVM. The sweep must not even open such a
     * lock file: closing any channel of a file drops every POSIX lock this process holds on it,
     * which would make a live directory look stale to other JVMs.
     */
    static boolean isOwnedHere(Path dir) {
        return OWNED_HERE.contains(dir.toAbsolutePath().normalize());
    }

    Path resolve(String name) {
        return root.resolve(name);
    }

    /**
     * Records the server process started in this directory, and its id for the stale-directory
     * sweep of a later JVM.
     */
    synchronized void recordServer(ServerProcess process) {
        server = process;
        try {
            Files.writeString(root.resolve(SERVER_PID), process.pid() + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + root.resolve(SERVER_PID), e);
        }
    }

    /**
     * Kills the recorded server if it still runs, deletes the directory and everything in it, then
     * releases the lock. Idempotent.
     */
    synchronized void delete() {
        if (deleted) {
            return;
        }
        deleted = true;
        try {
            if (server != null && server.isAlive()) {
                server.kill();
            }
            deleteTree(root);
        } finally {
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException e) {
                // the channel is gone with the directory; nothing left to release
            }
            OWNED_HERE.remove(root.toAbsolutePath().normalize());
        }
    }

    /** Whether {@link #delete()} removed the directory. */
    synchronized boolean isDeleted() {
        return deleted && !Files.exists(root);
    }

    static Path temporaryRoot() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        if (ServiceUser.jvmIsRoot()) {
            try {
                if (!Files.getPosixFilePermissions(tmp).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new ThrowawayServerException("java.io.tmpdir " + tmp + " is not traversable by other users;"
                            + " servers that run as their own account (postgres, mysql) cannot reach their data there."
                            + " Use a temporary directory such as /tmp.");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tmp;
    }

    /**
     * Deletes {@code root} recursively. Retries a few times because a server that was just killed
     * may still remove its own files (sockets, pid files) while the tree is walked.
     */
    static void deleteTree(Path root) {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            if (!Files.exists(root)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
                return;
            } catch (IOException | UncheckedIOException e) {
                last = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : (IOException) e;
                ServerProcess.sleep(100);
            }
        }
        throw new UncheckedIOException("cannot delete " + root, last);
    }
}
