package io.jenkins.plugins.dbbackup.cli;

import static io.jenkins.plugins.dbbackup.cli.JarProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code dbbackup backup --pg-format directory --jobs N}, verified and restored in parallel, as a process. */
@ExtendWith(ThrowawayServers.class)
class PostgresDirectoryCliIT {

    @Test
    void directoryFormatBacksUpVerifiesAndRestoresWithJobs(PostgresServer pg, @TempDir Path dir) {
        String database = "cli_dir_" + System.nanoTime();
        pg.createDatabase(database);
        pg.execute(database,
                "CREATE TABLE customers (id int PRIMARY KEY, name text)",
                "INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 300) g",
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer int REFERENCES customers, total numeric)",
                "INSERT INTO orders SELECT g, 1 + g % 300, g * 1.5 FROM generate_series(1, 4000) g");
        String server = "postgresql://" + pg.user() + "@" + pg.host() + ":" + pg.port();
        Map<String, String> env = Map.of("DBBACKUP_PASSWORD", pg.password());
        Path repo = dir.resolve("repo");

        JsonNode backup = run(env, "backup", "--url", server + "/" + database, "--repo", repo.toString(), "--set",
                "dir", "--pg-format", "directory", "--jobs", "2", "--tool-dir", pg.binDir().toString(), "--json")
                .expect(Main.OK).json();
        assertThat(backup.get("kind").asText()).isEqualTo("postgresql-directory-tar");

        JsonNode verified = run(env, "verify", "--repo", repo.toString(), "--set", "dir", "--level", "restore",
                "--url", server, "--json").expect(Main.OK).json();
        assertThat(verified.get("outcome").asText()).isEqualTo("OK");

        String target = database + "_restored";
        JsonNode restored = run(env, "restore", "--repo", repo.toString(), "--set", "dir", "--url", server,
                "--target-database", target, "--create", "--jobs", "2", "--json").expect(Main.OK).json();
        assertThat(restored.get("countsChecked").asInt()).isEqualTo(2);
        assertThat(pg.queryLong(target, "SELECT count(*) FROM orders")).isEqualTo(4000);
    }

    @Test
    void jobsWithoutTheDirectoryFormatIsOneClearUsageError(@TempDir Path dir) {
        JarProcess.Result r = run(Map.of("DBBACKUP_PASSWORD", "x"), "backup", "--url",
                "postgresql://u@127.0.0.1:1/db", "--repo", dir.toString(), "--jobs", "4").expect(Main.USAGE);
        List<String> errors = r.err().lines().filter(l -> l.startsWith("dbbackup:")).toList();
        assertThat(errors).singleElement().asString().contains("--jobs 4").contains("--pg-format directory");

        JarProcess.Result format = run(Map.of("DBBACKUP_PASSWORD", "x"), "backup", "--url",
                "postgresql://u@127.0.0.1:1/db", "--repo", dir.toString(), "--pg-format", "tar").expect(Main.USAGE);
        assertThat(format.err()).contains("--pg-format tar is unknown: use custom or directory");
    }
}
