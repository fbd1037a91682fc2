package io.jenkins.plugins.dbbackup.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ThrowawayServers.class)
class ThrowawayServersTest {
    private static RedisServer fromBeforeAll;
    private final PostgresServer fromConstructor;

    ThrowawayServersTest(PostgresServer postgres) {
        this.fromConstructor = postgres;
    }

    @BeforeAll
    static void beforeAll(RedisServer redis) {
        fromBeforeAll = redis;
    }

    @Test
    void injectsTheSharedServersEverywhere(PostgresServer postgres, MariaDbServer mariadb, RedisServer redis) {
        assertThat(postgres).isSameAs(fromConstructor).isSameAs(PostgresServer.shared());
        assertThat(redis).isSameAs(fromBeforeAll).isSameAs(RedisServer.shared());
        assertThat(mariadb).isSameAs(MariaDbServer.shared());
        assertThat(postgres.isRunning() && mariadb.isRunning() && redis.isRunning()).isTrue();
        assertThat(postgres.port()).isNotIn(mariadb.port(), redis.port());
        assertThat(mariadb.port()).isNotEqualTo(redis.port());
    }

    @Test
    void sharedServersCannotBeKilledStoppedOrClosedByATest(MariaDbServer mariadb, RedisServer redis) {
        for (ThrowawayServer server : new ThrowawayServer[] {mariadb, redis}) {
            assertThatThrownBy(server::kill).isInstanceOf(IllegalStateException.class).hasMessageContaining("start()");
            assertThatThrownBy(server::stop).isInstanceOf(IllegalStateException.class);
            server.close();
            assertThat(server.isRunning()).isTrue();
        }
    }

    @Test
    void aMissingBinaryNamesTheDebianPackage() {
        assertThatThrownBy(() -> Binaries.require("MariaDB server", "mariadb-server", "no-such-mariadbd", Path.of("/usr/sbin")))
                .isInstanceOf(ThrowawayServerException.class)
                .hasMessageContaining("install the Debian package 'mariadb-server'")
                .hasMessageContaining("no-such-mariadbd");
    }
}
