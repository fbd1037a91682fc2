package io.jenkins.plugins.dbbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionUriTest {
    @Test
    void postgresqlWithEverything() {
        ConnectionUri uri = ConnectionUri.parse("postgresql://backup@db1.example.com:5433/orders");
        assertThat(uri).isEqualTo(new ConnectionUri(DatabaseType.POSTGRESQL, "backup", "db1.example.com", 5433,
                "orders"));
        assertThat(uri.toString()).isEqualTo("postgresql://backup@db1.example.com:5433/orders");
    }

    @Test
    void portUserAndDatabaseAreOptional() {
        assertThat(ConnectionUri.parse("postgres://db1")).isEqualTo(
                new ConnectionUri(DatabaseType.POSTGRESQL, null, "db1", null, null));
        assertThat(ConnectionUri.parse("mysql://root@127.0.0.1/shop")).isEqualTo(
                new ConnectionUri(DatabaseType.MARIADB, "root", "127.0.0.1", null, "shop"));
        assertThat(ConnectionUri.parse("MariaDB://root@h:3307/")).isEqualTo(
                new ConnectionUri(DatabaseType.MARIADB, "root", "h", 3307, null));
    }

    @Test
    void redisHasNoDatabaseAndIgnoresAnIndex() {
        assertThat(ConnectionUri.parse("redis://cache:6380")).isEqualTo(
                new ConnectionUri(DatabaseType.REDIS, null, "cache", 6380, null));
        assertThat(ConnectionUri.parse("redis://backup@cache:6380/0")).isEqualTo(
                new ConnectionUri(DatabaseType.REDIS, "backup", "cache", 6380, null));
        assertThatThrownBy(() -> ConnectionUri.parse("redis://cache/orders")).isInstanceOf(UsageException.class);
    }

    @Test
    void ipv6AndEncodedNames() {
        ConnectionUri uri = ConnectionUri.parse("postgresql://app%40corp@[::1]:5432/my%20db");
        assertThat(uri.host()).isEqualTo("::1");
        assertThat(uri.user()).isEqualTo("app@corp");
        assertThat(uri.database()).isEqualTo("my db");
        assertThat(uri.toString()).isEqualTo("postgresql://app@corp@[::1]:5432/my db");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql://backup:Sup3rS3cretPw@db1:5432/orders",
        "mysql://root:Sup3rS3cretPw@db1/shop", "redis://:Sup3rS3cretPw@cache:6379",
        "redis://default:Sup3rS3cretPw@cache:6379/0", "postgresql://u:Sup3rS3cretPw@[::1]/d?sslmode=require",
        "postgresql://u:p@ss:Sup3rS3cretPw@db1/orders"})
    void aPasswordIsRefusedAndNeverRepeated(String text) {
        assertThatThrownBy(() -> ConnectionUri.parse(text))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("contains a password")
                .hasMessageContaining("--password-file")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Sup3rS3cretPw"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "db1:5432", "http://db1/x", "postgresql://", "postgresql:///orders",
        "postgresql://db1/orders?sslmode=require", "postgresql://db1/a/b", "rediss://cache:6379"})
    void badUrisAreUsageErrors(String text) {
        assertThatThrownBy(() -> ConnectionUri.parse(text)).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("--url");
    }
}
