package io.jenkins.plugins.dbbackup.cli;

import static io.jenkins.plugins.dbbackup.cli.JarProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The happy path of every subcommand, run as {@code java -jar dbbackup.jar} against a real PostgreSQL: backup, list,
 * show, verify at every level, restore into a new database, prune as a dry run and applied. Steps build on each
 * other, in order.
 */
@ExtendWith(ThrowawayServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresCliIT {
    private static final String SET = "orders-db";

    private PostgresServer pg;
    private String database;
    private Path repo;
    private Path passwordFile;
    private final List<String> ids = new ArrayList<>();

    @BeforeAll
    void setUp(PostgresServer pg, @TempDir Path dir) throws IOException {
        this.pg = pg;
        database = "cli_orders_" + System.nanoTime();
        pg.createDatabase(database);
        pg.execute(database,
                "CREATE TABLE customers (id int PRIMARY KEY, name text)",
                "INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 250) g",
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer int REFERENCES customers, total numeric)",
                "INSERT INTO orders SELECT g, 1 + g % 250, g * 1.5 FROM generate_series(1, 5000) g");
        repo = dir.resolve("repo");
        passwordFile = dir.resolve("pw");
        Files.writeString(passwordFile, pg.password() + "\n");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
    }

    private String url(String db) {
        return "postgresql://" + pg.user() + "@" + pg.host() + ":" + pg.port() + (db == null ? "" : "/" + db);
    }

    private Map<String, String> passwordEnv() {
        return Map.of("DBBACKUP_PASSWORD", pg.password());
    }

    @Test
    @Order(1)
    void backupWithSingleOptionsAndAPasswordFile() {
        JarProcess.Result r = run("backup", "--type", "postgresql", "--host", pg.host(), "--port",
                String.valueOf(pg.port()), "--database", database, "--user", pg.user(), "--password-file",
                passwordFile.toString(), "--repo", repo.toUri().toString(), "--set", SET, "--tool-dir",
                pg.binDir().toString()).expect(Main.OK);
        assertThat(r.out()).startsWith("backed up postgresql://" + pg.user() + "@" + pg.host())
                .contains("set " + SET).contains("sha256 ");
        assertThat(r.err()).as("progress on stderr").isNotEmpty();
        String id = r.out().lines().filter(l -> l.contains(", id ")).findFirst().orElseThrow()
                .replaceAll(".*, id (\\S+),.*", "$1");
        ids.add(id);
    }

    @Test
    @Order(2)
    void backupWithAUrlAndJson() throws IOException {
        JarProcess.Result r = run(passwordEnv(), "backup", "--url", url(database), "--repo", repo.toString(),
                "--set", SET, "--compression", "gzip", "--json").expect(Main.OK);
        JsonNode json = r.json();
        assertThat(json.get("set").asText()).isEqualTo(SET);
        assertThat(json.get("kind").asText()).isEqualTo("postgresql-custom");
        assertThat(json.get("compression").asText()).isEqualTo("gzip");
        assertThat(json.get("encrypted").asBoolean()).isFalse();
        assertThat(json.get("storedBytes").asLong()).isPositive();
        assertThat(json.get("originalBytes").asLong()).isPositive();
        assertThat(json.get("storedSha256").asText()).matches("[0-9a-f]{64}");
        assertThat(json.get("location").asText()).contains(SET).contains(json.get("id").asText());
        for (String key : List.of("id", "set", "kind", "location", "originalBytes", "storedBytes", "originalSha256",
                "storedSha256", "compression", "encrypted", "startedAt", "finishedAt", "durationMillis",
                "serverVersion", "tool")) {
            assertThat(json.has(key)).as(key).isTrue();
        }
        ids.add(json.get("id").asText());
        assertThat(ids.get(1)).isGreaterThan(ids.get(0));
    }

    @Test
    @Order(3)
    void listAsATableAndAsJson() {
        JarProcess.Result table = run("list", "--repo", repo.toString()).expect(Main.OK);
        assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("SET").contains("ID").contains("STORED")
                .contains("VERIFIED");
        assertThat(table.out()).contains(ids.get(0)).contains(ids.get(1)).contains("2 backup(s)");

        JsonNode json = run("list", "--repo", repo.toUri().toString(), "--set", SET, "--json").expect(Main.OK).json();
        assertThat(json.isArray()).isTrue();
        assertThat(json).hasSize(2);
        assertThat(json.get(0).get("id").asText()).isEqualTo(ids.get(0));
        assertThat(json.get(1).get("compression").asText()).isEqualTo("gzip");
        assertThat(json.get(0).get("source").asText()).isEqualTo(url(database));
        assertThat(json.get(0).get("lastVerification").isNull()).isTrue();
    }

    @Test
    @Order(4)
    void showInHumanFormAndJson() {
        JarProcess.Result human = run("show", "--repo", repo.toString(), "--set", SET, "--id", ids.get(0))
                .expect(Main.OK);
        assertThat(human.out()).startsWith("backup " + SET + "/" + ids.get(0))
                .contains("postgresql-custom").contains("zstd level 3").contains("sha256")
                .contains("public.orders").contains("5000").contains("public.customers")
                .contains("encryption   none").contains("verifications: none");

        JsonNode json = run("show", "--repo", repo.toString(), "--set", SET, "--json").expect(Main.OK).json();
        assertThat(json.get("manifest").get("id").asText()).isEqualTo(ids.get(1));
        assertThat(json.get("manifest").get("verification").get("tables").get("public.orders").asLong())
                .isEqualTo(5000);
        assertThat(json.get("manifest").get("source").has("password")).isFalse();
        assertThat(json.get("location").asText()).endsWith(SET + "/" + ids.get(1) + "/");
        assertThat(json.get("verifications")).isEmpty();
    }

    @Test
    @Order(5)
    void verifyAtEveryLevel() {
        JsonNode checksum = run("verify", "--repo", repo.toString(), "--set", SET, "--level", "checksum", "--json")
                .expect(Main.OK).json();
        assertThat(checksum.get("outcome").asText()).isEqualTo("OK");
        assertThat(checksum.get("ok").asBoolean()).isTrue();
        assertThat(checksum.get("backupId").asText()).isEqualTo(ids.get(1));

        JarProcess.Result structure = run("verify", "--repo", repo.toString(), "--set", SET, "--id", ids.get(1),
                "--level", "structure").expect(Main.OK);
        assertThat(structure.out()).startsWith(SET + " " + ids.get(1) + " structure: OK");

        JsonNode restore = run(passwordEnv(), "verify", "--repo", repo.toString(), "--set", SET, "--level",
                "restore", "--url", url(null), "--json").expect(Main.OK).json();
        assertThat(restore.get("outcome").asText()).isEqualTo("OK");
        assertThat(restore.get("level").asText()).isEqualTo("restore");
        assertThat(restore.get("restoreMillis").asLong()).isPositive();
        assertThat(restore.get("scratchTarget").asText()).doesNotContain(pg.password());

        JsonNode shown = run("show", "--repo", repo.toString(), "--set", SET, "--json").expect(Main.OK).json();
        assertThat(shown.get("verifications")).hasSize(3);
        assertThat(shown.get("verifications").get(2).get("level").asText()).isEqualTo("restore");
        JsonNode listed = run("list", "--repo", repo.toString(), "--json").expect(Main.OK).json();
        assertThat(listed.get(1).get("lastVerification").get("outcome").asText()).isEqualTo("OK");
    }

    @Test
    @Order(6)
    void restoreIntoANewDatabase() {
        String target = database + "_restored";
        JsonNode json = run(passwordEnv(), "restore", "--repo", repo.toString(), "--set", SET, "--id", ids.get(0),
                "--url", url(null), "--target-database", target, "--create", "--json").expect(Main.OK).json();
        assertThat(json.get("backupId").asText()).isEqualTo(ids.get(0));
        assertThat(json.get("target").asText()).contains(target);
        assertThat(json.get("countsChecked").asInt()).isEqualTo(2);
        assertThat(json.get("safetyBackupId").isNull()).isTrue();
        assertThat(pg.queryLong(target, "SELECT count(*) FROM orders")).isEqualTo(5000);

        JarProcess.Result again = run(passwordEnv(), "restore", "--repo", repo.toString(), "--set", SET,
                "--url", url(target), "--create").expect(Main.FAILED);
        // progress lines may come first; the failure is one line
        List<String> failure = again.err().lines().filter(l -> l.startsWith("dbbackup:")).toList();
        assertThat(failure).hasSize(1);
        assertThat(failure.get(0)).startsWith("dbbackup: error: ").contains(target);
    }

    @Test
    @Order(7)
    void restoreATableSubsetWithoutOwnersOrGrants() {
        String target = database + "_orders_only";
        JsonNode json = run(passwordEnv(), "restore", "--repo", repo.toString(), "--set", SET, "--id", ids.get(0),
                "--url", url(target), "--create", "--table", "orders", "--no-owner", "--no-privileges", "--json")
                .expect(Main.OK).json();
        assertThat(json.get("subset").asText()).isEqualTo("table orders");
        assertThat(json.get("countsChecked").asInt()).isEqualTo(1);
        assertThat(pg.queryLong(target, "SELECT count(*) FROM orders")).isEqualTo(5000);
        assertThat(pg.queryLong(target, "SELECT count(*) FROM pg_tables WHERE tablename = 'customers'")).isZero();

        String second = database + "_customers_only";
        JarProcess.Result plain = run(passwordEnv(), "restore", "--repo", repo.toString(), "--set", SET, "--id",
                ids.get(0), "--url", url(second), "--create", "--schema", "public", "--table", "customers",
                "--table", "customers").expect(Main.OK);
        assertThat(plain.out()).contains("counts of the 1 restored table(s) match the backup (subset: schema public;"
                + " table customers; other tables neither restored nor compared)");
        assertThat(pg.queryLong(second, "SELECT count(*) FROM customers")).isEqualTo(250);

        JarProcess.Result typo = run(passwordEnv(), "restore", "--repo", repo.toString(), "--set", SET,
                "--url", url(database + "_typo"), "--create", "--table", "order").expect(Main.FAILED);
        List<String> failure = typo.err().lines().filter(l -> l.startsWith("dbbackup:")).toList();
        assertThat(failure).hasSize(1);
        assertThat(failure.get(0)).contains("table order is not among the tables").contains("nothing was restored");
        assertThat(pg.listDatabases()).doesNotContain(database + "_typo");
    }

    @Test
    @Order(8)
    void pruneDryRunThenApply() {
        JsonNode plan = run("prune", "--repo", repo.toString(), "--set", SET, "--keep-last", "1", "--json")
                .expect(Main.OK).json();
        assertThat(plan.get("dryRun").asBoolean()).isTrue();
        assertThat(plan.get("refusal").isNull()).isTrue();
        assertThat(plan.get("decisions")).hasSize(2);
        assertThat(plan.get("deleted")).isEmpty();
        JsonNode removed = null;
        for (JsonNode d : plan.get("decisions")) {
            if (!d.get("keep").asBoolean()) {
                removed = d;
            }
        }
        assertThat(removed).isNotNull();
        assertThat(removed.get("id").asText()).isEqualTo(ids.get(0));
        assertThat(run("list", "--repo", repo.toString(), "--json").expect(Main.OK).json()).hasSize(2);

        JarProcess.Result applied = run("prune", "--repo", repo.toString(), "--set", SET, "--keep-last", "1",
                "--apply").expect(Main.OK);
        assertThat(applied.out()).contains("remove " + ids.get(0)).contains("1 removed");
        JsonNode left = run("list", "--repo", repo.toString(), "--json").expect(Main.OK).json();
        assertThat(left).hasSize(1);
        assertThat(left.get(0).get("id").asText()).isEqualTo(ids.get(1));
    }

    @Test
    @Order(9)
    void theSameSetupFromAConfigurationFile() throws IOException {
        Path config = passwordFile.resolveSibling("dbbackup.yaml");
        Files.writeString(config, """
                databases:
                  - name: orders
                    type: postgresql
                    host: %s
                    port: %d
                    database: %s
                    user: %s
                    passwordFile: pw
                    set: %s
                repositories:
                  - name: local
                    uri: %s
                defaults:
                  database: orders
                  repository: local
                  retention:
                    keepLast: 1
                """.formatted(pg.host(), pg.port(), database, pg.user(), SET, repo.toUri()));
        JsonNode backup = run("backup", "--config", config.toString(), "--json").expect(Main.OK).json();
        assertThat(backup.get("set").asText()).isEqualTo(SET);
        JsonNode listed = run(Map.of("DBBACKUP_CONFIG", config.toString()), "list", "--json").expect(Main.OK).json();
        assertThat(listed).hasSize(2);
        JsonNode plan = run("prune", "--config", config.toString(), "--repo-name", "local", "--set", SET,
                "--no-require-verified", "--json").expect(Main.OK).json();
        assertThat(plan.get("policy").asText()).contains("last 1");
        assertThat(plan.get("decisions").get(0).get("id").asText()).isEqualTo(backup.get("id").asText());
        assertThat(plan.get("decisions").get(1).get("keep").asBoolean()).isFalse();
    }
}
