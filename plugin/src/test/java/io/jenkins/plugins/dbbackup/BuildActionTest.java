package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.dbbackup.engine.BackupResult;
import io.jenkins.plugins.dbbackup.engine.PruneResult;
import io.jenkins.plugins.dbbackup.engine.RestoreResult;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the build page shows for each kind of operation, and the log lines of the steps. */
class BuildActionTest {
    private static final String ID = "20261122T020000Z-3f9a1c2b";

    private static BackupResult backup() {
        return new BackupResult(ID, "orders", "postgresql-custom", "file:///var/backups/db/orders/" + ID,
                50L * 1024 * 1024, 6L * 1024 * 1024, "a".repeat(64), "b".repeat(64), "zstd", true,
                "2026-11-22T02:00:00Z", "2026-11-22T02:00:04Z", 4200, "15.18", "pg_dump 15.18");
    }

    private static VerificationRecord verification(String outcome, long restoreMillis) {
        return new VerificationRecord(1, ID, "orders", "restore", outcome, List.of("stored object: 6291456 bytes"),
                "2026-11-22T02:05:00Z", 300, 700, restoreMillis, "postgresql://app@scratch:5432/dbbackup_verify_1");
    }

    private static PruneResult prune(boolean dryRun, String refusal) {
        List<PruneResult.Decision> decisions = List.of(
                new PruneResult.Decision(ID, "2026-11-22T02:00:00Z", true, List.of("last 1"), List.of("LAST")),
                new PruneResult.Decision("20261121T020000Z-00000001", "2026-11-21T02:00:00Z", false, List.of(), List.of()),
                new PruneResult.Decision("20261120T020000Z-00000002", "2026-11-20T02:00:00Z", false, List.of(), List.of()));
        List<String> deleted = dryRun || refusal != null ? List.of() : List.of("20261121T020000Z-00000001");
        List<String> locked = dryRun || refusal != null ? List.of() : List.of("20261120T020000Z-00000002");
        return new PruneResult("orders", "keep last 1 (zone UTC)", dryRun, refusal, decisions, deleted, locked, List.of());
    }

    @Test
    void everyKindGetsItsRow() {
        DatabaseBackupAction action = new DatabaseBackupAction();
        action.add(backup());
        action.add(verification("OK", 2500));
        action.add(new RestoreResult(ID, "orders", "postgresql://app@db2:5432/orders_copy", "20261122T030000Z-0000abcd",
                50L * 1024 * 1024, 3100, 12));
        action.add(prune(false, null));

        assertThat(action.getBackups()).hasSize(1);
        DatabaseBackupAction.VerificationRow v = action.getVerifications().get(0);
        assertThat(v.isOk()).isTrue();
        assertThat(v.getLevel()).isEqualTo("restore");
        assertThat(v.getRecoveryTime()).isEqualTo("2.5 s");
        assertThat(v.getDuration()).isEqualTo("3.5 s");
        assertThat(v.getScratchTarget()).doesNotContain("pw");

        DatabaseBackupAction.RestoreRow r = action.getRestores().get(0);
        assertThat(r.getTarget()).isEqualTo("postgresql://app@db2:5432/orders_copy");
        assertThat(r.getSafetyBackupId()).isEqualTo("20261122T030000Z-0000abcd");
        assertThat(r.getRestoredSize()).isEqualTo("50.0 MiB");
        assertThat(r.getDuration()).isEqualTo("3.1 s");
        assertThat(r.getCountsChecked()).isEqualTo(12);
        assertThat(r.getSubset()).isNull();
        action.add(new RestoreResult(ID, "orders", "postgresql://app@db2:5432/refunds", null, 1024, 100, 1,
                "schema sales; table refunds"));
        assertThat(action.getRestores().get(1).getSubset()).isEqualTo("schema sales; table refunds");

        DatabaseBackupAction.PruneRow p = action.getPrunes().get(0);
        assertThat(p.getKept()).isEqualTo(1);
        assertThat(p.getRemoved()).isEqualTo(1);
        assertThat(p.getKeptByLock()).isEqualTo(1);
        assertThat(p.isApplied()).isTrue();

        assertThat(action.getLatestBackup().getId()).isEqualTo(ID);
        assertThat(action.getLatestBackupOutcome()).isEqualTo("OK");
        action.add(verification("COUNT_MISMATCH", 2000));
        assertThat(action.getLatestBackupOutcome()).isEqualTo("COUNT_MISMATCH");
        assertThat(action.getVerifications().get(1).getRecoveryTime()).isEqualTo("2.0 s");
    }

    @Test
    void dryRunsAndRefusalsShowWhatThePlanWouldDo() {
        DatabaseBackupAction.PruneRow dry = DatabaseBackupAction.PruneRow.of(prune(true, null));
        assertThat(dry.isDryRun()).isTrue();
        assertThat(dry.isApplied()).isFalse();
        assertThat(dry.getRemoved()).isEqualTo(2);
        DatabaseBackupAction.PruneRow refused =
                DatabaseBackupAction.PruneRow.of(prune(false, "the newest backup is not verified"));
        assertThat(refused.isApplied()).isFalse();
        assertThat(refused.getRefusal()).contains("not verified");
        assertThat(PruneBackupsStep.summary(prune(false, "the newest backup is not verified")))
                .isEqualTo("Pruned nothing in set orders: the newest backup is not verified");
        assertThat(PruneBackupsStep.summary(prune(true, null))).isEqualTo("Dry run for set orders: 1 kept, 2 would be removed");
        assertThat(PruneBackupsStep.summary(prune(false, null)))
                .isEqualTo("Pruned set orders: 1 kept, 1 removed, some kept by a retention lock: 1");
    }

    @Test
    void emptyActionAndAge() {
        DatabaseBackupAction action = new DatabaseBackupAction();
        assertThat(action.getLatestBackup()).isNull();
        assertThat(action.getLatestBackupAge()).isNull();
        assertThat(action.getLatestBackupOutcome()).isNull();
        DatabaseBackupAction.Row row = DatabaseBackupAction.Row.of(backup());
        assertThat(row.ageAt(Instant.parse("2026-11-22T02:00:34Z"))).isEqualTo("30 s");
        assertThat(row.ageAt(Instant.parse("2026-11-22T02:30:04Z"))).isEqualTo("30 min");
        assertThat(row.ageAt(Instant.parse("2026-11-22T05:10:04Z"))).isEqualTo("3 h 10 min");
        assertThat(row.ageAt(Instant.parse("2026-11-24T05:00:04Z"))).isEqualTo("2 d 3 h");
        assertThat(row.ageAt(Instant.parse("2026-11-22T01:00:00Z"))).isEqualTo("0 s");
    }

    @Test
    void logLines() {
        assertThat(VerifyBackupStep.summary(verification("OK", 2500)))
                .isEqualTo("Verified set orders, backup " + ID + ", at level restore: OK, measured recovery time 2.5 s");
        assertThat(VerifyBackupStep.summary(new VerificationRecord(1, ID, "orders", "checksum", "OK", List.of(),
                        "2026-11-22T02:05:00Z", 300, 0, 0, null)))
                .isEqualTo("Verified set orders, backup " + ID + ", at level checksum: OK");
        assertThat(RestoreDatabaseStep.summary(new RestoreResult(ID, "orders", "postgresql://app@db2:5432/o", null,
                        2048, 1500, 3)))
                .isEqualTo("Restored set orders, backup " + ID + ", into postgresql://app@db2:5432/o: 2.0 KiB in 1.5 s,"
                        + " counts of 3 tables match");
        assertThat(RestoreDatabaseStep.summary(new RestoreResult(ID, "orders", "postgresql://app@db2:5432/o", null,
                        2048, 1500, 1, "table orders")))
                .isEqualTo("Restored set orders, backup " + ID + ", into postgresql://app@db2:5432/o: 2.0 KiB in 1.5 s,"
                        + " counts of 1 tables match; only table orders restored, and only those tables' counts"
                        + " compared");
        assertThat(RestoreDatabaseStep.summary(new RestoreResult(ID, "orders", "postgresql://app@db2:5432/o",
                        "20261122T030000Z-0000abcd", 2048, 1500, 3, null, "key id(s) 0123456789ABCDEF")))
                .isEqualTo("Restored set orders, backup " + ID + ", into postgresql://app@db2:5432/o: 2.0 KiB in 1.5 s,"
                        + " counts of 3 tables match; safety backup of the target first: 20261122T030000Z-0000abcd"
                        + " (encryption: key id(s) 0123456789ABCDEF)");
    }

    @Test
    void pagesShowEveryKindAndNoCredentialField() throws IOException {
        String index = resource("index.jelly");
        for (String list : List.of("it.backups", "it.verifications", "it.restores", "it.prunes")) {
            assertThat(index).contains(list);
        }
        assertThat(index).contains("v.recoveryTime").contains("r.safetyBackupId").contains("p.refusal");
        String summary = resource("summary.jelly");
        assertThat(summary).contains("it.latestBackupAge").contains("it.latestBackupOutcome");
        assertThat(index + summary).doesNotContainIgnoringCase("credential").doesNotContainIgnoringCase("password");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DatabaseBackupAction.class.getResourceAsStream("DatabaseBackupAction/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
