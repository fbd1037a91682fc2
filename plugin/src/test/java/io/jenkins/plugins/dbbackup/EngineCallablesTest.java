package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.model.TaskListener;
import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.BackupResult;
import io.jenkins.plugins.dbbackup.engine.PruneRequest;
import io.jenkins.plugins.dbbackup.engine.PruneResult;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.RestoreRequest;
import io.jenkins.plugins.dbbackup.engine.RestoreResult;
import io.jenkins.plugins.dbbackup.engine.VerifyRequest;
import io.jenkins.plugins.dbbackup.engine.repository.PruneLease;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.io.Serial;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The callables that run on agents, invoked directly (as the agent would, with a workspace directory) against a
 * real PostgreSQL and a local repository, and serialized as remoting would. The requests are built by the steps
 * from their arguments, so this is the step path minus Jenkins.
 */
@ExtendWith(ThrowawayServers.class)
class EngineCallablesTest {
    private static PostgresServer pg;
    private static int databases;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final TaskListener listener = new StreamListener(new PrintStream(log, true, StandardCharsets.UTF_8));

    @BeforeAll
    static void server(PostgresServer server) {
        pg = server;
    }

    private static synchronized String sampleDatabase() {
        String db = "plugin_" + ++databases + "_" + ProcessHandle.current().pid();
        pg.createDatabase(db);
        pg.execute(db,
                "CREATE TABLE orders (id int PRIMARY KEY, item text)",
                "INSERT INTO orders SELECT g, 'item ' || g FROM generate_series(1, 500) g",
                "CREATE TABLE notes (note text)",
                "INSERT INTO notes VALUES ('a'), ('b')");
        return db;
    }

    private DatabaseCredentials.Login login() {
        return new DatabaseCredentials.Login(pg.user(), Secret.of(pg.password()));
    }

    private String repository() {
        return dir.resolve("repo").toString();
    }

    private BackupResult backup(String db, String set) throws Exception {
        BackupDatabaseStep step = new BackupDatabaseStep();
        step.setType("postgresql");
        step.setHost(pg.host());
        step.setPort(pg.port());
        step.setDatabase(db);
        step.setRepository(repository());
        step.setSet(set);
        BackupRequest request = step.toRequest(pg.user(), Secret.of(pg.password()));
        return travelled(new BackupCallable(request, null, listener)).invoke(workspace(), null);
    }

    private File workspace() throws Exception {
        return Files.createDirectories(dir.resolve("workspace")).toFile();
    }

    private String logText() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void backupListVerifyPruneRestore() throws Exception {
        String db = sampleDatabase();
        BackupResult first = backup(db, "orders");
        BackupResult second = backup(db, "orders");
        BackupResult third = backup(db, "orders");

        // listBackups
        ListBackupsStep list = new ListBackupsStep();
        list.setRepository(repository());
        list.setSet("orders");
        List<Map<String, Object>> rows =
                travelled(new ListCallable(RepositorySpec.of(list.getRepository()), list.getSet(), listener))
                        .invoke(workspace(), null);
        assertThat(rows).extracting(r -> r.get("id")).containsExactly(first.id(), second.id(), third.id());
        assertThat(rows.get(2)).containsEntry("set", "orders")
                .containsEntry("kind", "postgresql-custom")
                .containsEntry("storedBytes", third.storedBytes())
                .containsEntry("storedSha256", third.storedSha256())
                .containsEntry("encrypted", false)
                .containsKeys("startedAt", "finishedAt", "originalBytes", "compression");

        // verifyBackup at the restore level: a scratch database on the same server, counts compared
        VerifyBackupStep verify = new VerifyBackupStep("orders");
        verify.setRepository(repository());
        verify.setLevel("restore");
        verify.setScratchType("postgresql");
        verify.setScratchHost(pg.host());
        verify.setScratchPort(pg.port());
        VerifyRequest verifyRequest = verify.toRequest(
                RepositorySpec.of(verify.getRepository()), verify.scratchServer(null, login()), null);
        VerificationRecord verified =
                travelled(new VerifyCallable(verifyRequest, null, listener)).invoke(workspace(), null);
        assertThat(verified.ok()).as(String.join("; ", verified.details())).isTrue();
        assertThat(verified.backupId()).isEqualTo(third.id());
        assertThat(verified.restoreMillis()).isPositive();
        Map<String, Object> verifyMap = verified.toMap();
        assertThat(verifyMap).containsEntry("outcome", "OK").containsEntry("ok", true).containsKey("restoreMillis");
        assertThat(VerifyBackupStep.summary(verified)).contains("OK").contains("measured recovery time");
        assertThat(pg.listDatabases()).noneMatch(name -> name.startsWith("dbbackup_verify_"));

        // pruneBackups: keep the last one; the newest is verified, so the two older ones go
        PruneBackupsStep prune = new PruneBackupsStep("orders");
        prune.setRepository(repository());
        prune.setKeepLast(1);
        prune.setDryRun(true);
        PruneRequest dry = prune.toRequest(RepositorySpec.of(prune.getRepository()), null, "test#1");
        PruneResult planned = travelled(new PruneCallable(dry, listener)).invoke(workspace(), null);
        assertThat(planned.deleted()).isEmpty();
        assertThat(planned.toRemoveCount()).isEqualTo(2);
        assertThat(PruneBackupsStep.summary(planned)).contains("1 kept, 2 would be removed");
        prune.setDryRun(false);
        PruneRequest apply = prune.toRequest(RepositorySpec.of(prune.getRepository()), null, "test#1");
        PruneResult pruned = new PruneCallable(apply, listener).invoke(workspace(), null); // logs here
        assertThat(pruned.deleted()).containsExactlyInAnyOrder(first.id(), second.id());
        assertThat(pruned.refusal()).isNull();
        assertThat(PruneBackupsStep.summary(pruned)).contains("1 kept, 2 removed");
        assertThat(logText()).contains("keep").contains(third.id());

        // restoreDatabase into a new database
        String copy = db + "_copy";
        RestoreDatabaseStep restore = new RestoreDatabaseStep("orders");
        restore.setRepository(repository());
        restore.setType("postgresql");
        restore.setHost(pg.host());
        restore.setPort(pg.port());
        restore.setTargetDatabase(copy);
        restore.setCreate(true);
        RestoreRequest restoreRequest = restore.toRequest(RepositorySpec.of(restore.getRepository()), null, login(), null);
        RestoreResult restored = travelled(new RestoreCallable(restoreRequest, null, listener)).invoke(workspace(), null);
        assertThat(restored.backupId()).isEqualTo(third.id());
        assertThat(restored.safetyBackupId()).isNull();
        assertThat(restored.countsChecked()).isEqualTo(2);
        assertThat(pg.queryLong(copy, "SELECT count(*) FROM orders")).isEqualTo(500);
        assertThat(RestoreDatabaseStep.summary(restored)).contains(third.id()).contains(copy);

        assertThat(logText()).doesNotContain(pg.password());
    }

    @Test
    void restoreOverANonEmptyDatabaseTakesASafetyBackupFirst() throws Exception {
        String db = sampleDatabase();
        backup(db, "clean-over");
        pg.execute(db, "INSERT INTO notes VALUES ('after the backup')");
        RestoreDatabaseStep restore = new RestoreDatabaseStep("clean-over");
        restore.setType("postgresql");
        restore.setHost(pg.host());
        restore.setPort(pg.port());
        restore.setTargetDatabase(db);
        RestoreRequest refused = restore.toRequest(RepositorySpec.of(repository()), null, login(), null);
        assertThatThrownBy(() -> new RestoreCallable(refused, null, listener).invoke(workspace(), null))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("not empty");
        restore.setClean(true);
        RestoreRequest request = restore.toRequest(RepositorySpec.of(repository()), null, login(), null);
        RestoreResult restored = new RestoreCallable(request, null, listener).invoke(workspace(), null);
        assertThat(restored.safetyBackupId()).isNotNull();
        assertThat(pg.queryLong(db, "SELECT count(*) FROM notes")).isEqualTo(2);
        assertThat(RestoreDatabaseStep.summary(restored)).contains("safety backup").contains(restored.safetyBackupId())
                .contains("(encryption: none)");
    }

    @Test
    void pruneRefusesWhileTheNewestBackupIsNotVerified() throws Exception {
        String db = sampleDatabase();
        backup(db, "unverified");
        backup(db, "unverified");
        PruneBackupsStep prune = new PruneBackupsStep("unverified");
        prune.setKeepLast(1);
        PruneRequest request = prune.toRequest(RepositorySpec.of(repository()), null, "test#2");
        PruneResult result = new PruneCallable(request, listener).invoke(workspace(), null);
        assertThat(result.refusal()).isNotNull();
        assertThat(result.deleted()).isEmpty();
        assertThat(PruneBackupsStep.summary(result)).startsWith("Pruned nothing in set unverified:");
        DatabaseBackupAction.PruneRow row = DatabaseBackupAction.PruneRow.of(result);
        assertThat(row.isApplied()).isFalse();
        assertThat(row.getRemoved()).isZero(); // a refused plan removes nothing
    }

    @Test
    void aHeldLeaseNamesItsHolder() throws Exception {
        String db = sampleDatabase();
        backup(db, "leased");
        Path lease = dir.resolve("repo").resolve("leased").resolve("prune.lease");
        Files.writeString(lease, "{\"holder\":\"jenkins:nightly#41\",\"token\":\"00ff\","
                + "\"acquiredAt\":\"2026-11-22T02:00:00Z\",\"expiresAt\":\"2999-01-01T00:00:00Z\"}");
        PruneBackupsStep prune = new PruneBackupsStep("leased");
        prune.setKeepLast(1);
        prune.setRequireVerifiedNewest(false);
        PruneRequest request = prune.toRequest(RepositorySpec.of(repository()), null, "jenkins:nightly#42");
        assertThatThrownBy(() -> new PruneCallable(request, listener).invoke(workspace(), null))
                .isInstanceOf(PruneLease.HeldException.class)
                .hasMessageContaining("held by jenkins:nightly#41");
        // a dry run takes no lease: the plan can still be looked at
        prune.setDryRun(true);
        PruneRequest dry = prune.toRequest(RepositorySpec.of(repository()), null, "jenkins:nightly#42");
        assertThat(new PruneCallable(dry, listener).invoke(workspace(), null).dryRun()).isTrue();
    }

    @Test
    void checksumMismatchIsAnOutcomeNotAnException() throws Exception {
        String db = sampleDatabase();
        BackupResult backup = backup(db, "flipped");
        Path data;
        try (Stream<Path> files = Files.walk(dir.resolve("repo").resolve("flipped"))) {
            data = files.filter(p -> p.getFileName().toString().startsWith("data.")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 0x01;
        data.toFile().setWritable(true);
        Files.write(data, bytes);
        VerifyBackupStep verify = new VerifyBackupStep("flipped");
        verify.setId(backup.id());
        VerificationRecord record = new VerifyCallable(
                        verify.toRequest(RepositorySpec.of(repository()), null, null), null, listener)
                .invoke(workspace(), null);
        assertThat(record.ok()).isFalse();
        assertThat(record.outcome()).isEqualTo("CHECKSUM_MISMATCH");
        assertThat(record.toMap()).containsEntry("ok", false);
    }

    @Test
    void callablesPrintNoSecrets() throws Exception {
        String secret = "pw-5e0c2a17-do-not-print";
        Secret password = Secret.of(secret);
        DatabaseCredentials.Login login = new DatabaseCredentials.Login("app", password);
        RestoreDatabaseStep restore = new RestoreDatabaseStep("orders");
        restore.setType("postgresql");
        restore.setHost("db.example");
        restore.setTargetDatabase("orders");
        VerifyBackupStep verify = new VerifyBackupStep("orders");
        verify.setLevel("restore");
        verify.setScratchType("postgresql");
        verify.setScratchHost("scratch.example");
        RepositorySpec repo = RepositorySpec.of("/var/backups/db");
        Object[] callables = {
            new RestoreCallable(restore.toRequest(repo, null, login, null), null, listener),
            new VerifyCallable(verify.toRequest(repo, verify.scratchServer(null, login), null), null, listener),
        };
        for (Object c : callables) {
            assertThat(c.toString()).doesNotContain(secret);
            assertThat(travelled(c).toString()).isEqualTo(c.toString());
        }
    }

    /** A copy of a callable after Java serialization, as remoting sends it to an agent. */
    @SuppressWarnings("unchecked")
    static <T> T travelled(T callable) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(callable);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    /** Stands in for the build listener remoting would carry; a serialized copy prints to standard output. */
    private static final class StreamListener implements TaskListener {
        @Serial
        private static final long serialVersionUID = 1L;

        private final transient PrintStream out;

        StreamListener(PrintStream out) {
            this.out = out;
        }

        @Override
        public PrintStream getLogger() {
            return out == null ? System.out : out;
        }
    }
}
