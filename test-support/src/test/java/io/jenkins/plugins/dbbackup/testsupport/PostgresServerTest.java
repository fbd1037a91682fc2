package io.jenkins.plugins.dbbackup.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ThrowawayServers.class)
class PostgresServerTest {

    @Test
    void acceptsThePasswordOverTcpOnLoopbackOnly(PostgresServer postgres) throws Exception {
        assertThat(postgres.host()).isEqualTo("127.0.0.1");
        assertThat(postgres.user()).isEqualTo("postgres");
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.user(), postgres.password());
             var result = connection.createStatement().executeQuery(
                     "SELECT current_user, inet_server_addr()::text, current_setting('listen_addresses'), current_setting('fsync')")) {
            result.next();
            assertThat(result.getString(1)).isEqualTo("postgres");
            assertThat(result.getString(2)).startsWith("127.0.0.1");
            assertThat(result.getString(3)).isEqualTo("127.0.0.1");
            assertThat(result.getString(4)).isEqualTo("off");
        }
    }

    @Test
    void rejectsAWrongPassword(PostgresServer postgres) {
        assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl("postgres"), "postgres", "wrong-" + postgres.password()))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void reportsVersionAndToolDirectory(PostgresServer postgres) throws Exception {
        assertThat(postgres.version()).matches("\\d+\\.\\d+");
        assertThat(postgres.version()).startsWith(postgres.majorVersion() + ".");
        assertThat(postgres.binDir()).hasToString("/usr/lib/postgresql/" + postgres.majorVersion() + "/bin");
        Process ready = new ProcessBuilder(postgres.binDir().resolve("pg_isready").toString(),
                "-h", postgres.host(), "-p", Integer.toString(postgres.port())).redirectErrorStream(true).start();
        assertThat(ready.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ready.exitValue()).isZero();
        assertThat(postgres.dataDir().resolve("PG_VERSION")).exists();
        assertThat(postgres.socketDir().resolve(".s.PGSQL." + postgres.port())).exists();
    }

    @Test
    void helpersCreateQueryListAndDropDatabases(PostgresServer postgres) throws Exception {
        String name = "helpers_" + System.nanoTime();
        postgres.createDatabase(name);
        postgres.execute(name, "CREATE TABLE t (id int)", "INSERT INTO t SELECT generate_series(1, 42)");
        assertThat(postgres.queryLong(name, "SELECT count(*) FROM t")).isEqualTo(42);
        assertThat(postgres.listDatabases()).contains(name).doesNotContain("postgres", "template0", "template1");
        try (Connection open = postgres.connect(name)) {
            postgres.dropDatabase(name); // terminates the open session
            assertThat(open.isValid(2)).isFalse();
        }
        assertThat(postgres.listDatabases()).doesNotContain(name);
        postgres.dropDatabase(name); // absent: no error
        assertThatThrownBy(() -> postgres.queryLong("postgres", "SELECT 1 WHERE false"))
                .isInstanceOf(ThrowawayServerException.class);
    }

    @Test
    void sharedServerRefusesFaultHelpers(PostgresServer postgres) {
        assertThat(postgres.isShared()).isTrue();
        assertThat(PostgresServer.shared()).isSameAs(postgres);
        assertThatThrownBy(postgres::kill).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(postgres::stop).isInstanceOf(IllegalStateException.class);
        postgres.close(); // ignored
        assertThat(postgres.isRunning()).isTrue();
    }

    @Test
    void dedicatedServerIsKilledAndItsDirectoryDeleted() throws Exception {
        PostgresServer postgres = PostgresServer.start(PostgresServer.Options.defaults().set("max_connections", "42"));
        try (postgres) {
            System.out.println("PostgreSQL dedicated start: " + postgres.startupTime().toMillis() + " ms");
            assertThat(postgres.isShared()).isFalse();
            assertThat(postgres.queryLong("postgres", "SELECT current_setting('max_connections')::int")).isEqualTo(42);
            Connection open = postgres.connect("postgres");
            postgres.kill();
            assertThat(postgres.isRunning()).isFalse();
            assertThatThrownBy(() -> open.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
            assertThat(CommandLines.containing(postgres.directory().toString())).isEmpty(); // backends gone too
        }
        assertThat(postgres.directory()).doesNotExist();
    }

    @Test
    void dedicatedServerStopsGracefullyAndLeavesNoSecrets() throws Exception {
        PostgresServer postgres = PostgresServer.start();
        try (postgres) {
            assertThat(CommandLines.containing(postgres.password())).isEmpty();
            try (var files = Files.walk(postgres.directory())) {
                assertThat(files.filter(f -> f.getFileName().toString().contains("pw"))).isEmpty();
            }
            Connection open = postgres.connect("postgres"); // fast shutdown does not wait for it
            postgres.stop();
            assertThat(postgres.isRunning()).isFalse();
            assertThat(postgres.logFile()).content().contains("database system is shut down");
            open.close();
            postgres.stop(); // already stopped: no-op
        }
        assertThat(postgres.directory()).doesNotExist();
        assertThat(List.of(postgres.toString())).noneMatch(s -> s.contains(postgres.password()));
    }
}
