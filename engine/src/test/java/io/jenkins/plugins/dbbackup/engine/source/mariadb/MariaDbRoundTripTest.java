package io.jenkins.plugins.dbbackup.engine.source.mariadb;

import static io.jenkins.plugins.dbbackup.engine.source.mariadb.MariaDbFixtures.checksums;
import static io.jenkins.plugins.dbbackup.engine.source.mariadb.MariaDbFixtures.connection;
import static io.jenkins.plugins.dbbackup.engine.source.mariadb.MariaDbFixtures.rowCounts;
import static io.jenkins.plugins.dbbackup.engine.source.mariadb.MariaDbFixtures.schema;
import static io.jenkins.plugins.dbbackup.engine.source.mariadb.MariaDbFixtures.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.BackupEngine;
import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.BackupResult;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.EngineOptions;
import io.jenkins.plugins.dbbackup.engine.ProgressListener;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.RestoreRequest;
import io.jenkins.plugins.dbbackup.engine.process.NativeTools;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.source.DatabaseSource;
import io.jenkins.plugins.dbbackup.testsupport.MariaDbServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup and restore through the engine against a real MariaDB server. */
class MariaDbRoundTripTest {
    private final MariaDbServer server = MariaDbServer.shared();
    private final BackupEngine engine = new BackupEngine(EngineOptions.defaults(), ProgressListener.NONE, Clock.systemUTC());

    @TempDir
    Path repositoryDir;

    @Test
    void awkwardDataSurvivesBackupAndRestoreIntoANewDatabase() throws Exception {
        String source = uniqueName("awkward");
        MariaDbFixtures.createAwkward(server, source);
        RepositorySpec repo = RepositorySpec.local(repositoryDir);

        BackupResult backup = engine.backup(BackupRequest.of(connection(server, source), repo, "awkward"));

        assertThat(backup.kind()).isEqualTo(MariaDbSource.KIND);
        List<BackupManifest> manifests = engine.list(repo, "awkward");
        assertThat(manifests).hasSize(1);
        BackupManifest manifest = manifests.get(0);
        assertThat(manifest.dataObject()).startsWith("data.sql");
        assertThat(manifest.source().serverVersion()).isEqualTo(server.version() + "-MariaDB");
        assertThat(manifest.tool().name()).isEqualTo("mariadb-dump");
        assertThat(manifest.tool().version()).startsWith(server.version());
        assertThat(manifest.verification().countMethod()).isEqualTo("dump-stream");
        Map<String, Long> real = rowCounts(server, source, source);
        assertThat(manifest.verification().tables()).isEqualTo(real);
        assertThat(real).containsEntry(source + ".big", 20_000L).containsEntry(source + ".empty_one", 0L)
                .containsEntry(source + ".we`ird;name (x)", 3L).containsEntry(source + ".blobs", 41L);

        String target = uniqueName("restored");
        DatabaseConnection targetConnection = connection(server, target);
        engine.restore(new RestoreRequest(repo, "awkward", "latest", null, targetConnection, true, false, true, null, 1));

        assertThat(checksums(server, target)).isEqualTo(checksums(server, source));
        assertThat(schema(server, target)).isEqualTo(schema(server, source));
        assertThat(schema(server, target)).containsKeys("VIEW texts_view", "TRIGGER texts_audit",
                "PROCEDURE add_rows", "FUNCTION twice", "EVENT nightly", "SEQUENCE seq_ids");
        DatabaseSource restored = new MariaDbSource(targetConnection, new NativeTools(null), null);
        assertThat(rekey(restored.countTarget(), target, source)).isEqualTo(manifest.verification().tables());
        // the restored routines work
        assertThat(server.queryLong(target, "SELECT twice(21)")).isEqualTo(42);
        server.execute(target, "CALL add_rows(3)");
        assertThat(server.queryLong(target, "SELECT COUNT(*) FROM audit WHERE what = 'proc;'")).isEqualTo(3);
    }

    @Test
    void restoreRefusesANonEmptyTargetAndCleanReplacesItsContent() throws Exception {
        String source = uniqueName("src");
        server.createDatabase(source);
        server.execute(source, "CREATE TABLE t (id INT PRIMARY KEY, s TEXT)",
                "INSERT INTO t SELECT seq, CONCAT('row ', seq) FROM seq_1_to_500");
        RepositorySpec repo = RepositorySpec.local(repositoryDir);
        engine.backup(BackupRequest.of(connection(server, source), repo, "src"));

        String target = uniqueName("busy");
        server.createDatabase(target);
        server.execute(target, "ALTER DATABASE `" + target + "` CHARACTER SET latin1 COLLATE latin1_german1_ci",
                "CREATE TABLE t (id INT)", "INSERT INTO t VALUES (-1)", "CREATE TABLE leftover (x INT)",
                "CREATE PROCEDURE old_proc() SELECT 1");
        DatabaseConnection targetConnection = connection(server, target);

        assertThatThrownBy(() -> engine.restore(
                new RestoreRequest(repo, "src", "latest", null, targetConnection, false, false, false, null, 1)))
                .isInstanceOf(BackupException.class).hasMessageContaining("exists and is not empty");
        assertThat(server.queryLong(target, "SELECT COUNT(*) FROM t")).isEqualTo(1);

        engine.restore(new RestoreRequest(repo, "src", "latest", null, targetConnection, false, true, true, null, 1));

        assertThat(checksums(server, target)).isEqualTo(checksums(server, source));
        assertThat(MariaDbFixtures.tables(server, target)).containsExactly("t");
        assertThat(server.queryLong(target, "SELECT COUNT(*) FROM information_schema.ROUTINES"
                + " WHERE ROUTINE_SCHEMA = DATABASE()")).isZero();
        assertThat(MariaDbFixtures.strings(server, target, "SELECT CONCAT(DEFAULT_CHARACTER_SET_NAME, ' ',"
                + " DEFAULT_COLLATION_NAME) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()"))
                .containsExactly("latin1 latin1_german1_ci");
        // the safety backup of the old content was taken first
        assertThat(engine.list(repo, "src-pre-restore")).hasSize(1);
    }

    @Test
    void severalDatabasesInOneBackupRestoreOnlyIntoTheSameDatabases() throws Exception {
        String one = uniqueName("multi_a");
        String two = uniqueName("multi_b");
        server.createDatabase(one);
        server.createDatabase(two);
        server.execute(one, "CREATE TABLE t (id INT)", "INSERT INTO t SELECT seq FROM seq_1_to_7");
        server.execute(two, "CREATE TABLE t (id INT)", "CREATE TABLE u (s TEXT)",
                "INSERT INTO t SELECT seq FROM seq_1_to_3", "INSERT INTO u VALUES ('x')");
        RepositorySpec repo = RepositorySpec.local(repositoryDir);
        DatabaseConnection both = connection(server, one + ", " + two);

        engine.backup(BackupRequest.of(both, repo, "multi"));

        Map<String, Long> expected = new LinkedHashMap<>(rowCounts(server, one, one));
        expected.putAll(rowCounts(server, two, two));
        BackupManifest manifest = engine.list(repo, "multi").get(0);
        assertThat(manifest.verification().tables()).isEqualTo(expected);

        // into a database of another name: stopped before anything reaches the original databases
        String elsewhere = uniqueName("elsewhere");
        assertThatThrownBy(() -> engine.restore(new RestoreRequest(repo, "multi", "latest", null,
                connection(server, elsewhere), true, false, false, null, 1)))
                .isInstanceOf(BackupException.class).hasMessageContaining("names database '" + one + "'");
        assertThat(server.queryLong(one, "SELECT COUNT(*) FROM t")).isEqualTo(7);

        // into the same databases, after they were lost
        server.dropDatabase(one);
        server.dropDatabase(two);
        engine.restore(new RestoreRequest(repo, "multi", "latest", null, both, true, false, false, null, 1));
        Map<String, Long> after = new LinkedHashMap<>(rowCounts(server, one, one));
        after.putAll(rowCounts(server, two, two));
        assertThat(after).isEqualTo(expected);
        assertThat(new MariaDbSource(both, new NativeTools(null), null).countTarget()).isEqualTo(expected);
    }

    @Test
    void leastPrivilegedUserWithAnAwkwardPassword() throws Exception {
        String db = uniqueName("lp");
        MariaDbFixtures.createAwkward(server, db);
        String user = uniqueName("bk");
        String password = " p\"a\\ss w#o;r'd=x\\\\y\tz\n ";
        String literal = password.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
                .replace("\t", "\\t");
        server.execute("", "CREATE USER '" + user + "'@'127.0.0.1' IDENTIFIED BY '" + literal + "'",
                "GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES ON `" + db + "`.* TO '" + user + "'@'127.0.0.1'",
                "GRANT SELECT ON mysql.proc TO '" + user + "'@'127.0.0.1'");
        RepositorySpec repo = RepositorySpec.local(repositoryDir);
        DatabaseConnection c = new DatabaseConnection(io.jenkins.plugins.dbbackup.engine.DatabaseType.MARIADB,
                server.host(), server.port(), db, user, io.jenkins.plugins.dbbackup.engine.secret.Secret.of(password));

        engine.backup(BackupRequest.of(c, repo, "lp"));

        BackupManifest manifest = engine.list(repo, "lp").get(0);
        assertThat(manifest.verification().tables()).isEqualTo(rowCounts(server, db, db));
        String target = uniqueName("lp_restored");
        engine.restore(new RestoreRequest(repo, "lp", "latest", null, connection(server, target), true, false, true,
                null, 1));
        assertThat(checksums(server, target)).isEqualTo(checksums(server, db));
        assertThat(schema(server, target)).isEqualTo(schema(server, db));
        for (Path f : MariaDbFixtures.files(repositoryDir)) {
            assertThat(java.nio.file.Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain(password.strip());
        }
    }

    /** Keys {@code from.table} as {@code to.table}. */
    private static Map<String, Long> rekey(Map<String, Long> counts, String from, String to) {
        Map<String, Long> result = new LinkedHashMap<>();
        counts.forEach((k, v) -> result.put(k.startsWith(from + ".") ? to + k.substring(from.length()) : k, v));
        return result;
    }
}
