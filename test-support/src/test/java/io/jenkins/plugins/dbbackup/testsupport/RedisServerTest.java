package io.jenkins.plugins.dbbackup.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ThrowawayServers.class)
class RedisServerTest {

    @Test
    void acceptsThePasswordAndRejectsOthers(RedisServer redis) {
        assertThat(redis.host()).isEqualTo("127.0.0.1");
        assertThat(redis.user()).isEqualTo("default");
        try (RedisClient anonymous = RedisClient.connect(redis.host(), redis.port())) {
            assertThatThrownBy(() -> anonymous.command("PING")).isInstanceOf(RedisClient.ErrorReply.class).hasMessageStartingWith("NOAUTH");
            assertThatThrownBy(() -> anonymous.auth(null, "wrong-" + redis.password()))
                    .isInstanceOf(RedisClient.ErrorReply.class).hasMessageStartingWith("WRONGPASS");
            anonymous.auth("default", redis.password());
            assertThat(anonymous.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void isConfiguredForFastTestsOnLoopback(RedisServer redis) {
        try (RedisClient client = redis.client()) {
            assertThat(strings(client.command("CONFIG", "GET", "repl-diskless-sync-delay"))).containsExactly("repl-diskless-sync-delay", "0");
            assertThat(strings(client.command("CONFIG", "GET", "bind"))).containsExactly("bind", "127.0.0.1");
            assertThat(strings(client.command("CONFIG", "GET", "save"))).containsExactly("save", "");
        }
        assertThat(redis.version()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(redis.binDir().resolve("redis-cli")).isExecutable();
    }

    @Test
    void clientRoundTripsBinaryValuesAndAllReplyTypes(RedisServer redis) {
        byte[] key = ("binary-" + System.nanoTime()).getBytes();
        byte[] value = new byte[256 * 4];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i; // every byte value, \r and \n included
        }
        try (RedisClient client = redis.client()) {
            client.select(3);
            assertThat(client.command("SET".getBytes(), key, value)).isEqualTo("OK");
            assertThat((byte[]) client.command("GET".getBytes(), key)).isEqualTo(value);
            assertThat(client.command("GET", "missing-" + System.nanoTime())).isNull();
            assertThat(client.command("EXISTS".getBytes(), key)).isEqualTo(1L);
            assertThat(client.command("SET", "ü-key", "")).isEqualTo("OK");
            assertThat(client.command("GET", "ü-key")).isEqualTo(new byte[0]);
            String list = "list-" + System.nanoTime();
            client.command("RPUSH", list, "a", "b");
            assertThat(strings(client.command("LRANGE", list, "0", "-1"))).containsExactly("a", "b");
            assertThat(client.commandText("INCRBY", "counter-" + System.nanoTime(), "5")).isEqualTo("5");
            assertThatThrownBy(() -> client.command("NOSUCHCOMMAND")).isInstanceOf(RedisClient.ErrorReply.class);
            assertThat(client.command("PING")).isEqualTo("PONG"); // the connection survives an error reply
        }
    }

    @Test
    void dedicatedServerWithAclUserIsKilled() throws Exception {
        RedisServer redis = RedisServer.start(RedisServer.Options.defaults()
                .aclUser("backup", "acl secret \"quoted\"")
                .disklessSync(false)
                .set("databases", "4"));
        try (redis) {
            System.out.println("Redis dedicated start: " + redis.startupTime().toMillis() + " ms");
            assertThat(CommandLines.containing(redis.password())).isEmpty();
            assertThat(CommandLines.containing("acl secret")).isEmpty();
            assertThat(redis.directory().resolve("redis.conf")).doesNotExist();
            try (RedisClient client = RedisClient.connect(redis.host(), redis.port(), "backup", "acl secret \"quoted\"")) {
                assertThat(client.commandText("ACL", "WHOAMI")).isEqualTo("backup");
                assertThat(strings(client.command("CONFIG", "GET", "databases"))).containsExactly("databases", "4");
                assertThat(strings(client.command("CONFIG", "GET", "repl-diskless-sync"))).containsExactly("repl-diskless-sync", "no");
            }
            redis.kill();
            assertThat(redis.isRunning()).isFalse();
            assertThatThrownBy(redis::client).isInstanceOf(UncheckedIOException.class);
        }
        assertThat(redis.directory()).doesNotExist();
    }

    @Test
    void dedicatedServerShutsDownWithoutSaving() {
        RedisServer redis = RedisServer.start();
        try (redis) {
            try (RedisClient client = redis.client()) {
                client.command("SET", "k", "v");
            }
            redis.stop();
            assertThat(redis.isRunning()).isFalse();
            assertThat(redis.dataDir().resolve("dump.rdb")).doesNotExist();
            assertThat(redis.logFile()).content().contains("ready to exit");
        }
        assertThat(redis.directory()).doesNotExist();
        assertThat(List.of(redis.toString())).noneMatch(s -> s.contains(redis.password()));
    }

    /** A multi-bulk reply as UTF-8 strings. */
    private static List<String> strings(Object reply) {
        return ((List<?>) reply).stream().map(value -> new String((byte[]) value, StandardCharsets.UTF_8)).toList();
    }
}
