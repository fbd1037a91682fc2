package io.jenkins.plugins.dbbackup.engine.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.BackupEngine;
import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.EngineOptions;
import io.jenkins.plugins.dbbackup.engine.ProgressListener;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.RestoreRequest;
import io.jenkins.plugins.dbbackup.engine.RestoreResult;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.testsupport.MariaDbServer;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL restore options (no owner, no privileges, schema and table subsets) against a real server. */
@ExtendWith(ThrowawayServers.class)
class PostgresRestoreOptionsTest {
    private static PostgresServer pg;

    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void server(PostgresServer server) {
        pg = server;
    }

    DatabaseConnection connection(String database) {
        return new DatabaseConnection(DatabaseType.POSTGRESQL, pg.host(), pg.port(), database, pg.user(),
                Secret.of(pg.password()));
    }

    BackupEngine engine() {
        return new BackupEngine(EngineOptions.defaults(), (ProgressListener) log::add, Clock.systemUTC());
    }

    RepositorySpec repo() {
        return RepositorySpec.local(dir.resolve("repo"));
    }

    RestoreRequest restore(String set, String target, boolean create, boolean clean) {
        return new RestoreRequest(repo(), set, null, null, connection(target), create, clean, true, null, 1);
    }

    /** Two schemas, a table with a sequence, a view, and three tables of different sizes. */
    static String shop() {
        String db = "opts_" + System.nanoTime();
        pg.createDatabase(db);
        pg.execute(db,
                "CREATE SCHEMA sales",
                "CREATE TABLE sales.customers (id bigserial PRIMARY KEY, name text NOT NULL)",
                "CREATE TABLE sales.refunds (id int, amount numeric)",
                "CREATE TABLE public.customers (id int)",
                "CREATE TABLE public.orders (id int PRIMARY KEY, customer bigint)",
                "CREATE VIEW sales.big_spenders AS SELECT id, name FROM sales.customers WHERE id > 10",
                "INSERT INTO sales.customers (name) SELECT 'c' || g FROM generate_series(1, 40) g",
                "INSERT INTO sales.refunds SELECT g, g FROM generate_series(1, 3) g",
                "INSERT INTO public.customers SELECT g FROM generate_series(1, 5) g",
                "INSERT INTO public.orders SELECT g, 1 + g % 40 FROM generate_series(1, 250) g");
        return db;
    }

    @Test
    void noOwnerAndNoPrivilegesRestoreWhenTheOriginalRolesAreGone() throws Exception {
        long n = System.nanoTime();
        String owner = "dbb_owner_" + n;
        String reader = "dbb_reader_" + n;
        String db = "owned_" + n;
        pg.execute("postgres", "CREATE ROLE " + owner, "CREATE ROLE " + reader);
        pg.createDatabase(db);
        pg.execute(db,
                "CREATE TABLE ledger (id int, entry text)",
                "INSERT INTO ledger SELECT g, 'e' || g FROM generate_series(1, 60) g",
                "ALTER TABLE ledger OWNER TO " + owner,
                "GRANT SELECT ON ledger TO " + reader);
        engine().backup(BackupRequest.of(connection(db), repo(), "owned"));
        // the roles exist no more: as on another server, or after they were dropped
        pg.dropDatabase(db);
        pg.execute("postgres", "DROP ROLE " + owner, "DROP ROLE " + reader);

        // pg_restore's own behaviour without the options: ALTER ... OWNER TO a missing role fails (exit-on-error)
        assertThatThrownBy(() -> engine().restore(restore("owned", db + "_plain", true, false)))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("role \"" + owner + "\" does not exist");
        // without owners, the GRANT to the missing reader role still fails
        assertThatThrownBy(() -> engine().restore(restore("owned", db + "_noowner", true, false)
                        .withPostgresOptions(true, false, List.of(), List.of())))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("role \"" + reader + "\" does not exist");

        RestoreResult result = engine().restore(restore("owned", db + "_both", true, false)
                .withPostgresOptions(true, true, List.of(), List.of()));
        assertThat(result.countsChecked()).isEqualTo(1);
        assertThat(result.subset()).isNull();
        assertThat(pg.queryLong(db + "_both", "SELECT count(*) FROM ledger")).isEqualTo(60);
        assertThat(pg.queryLong(db + "_both", "SELECT count(*) FROM pg_tables WHERE tablename = 'ledger'"
                + " AND tableowner = current_user")).isEqualTo(1);
        assertThat(pg.queryLong(db + "_both", "SELECT count(*) FROM pg_class WHERE relname = 'ledger'"
                + " AND relacl IS NULL")).isEqualTo(1);
    }

    @Test
    void aTableSubsetRestoresThatTableAloneAndChecksOnlyItsCount() throws Exception {
        String db = shop();
        engine().backup(BackupRequest.of(connection(db), repo(), "shop"));

        RestoreResult result = engine().restore(restore("shop", db + "_orders", true, false)
                .withPostgresOptions(false, false, List.of(), List.of("orders")));
        assertThat(result.subset()).isEqualTo("table orders");
        assertThat(result.countsChecked()).isEqualTo(1);
        assertThat(result.toMap()).containsEntry("subset", "table orders");
        assertThat(pg.queryLong(db + "_orders", "SELECT count(*) FROM public.orders")).isEqualTo(250);
        assertThat(pg.queryLong(db + "_orders", "SELECT count(*) FROM pg_tables WHERE schemaname IN ('public',"
                + " 'sales')")).isEqualTo(1);
        assertThat(log).anyMatch(l -> l.contains("Counts of the 1 restored table(s) match")
                && l.contains("other 3 table(s) were not restored and not compared (subset: table orders)"));

        // a table in a schema the new database lacks: the schema is created first (pg_restore does not)
        RestoreResult inSchema = engine().restore(restore("shop", db + "_refunds", true, false)
                .withPostgresOptions(false, false, List.of("sales"), List.of("refunds")));
        assertThat(inSchema.countsChecked()).isEqualTo(1);
        assertThat(pg.queryLong(db + "_refunds", "SELECT count(*) FROM sales.refunds")).isEqualTo(3);

        // one name, two schemas: both tables are restored and counted
        RestoreResult both = engine().restore(restore("shop", db + "_customers", true, false)
                .withPostgresOptions(false, false, List.of(), List.of("customers")));
        assertThat(both.countsChecked()).isEqualTo(2);
        assertThat(pg.queryLong(db + "_customers", "SELECT count(*) FROM sales.customers")).isEqualTo(40);
        assertThat(pg.queryLong(db + "_customers", "SELECT count(*) FROM public.customers")).isEqualTo(5);
    }

    @Test
    void aSchemaSubsetRestoresTheSchemasObjects() throws Exception {
        String db = shop();
        engine().backup(BackupRequest.of(connection(db), repo(), "schema"));
        RestoreResult result = engine().restore(restore("schema", db + "_sales", true, false)
                .withPostgresOptions(true, true, List.of("sales"), List.of()));
        assertThat(result.subset()).isEqualTo("schema sales");
        assertThat(result.countsChecked()).isEqualTo(2);
        assertThat(pg.queryLong(db + "_sales", "SELECT count(*) FROM sales.big_spenders")).isEqualTo(30);
        assertThat(pg.queryLong(db + "_sales", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
                .isZero();
    }

    @Test
    void aSubsetNamingNoTableOfTheBackupIsRefusedBeforeAnythingIsTouched() throws Exception {
        String db = shop();
        engine().backup(BackupRequest.of(connection(db), repo(), "typo"));
        assertThatThrownBy(() -> engine().restore(restore("typo", db + "_typo", true, false)
                        .withPostgresOptions(false, false, List.of(), List.of("order"))))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("table order is not among the tables backup")
                .hasMessageContaining("nothing was restored");
        assertThatThrownBy(() -> engine().restore(restore("typo", db + "_typo", true, false)
                        .withPostgresOptions(false, false, List.of("public"), List.of("refunds"))))
                .hasMessageContaining("table refunds in schema(s) public is not among");
        assertThatThrownBy(() -> engine().restore(restore("typo", db + "_typo", true, false)
                        .withPostgresOptions(false, false, List.of("Sales"), List.of())))
                .hasMessageContaining("schema(s) Sales hold no table");
        assertThat(pg.listDatabases()).doesNotContain(db + "_typo");
    }

    @Test
    void aCleanSubsetReplacesOnlyItsTablesAfterASafetyBackupOfTheWholeDatabase() throws Exception {
        String db = shop();
        engine().backup(BackupRequest.of(connection(db), repo(), "partial"));
        pg.execute(db, "DELETE FROM sales.refunds", "INSERT INTO public.orders VALUES (1000, 1)");

        // a subset into a non-empty database still needs clean
        assertThatThrownBy(() -> engine().restore(restore("partial", db, false, false)
                        .withPostgresOptions(false, false, List.of(), List.of("refunds"))))
                .hasMessageContaining("exists and is not empty");

        RestoreResult result = engine().restore(restore("partial", db, false, true)
                .withPostgresOptions(false, false, List.of("sales"), List.of("refunds")));
        assertThat(result.safetyBackupId()).isNotNull();
        assertThat(pg.queryLong(db, "SELECT count(*) FROM sales.refunds")).isEqualTo(3);
        assertThat(pg.queryLong(db, "SELECT count(*) FROM public.orders")).isEqualTo(251); // not in the subset
        assertThat(log).anyMatch(l -> l.startsWith("Taking a safety backup of the whole of"));

        // the safety backup holds the whole database as it was before
        engine().restore(new RestoreRequest(repo(), "partial-pre-restore", result.safetyBackupId(), null,
                connection(db + "_before"), true, false, true, null, 1));
        assertThat(pg.queryLong(db + "_before", "SELECT count(*) FROM sales.refunds")).isZero();
        assertThat(pg.queryLong(db + "_before", "SELECT count(*) FROM public.orders")).isEqualTo(251);
    }

    @Test
    void aCleanTableSubsetThatOtherObjectsDependOnFailsAndTheSafetyBackupRemains() throws Exception {
        String db = "deps_" + System.nanoTime();
        pg.createDatabase(db);
        pg.execute(db,
                "CREATE TABLE customers (id int PRIMARY KEY)",
                "CREATE TABLE orders (id int, customer int REFERENCES customers)",
                "CREATE VIEW customer_ids AS SELECT id FROM customers",
                "INSERT INTO customers SELECT g FROM generate_series(1, 10) g",
                "INSERT INTO orders SELECT g, g FROM generate_series(1, 10) g");
        engine().backup(BackupRequest.of(connection(db), repo(), "deps"));

        assertThatThrownBy(() -> engine().restore(restore("deps", db, false, true)
                        .withPostgresOptions(false, false, List.of(), List.of("customers"))))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("view public.customer_ids depends on table public.customers")
                .hasMessageContaining("DROP TABLE IF EXISTS public.customers");
        assertThat(engine().list(repo(), "deps-pre-restore")).hasSize(1);
        assertThat(pg.queryLong(db, "SELECT count(*) FROM customers")).isEqualTo(10);
        assertThat(pg.queryLong(db, "SELECT count(*) FROM customer_ids")).isEqualTo(10);
    }

    @Test
    void postgresOptionsForAMariaDbBackupAreRefusedBeforeAnythingIsTouched(MariaDbServer m) throws Exception {
        String db = "opts_m_" + System.nanoTime();
        m.createDatabase(db);
        m.execute(db, "CREATE TABLE items (id INT)", "INSERT INTO items VALUES (1), (2)");
        DatabaseConnection source = new DatabaseConnection(DatabaseType.MARIADB, m.host(), m.port(), db, m.user(),
                Secret.of(m.password()));
        engine().backup(BackupRequest.of(source, repo(), "maria"));
        m.execute(db, "INSERT INTO items VALUES (3)");
        RestoreRequest plain = new RestoreRequest(repo(), "maria", null, null, source, false, true, true, null, 1);

        assertThatThrownBy(() -> plain.withPostgresOptions(false, false, List.of(), List.of("items")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a table subset (tables items) applies to PostgreSQL only, and this restore is into"
                        + " mariadb: leave it out");
        assertThatThrownBy(() -> plain.withPostgresOptions(false, false, List.of(db), List.of()))
                .hasMessageStartingWith("a schema subset (schemas " + db + ") applies to PostgreSQL only");
        assertThatThrownBy(() -> plain.withPostgresOptions(true, false, List.of(), List.of()))
                .hasMessageStartingWith("no-owner applies to PostgreSQL only");
        assertThatThrownBy(() -> plain.withPostgresOptions(false, true, List.of(), List.of()))
                .hasMessageStartingWith("no-privileges applies to PostgreSQL only");
        assertThat(m.queryLong(db, "SELECT COUNT(*) FROM items")).isEqualTo(3);
        assertThat(engine().list(repo(), "maria-pre-restore")).isEmpty();
    }
}
