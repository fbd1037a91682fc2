package io.jenkins.plugins.dbbackup.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ThrowawayServers.class)
class MariaDbServerTest {

    @Test
    void acceptsThePasswordOverTcpWithAllPrivileges(MariaDbServer mariadb) throws Exception {
        assertThat(mariadb.host()).isEqualTo("127.0.0.1");
        assertThat(mariadb.user()).isEqualTo("root");
        assertThat(mariadb.jdbcUrl("shop")).isEqualTo("jdbc:mariadb://127.0.0.1:" + mariadb.port() + "/shop");
        try (Connection connection = DriverManager.getConnection(mariadb.jdbcUrl(""), mariadb.user(), mariadb.password());
             var result = connection.createStatement().executeQuery("SELECT CURRENT_USER(), @@bind_address, @@log_bin")) {
            result.next();
            assertThat(result.getString(1)).isEqualTo("root@127.0.0.1");
            assertThat(result.getString(2)).isEqualTo("127.0.0.1");
            assertThat(result.getInt(3)).isZero();
        }
        assertThat(String.join("\n", mariadb.queryStrings("", "SHOW GRANTS")))
                .contains("GRANT ALL PRIVILEGES ON *.* TO `root`@`127.0.0.1`").contains("WITH GRANT OPTION");
        assertThat(mariadb.queryStrings("", "SELECT CONCAT(User, '@', Host) FROM mysql.user WHERE User = 'root'"))
                .containsExactlyInAnyOrder("root@localhost", "root@127.0.0.1");
    }

    @Test
    void rejectsAWrongPassword(MariaDbServer mariadb) {
        assertThatThrownBy(() -> DriverManager.getConnection(mariadb.jdbcUrl(""), "root", "wrong-" + mariadb.password()))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Access denied");
    }

    @Test
    void reportsVersionAndToolDirectory(MariaDbServer mariadb) {
        assertThat(mariadb.version()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(mariadb.majorVersion()).isGreaterThanOrEqualTo(10);
        assertThat(mariadb.binDir()).hasToString("/usr/bin");
        assertThat(mariadb.binDir().resolve("mariadb-dump")).isExecutable();
        assertThat(mariadb.socket()).exists();
        assertThat(mariadb.dataDir().resolve("mysql")).isDirectory();
    }

    @Test
    void helpersCreateQueryListAndDropDatabases(MariaDbServer mariadb) throws Exception {
        String name = "helpers_" + System.nanoTime();
        mariadb.createDatabase(name);
        mariadb.execute(name, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t SELECT seq FROM seq_1_to_42");
        assertThat(mariadb.queryLong(name, "SELECT COUNT(*) FROM t")).isEqualTo(42);
        assertThat(mariadb.listDatabases()).contains(name).doesNotContain("mysql", "information_schema", "performance_schema", "sys");
        try (Connection open = mariadb.connect(name)) {
            mariadb.dropDatabase(name); // kills the open session first
            assertThat(open.isValid(2)).isFalse();
        }
        assertThat(mariadb.listDatabases()).doesNotContain(name);
        mariadb.dropDatabase(name); // absent: no error
    }

    @Test
    void dedicatedServerIsKilledAndItsDirectoryDeleted() throws Exception {
        MariaDbServer mariadb = MariaDbServer.start(MariaDbServer.Options.defaults().set("max-connections", "42"));
        try (mariadb) {
            System.out.println("MariaDB dedicated start: " + mariadb.startupTime().toMillis() + " ms");
            assertThat(mariadb.queryLong("", "SELECT @@max_connections")).isEqualTo(42);
            assertThat(CommandLines.containing(mariadb.password())).isEmpty();
            try (var files = Files.walk(mariadb.directory())) {
                assertThat(files.filter(f -> f.getFileName().toString().equals("init.sql"))).isEmpty();
            }
            mariadb.kill();
            assertThat(mariadb.isRunning()).isFalse();
            assertThatThrownBy(() -> mariadb.connect("")).isInstanceOf(SQLException.class);
        }
        assertThat(mariadb.directory()).doesNotExist();
    }

    @Test
    void dedicatedServerStopsGracefully() {
        MariaDbServer mariadb = MariaDbServer.start();
        try (mariadb) {
            mariadb.stop();
            assertThat(mariadb.isRunning()).isFalse();
            assertThat(mariadb.logFile()).content().contains("Shutdown complete");
        }
        assertThat(mariadb.directory()).doesNotExist();
    }
}
