package io.jenkins.plugins.dbbackup.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleDirectoriesTest {

    @TempDir
    Path tmp;

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
            assertThat(StaleDirectories.sweep(live.directory().getParent(), Duration.ofSeconds(30))).isZero();
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
    @Test
    void cleansUpAfterAKilledJvm() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                OrphaningMain.class.getName()).redirectErrorStream(true).start();
        Path directory;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("DIRECTORY "));
            assertThat(line).as("child JVM output").isNotNull();
            directory = Path.of(line.substring("DIRECTORY ".length()));
        }
        ProcessHandle redis = StaleDirectories.recordedServer(directory).orElseThrow();
        jvm.destroyForcibly();
        assertThat(jvm.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(redis.isAlive()).as("orphaned server").isTrue();

        StaleDirectories.sweep(directory.getParent(), Duration.ZERO);

        assertThat(directory).doesNotExist();
        assertThat(redis.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
    }

    private static void age(Path dir) throws Exception {
        Files.setLastModifiedTime(dir, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
    }

    /** Starts a dedicated Redis server, reports its directory, and waits to be killed. */
    public static final class OrphaningMain {
        public static void main(String[] args) throws Exception {
            RedisServer redis = RedisServer.start();
            System.out.println("DIRECTORY " + redis.directory());
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
