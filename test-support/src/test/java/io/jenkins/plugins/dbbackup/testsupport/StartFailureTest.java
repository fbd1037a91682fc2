package io.jenkins.plugins.dbbackup.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StartFailureTest {

    @Test
    void aServerThatCannotStartFailsWithItsLogTailAndLeavesNothingBehind() throws IOException {
        List<Path> before = serverDirectories();
        assertThatThrownBy(() -> PostgresServer.start(PostgresServer.Options.defaults().set("shared_buffers", "plenty")))
                .isInstanceOf(ThrowawayServerException.class)
                .hasMessageContaining("PostgreSQL exited with status")
                .hasMessageContaining("--- last ")
                .hasMessageContaining("shared_buffers");
        assertThatThrownBy(() -> RedisServer.start(RedisServer.Options.defaults().set("maxmemory-policy", "whenever")))
                .isInstanceOf(ThrowawayServerException.class)
                .hasMessageContaining("Redis exited with status")
                .hasMessageContaining("maxmemory-policy");
        assertThat(serverDirectories()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void aPortTakenBeforeTheServerBindsItIsRetriedWithAnother() throws Exception {
        ServerDirectory directory = ServerDirectory.create("redis");
        AtomicInteger attempts = new AtomicInteger();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ServerLauncher.Launched launched = ServerLauncher.launch("Redis", directory, directory.resolve("server.log"),
                    Duration.ofSeconds(30),
                    port -> List.of("redis-server", "--port",
                            Integer.toString(attempts.incrementAndGet() == 1 ? taken.getLocalPort() : port),
                            "--bind", "127.0.0.1", "--save", "", "--dir", directory.root().toString()),
                    port -> {
                        try (RedisClient client = RedisClient.connect("127.0.0.1", port)) {
                            client.command("PING");
                        }
                    });
            assertThat(attempts).hasValue(2);
            assertThat(launched.port()).isNotEqualTo(taken.getLocalPort());
            assertThat(launched.process().isAlive()).isTrue();
        } finally {
            directory.delete();
        }
        assertThat(directory.root()).doesNotExist();
    }

    /**
     * Server directories owned by this JVM (the owner lock file holds its pid): other JVMs on the machine may start
     * and stop servers of their own meanwhile.
     */
    private static List<Path> serverDirectories() throws IOException {
        String me = Long.toString(ProcessHandle.current().pid());
        try (Stream<Path> entries = Files.list(ServerDirectory.temporaryRoot())) {
            return entries.filter(p -> p.getFileName().toString().startsWith(ServerDirectory.PREFIX))
                    .filter(p -> {
                        try {
                            return Files.readString(p.resolve(ServerDirectory.OWNER_LOCK)).strip().equals(me);
                        } catch (IOException gone) {
                            return false;
                        }
                    })
                    .toList();
        }
    }
}
