package io.jenkins.plugins.dbbackup.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleDirectoriesTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void letServiceAccountsTraverse() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
    }

    @Test
    void removesTheDirectoryOfADeadOwnerAndKillsItsServer() throws Exception {
        Path stale = Files.createDirectory(tmp.resolve(ServerDirectory.PREFIX + "redis-1"));
        Files.writeString(stale.resolve(ServerDirectory.OWNER_LOCK), "999999\n"); // nobody holds the lock
        Path log = Files.writeString(stale.resolve("server.log"), "");
        Process server = new ProcessBuilder("tail", "-f", log.toString()).start(); // names the directory
        Files.writeString(stale.resolve(ServerDirectory.SERVER_PID), server.pid() + "\n");
        age(stale);

        assertThat(StaleDirectories.sweep(tmp, Duration.ofSeconds(30))).isEqualTo(1);

        assertThat(stale).doesNotExist();
        assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void neverKillsAProcessThatDoesNotNameTheDirectory() throws Exception {
        Path stale = Files.createDirectory(tmp.resolve(ServerDirectory.PREFIX + "postgres-2"));
        Files.writeString(stale.resolve(ServerDirectory.OWNER_LOCK), "999999\n");
        Process stranger = new ProcessBuilder("sleep", "60").start(); // e.g. a reused process id
        Files.writeString(stale.resolve(ServerDirectory.SERVER_PID), stranger.pid() + "\n");
        age(stale);
        try {
            assertThat(StaleDirectories.sweep(tmp, Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(stale).doesNotExist();
            assertThat(stranger.isAlive()).isTrue();
        } finally {
            stranger.destroyForcibly();
        }
    }

    @Test
    void leavesLockedAndYoungDirectoriesAlone() throws Exception {
        Path young = Files.createDirectory(tmp.resolve(ServerDirectory.PREFIX + "mariadb-3"));
        Files.writeString(young.resolve(ServerDirectory.OWNER_LOCK), "999999\n");
        Path unrelated = Files.createDirectory(tmp.resolve("someone-else"));
        age(unrelated);

        try (RedisServer live = RedisServer.start()) { // locked by this JVM
            age(live.directory());
            StaleDirectories.sweep(live.directory().getParent(), Duration.ofSeconds(30));
            assertThat(live.directory()).exists();
            assertThat(live.isRunning()).isTrue();
            assertThat(StaleDirectories.sweep(tmp, Duration.ofSeconds(30))).isZero();
        }
        assertThat(young).exists();
        assertThat(unrelated).exists();
    }

    /**
     * A JVM killed with SIGKILL runs no shutdown hook: its Redis server keeps running and its
     * directory stays, until the next sweep finds nobody holding the owner lock.
     */
    /**
     * A live server survives sweeps from its own JVM and from another one. (Opening its lock file
     * a second time in the owning JVM and closing it would silently drop the lock.)
     */
    @Test
    void aLiveServerSurvivesSweepsFromThisAndOtherJvms() throws Exception {
        try (RedisServer live = RedisServer.start()) {
            age(live.directory());
            StaleDirectories.sweep(live.directory().getParent(), Duration.ofSeconds(30));
            Process jvm = childJvm(live.directory().getParent(), "sweep");
            assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(jvm.exitValue()).isZero();
            assertThat(live.directory()).exists();
            assertThat(live.isRunning()).isTrue();
        }
    }

    @Test
    void cleansUpAfterAKilledJvm() throws Exception {
        Process jvm = childJvm(tmp, "wait");
        Path directory = reportedDirectory(jvm);
        ProcessHandle redis = StaleDirectories.recordedServer(directory).orElseThrow();
        jvm.destroyForcibly();
        assertThat(jvm.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(redis.isAlive()).as("orphaned server").isTrue();

        StaleDirectories.sweep(directory.getParent(), Duration.ZERO);

        assertThat(directory).doesNotExist();
        assertThat(redis.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
    }

    /** The shutdown hook stops dedicated and shared servers that tests left open. */
    @Test
    void theShutdownHookStopsServersLeftOpen() throws Exception {
        Process jvm = childJvm(tmp, "exit");
        Path directory = reportedDirectory(jvm);
        assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(jvm.exitValue()).isZero();
        assertThat(directory).doesNotExist();
    }

    /** A JVM running {@link OrphaningMain} with {@code java.io.tmpdir} set to {@code tmpdir}. */
    private static Process childJvm(Path tmpdir, String mode) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-Djava.io.tmpdir=" + tmpdir, "-cp", System.getProperty("java.class.path"),
                OrphaningMain.class.getName(), mode).redirectErrorStream(true).start();
    }

    /** Reads the child's output up to its DIRECTORY line; the rest of the output is discarded. */
    private static Path reportedDirectory(Process jvm) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do {
            line = out.readLine();
        } while (line != null && !line.startsWith("DIRECTORY "));
        assertThat(line).as("child JVM output").isNotNull();
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (java.io.IOException e) {
                // the child is gone
            }
        });
        drain.setDaemon(true);
        drain.start();
        return Path.of(line.substring("DIRECTORY ".length()));
    }

    private static void age(Path dir) throws Exception {
        Files.setLastModifiedTime(dir, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
    }

    /**
     * Starts a dedicated Redis server, never closed, and reports its directory; then waits to be
     * killed ({@code wait}) or exits at once ({@code exit}). With {@code sweep}, only sweeps
     * {@code java.io.tmpdir} as a new JVM does.
     */
    public static final class OrphaningMain {
        public static void main(String[] args) throws Exception {
            if (args[0].equals("sweep")) {
                StaleDirectories.sweep(ServerDirectory.temporaryRoot());
                return;
            }
            RedisServer redis = RedisServer.start();
            System.out.println("DIRECTORY " + redis.directory());
            System.out.flush();
            if (args[0].equals("wait")) {
                Thread.sleep(60_000);
            }
        }
    }
}
