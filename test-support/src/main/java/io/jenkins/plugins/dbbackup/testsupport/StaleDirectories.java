package io.jenkins.plugins.dbbackup.testsupport;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Removes server directories left behind by JVMs that died without running their shutdown hook
 * (killed, crashed), and stops the servers still running in them.
 *
 * <p>A directory is stale when nobody holds the lock on its {@code owner.lock} (its JVM is gone;
 * the kernel releases the lock of a dead process) and it is older than a grace period (so a
 * directory that another JVM is creating right now is left alone). A recorded server process is
 * killed only if its command line names that directory: a reused process id never matches, so
 * this never touches a server that the harness did not start there.
 */
final class StaleDirectories {
    private static final System.Logger LOG = System.getLogger(StaleDirectories.class.getName());
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final AtomicBoolean SWEPT = new AtomicBoolean();

    private StaleDirectories() {}

    /** Sweeps {@code tmp} the first time it is called in this JVM. */
    static void sweepOnce(Path tmp) {
        if (SWEPT.compareAndSet(false, true)) {
            sweep(tmp);
        }
    }

    static int sweep(Path tmp) {
        return sweep(tmp, GRACE);
    }

    /**
     * Sweeps {@code tmp}, leaving directories younger than {@code grace} alone; returns how many
     * stale directories were removed. Never throws.
     */
    static int sweep(Path tmp, Duration grace) {
        int removed = 0;
        try (Stream<Path> entries = Files.list(tmp)) {
            for (Path dir : entries.filter(p -> p.getFileName().toString().startsWith(ServerDirectory.PREFIX)).toList()) {
                try {
                    if (removeIfStale(dir, grace)) {
                        removed++;
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "cannot remove stale test server directory " + dir + ": " + e);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot sweep " + tmp + " for stale test server directories: " + e);
        }
        return removed;
    }

    private static boolean removeIfStale(Path dir, Duration grace) throws IOException {
        if (ServerDirectory.isOwnedHere(dir) || !Files.isDirectory(dir) || !olderThan(dir, grace)) {
            return false;
        }
        Path lockFile = dir.resolve(ServerDirectory.OWNER_LOCK);
        if (!Files.exists(lockFile)) {
            return removeOrphan(dir);
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return false; // locked through another channel of this JVM
            }
            if (lock == null) {
                return false; // the owning JVM is alive
            }
            try {
                return removeOrphan(dir);
            } finally {
                if (lock.isValid()) {
                    lock.release();
                }
            }
        } catch (NoSuchFileException e) {
            return false; // its owner or another sweeper removed it meanwhile
        }
    }

    private static boolean removeOrphan(Path dir) {
        recordedServer(dir).ifPresent(server -> {
            LOG.log(Level.INFO, "killing server " + server.pid() + " left running in " + dir + " by a dead JVM");
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
            server.onExit().completeOnTimeout(server, 10, TimeUnit.SECONDS).join();
        });
        PostgresServer.removeLeftoverSharedMemory(dir);
        ServerDirectory.deleteTree(dir);
        LOG.log(Level.INFO, "removed stale test server directory " + dir);
        return true;
    }

    /** The live process recorded in {@code server.pid}, if its command line names {@code dir}. */
    static Optional<ProcessHandle> recordedServer(Path dir) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve(ServerDirectory.SERVER_PID), StandardCharsets.US_ASCII).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(process -> commandLineNames(pid, dir));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean commandLineNames(long pid, Path dir) {
        try {
            String commandLine = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8);
            return commandLine.contains(dir.toString() + "/");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean olderThan(Path dir, Duration grace) throws IOException {
        Instant modified = Files.getLastModifiedTime(dir).toInstant();
        return !modified.isAfter(Instant.now().minus(grace));
    }
}
