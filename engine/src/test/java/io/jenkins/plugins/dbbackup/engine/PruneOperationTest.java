package io.jenkins.plugins.dbbackup.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.repository.BackupId;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.BackupRepository;
import io.jenkins.plugins.dbbackup.engine.repository.PruneLease;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionPolicy;
import io.jenkins.plugins.dbbackup.engine.retention.TierSettings;
import io.jenkins.plugins.dbbackup.engine.storage.FaultyStorage;
import io.jenkins.plugins.dbbackup.engine.storage.LocalStorage;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prune against a real directory repository with synthetic backups: one per day of November 2026. */
class PruneOperationTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @TempDir
    Path dir;

    LocalStorage storage;
    BackupRepository repository;
    final List<String> ids = new ArrayList<>();
    final List<String> log = new ArrayList<>();

    @BeforeEach
    void thirtyDailyBackups() throws IOException {
        storage = new LocalStorage(dir);
        repository = new BackupRepository(storage);
        for (int day = 1; day <= 30; day++) {
            ids.add(store(String.format("2026-11-%02dT02:00:00Z", day), 1000));
        }
    }

    String store(String startedAt, long storedBytes) throws IOException {
        String id = BackupId.generate(Instant.parse(startedAt));
        BackupManifest m = new BackupManifest(1, id, "orders", "postgresql-custom", "data.pgdump.zst",
                new BackupManifest.Source("postgresql", "db", 5432, "orders", "u", "15.18"),
                new BackupManifest.Tool("pg_dump", "15.18"), startedAt, startedAt,
                new BackupManifest.Content(5000, "aa"), new BackupManifest.Content(storedBytes, "bb"),
                new BackupManifest.CompressionInfo("zstd", 3), null,
                new BackupManifest.VerificationData(Map.of("public.t", 1L), null, "exported-snapshot"));
        storage.put(BackupRepository.dataKey(m), new byte[(int) Math.min(storedBytes, 10)]);
        repository.commit(m);
        return id;
    }

    void verify(String id, String outcome) throws IOException {
        repository.recordVerification(new VerificationRecord(1, id, "orders", "checksum", outcome, List.of(),
                NOW.minusSeconds(60).toString(), 1, 0, 0, null));
    }

    PruneResult prune(RetentionPolicy policy, boolean dryRun) throws IOException {
        return new PruneOperation(log::add, Clock.fixed(NOW, ZoneOffset.UTC))
                .run(new PruneRequest(RepositorySpec.local(dir), "orders", policy, dryRun, "test", null), storage);
    }

    static RetentionPolicy keepDaily(int n) {
        return RetentionPolicy.builder().keepDaily(n).build();
    }

    List<String> listed() throws IOException {
        return repository.list("orders").stream().map(BackupManifest::id).toList();
    }

    @Test
    void dryRunPlansAndDeletesNothing() throws IOException {
        verify(ids.get(29), "OK");
        PruneResult result = prune(keepDaily(7), true);
        assertThat(result.dryRun()).isTrue();
        assertThat(result.toRemoveCount()).isEqualTo(23);
        assertThat(result.deleted()).isEmpty();
        assertThat(listed()).hasSize(30);
        assertThat(PruneLease.current(storage, "orders")).isEmpty();
        assertThat(log).anyMatch(l -> l.contains("remove"));
    }

    @Test
    void deletesWhatThePlanRemovesAndKeepsTheRest() throws IOException {
        verify(ids.get(29), "OK");
        PruneResult result = prune(keepDaily(7), false);
        assertThat(result.deleted()).containsExactlyInAnyOrderElementsOf(ids.subList(0, 23));
        assertThat(listed()).containsExactlyElementsOf(ids.subList(23, 30));
        // nothing of a deleted backup is left, and the lease is released
        for (String id : ids.subList(0, 23)) {
            assertThat(storage.list("orders/" + id + "/")).isEmpty();
        }
        assertThat(PruneLease.current(storage, "orders")).isEmpty();
        assertThat(result.decisions().get(0).tiers()).contains("DAILY");
        // idempotent: a second prune removes nothing
        assertThat(prune(keepDaily(7), false).deleted()).isEmpty();
    }

    @Test
    void anUnverifiedNewestBackupStopsPruning() throws IOException {
        PruneResult result = prune(keepDaily(7), false);
        assertThat(result.refusal()).contains("not verified");
        assertThat(result.deleted()).isEmpty();
        assertThat(listed()).hasSize(30);
    }

    @Test
    void aFailedOrEmptyNewestBackupNeverCausesDeletion() throws IOException {
        verify(ids.get(29), "OK");
        String empty = store("2026-11-30T03:00:00Z", 0); // a 0-byte "backup" recorded after the good ones
        PruneResult result = prune(keepDaily(7), false);
        assertThat(result.refusal()).isNotNull();
        assertThat(result.deleted()).isEmpty();
        String failed = store("2026-11-30T04:00:00Z", 1000);
        verify(failed, "CHECKSUM_MISMATCH");
        assertThat(prune(keepDaily(7), false).deleted()).isEmpty();
        assertThat(listed()).contains(empty, failed).hasSize(32);
    }

    @Test
    void backupsInProgressAreNeverTouched() throws IOException {
        verify(ids.get(29), "OK");
        String running = BackupId.generate(Instant.parse("2026-11-01T01:00:00Z"));
        storage.put("orders/" + running + "/data.pgdump.zst", new byte[] {1, 2, 3});
        PruneResult result = prune(keepDaily(1), false);
        assertThat(result.decisions()).filteredOn(d -> d.id().equals(running))
                .singleElement().satisfies(d -> assertThat(d.keep()).isTrue());
        assertThat(storage.stat("orders/" + running + "/data.pgdump.zst")).isPresent();
    }

    @Test
    void aDeletionInterruptedBetweenManifestAndDataIsFinishedByTheNextPrune() throws IOException {
        verify(ids.get(29), "OK");
        String victim = ids.get(0);
        // state after a crash: marker written, manifest deleted, data still there
        storage.put(BackupRepository.backupPrefix("orders", victim) + BackupRepository.DELETING, new byte[0]);
        storage.delete(BackupRepository.manifestKey("orders", victim));
        assertThat(listed()).doesNotContain(victim);
        PruneResult result = prune(keepDaily(30), false);
        assertThat(result.finishedDeletions()).containsExactly(victim);
        assertThat(storage.list("orders/" + victim + "/")).isEmpty();
    }

    @Test
    void lockedBackupsAreReportedAsKeptByLockNotAsErrors() throws IOException {
        verify(ids.get(29), "OK");
        String lockedId = ids.get(0);
        FaultyStorage locking = new FaultyStorage(storage).lock(key -> key.startsWith("orders/" + lockedId + "/")
                && !key.endsWith(BackupRepository.DELETING)); // the marker is ours, written without a lock
        PruneResult result = new PruneOperation(log::add, Clock.fixed(NOW, ZoneOffset.UTC))
                .run(new PruneRequest(RepositorySpec.local(dir), "orders", keepDaily(7), false, "test", null), locking);
        assertThat(result.keptByLock()).containsExactly(lockedId);
        assertThat(result.deleted()).hasSize(22);
        assertThat(listed()).contains(lockedId);
    }

    @Test
    void tierSettingsOnADirectoryAreIgnoredWithOneWarningNotAnError() throws IOException {
        verify(ids.get(29), "OK");
        RepositorySpec withTiers = RepositorySpec.local(dir)
                .withTiers(TierSettings.parse("daily: STANDARD_IA, 8d; monthly: 400d"));
        for (boolean dryRun : new boolean[] {true, false}) {
            log.clear();
            PruneResult result = new PruneOperation(log::add, Clock.fixed(NOW, ZoneOffset.UTC))
                    .run(new PruneRequest(withTiers, "orders", keepDaily(7), dryRun, "test", null), storage);
            assertThat(result.warnings()).containsExactly("tier settings ignored for a local repository ("
                    + storage.describe() + "): only S3 repositories change storage classes and locks");
            assertThat(result.decisions()).allSatisfy(d -> assertThat(d.transition()).isNull());
            assertThat(log).filteredOn(l -> l.contains("tier settings ignored")).hasSize(1);
            assertThat(result.toMap().get("warnings")).isEqualTo(result.warnings());
        }
        assertThat(listed()).hasSize(7);
    }

    @Test
    void aLockedDataObjectAfterItsManifestWasDeletedIsReportedAndTheRestIsPruned() throws IOException {
        verify(ids.get(29), "OK");
        String lockedId = ids.get(3);
        FaultyStorage locking = new FaultyStorage(storage).lock(key -> key.equals("orders/" + lockedId
                + "/data.pgdump.zst"));
        PruneResult result = new PruneOperation(log::add, Clock.fixed(NOW, ZoneOffset.UTC))
                .run(new PruneRequest(RepositorySpec.local(dir), "orders", keepDaily(7), false, "test", null), locking);
        assertThat(result.keptByLock()).containsExactly(lockedId);
        assertThat(result.deleted()).hasSize(22).doesNotContain(lockedId);
        assertThat(result.warnings()).singleElement().asString().contains(lockedId).contains("partly deleted")
                .contains("retention lock");
        assertThat(listed()).doesNotContain(lockedId).hasSize(7); // its manifest is gone: no longer listed
        // the lock ended: the next prune finishes the deletion
        assertThat(prune(keepDaily(7), false).finishedDeletions()).containsExactly(lockedId);
        assertThat(storage.list("orders/" + lockedId + "/")).isEmpty();
    }

    @Test
    void aHeldLeaseStopsASecondPruneAndNamesTheHolder() throws IOException {
        verify(ids.get(29), "OK");
        try (PruneLease held = PruneLease.acquire(storage, "orders", "jenkins nightly #7", Duration.ofHours(1),
                Clock.fixed(NOW, ZoneOffset.UTC))) {
            assertThatThrownBy(() -> prune(keepDaily(7), false))
                    .isInstanceOf(PruneLease.HeldException.class).hasMessageContaining("jenkins nightly #7");
        }
        assertThat(listed()).hasSize(30);
    }

    @Test
    void keyUnavailableIsNoEvidenceEitherWay() throws IOException {
        verify(ids.get(29), "KEY_UNAVAILABLE");
        assertThat(prune(keepDaily(7), false).refusal()).contains("not verified");
    }

    @Test
    void lockedStateSurvivesAndObjectsAreOnlyThoseExpected() throws IOException {
        verify(ids.get(29), "OK");
        prune(RetentionPolicy.builder().keepLast(2).build(), false);
        assertThat(storage.list("orders/")).extracting(ObjectInfo::key)
                .allMatch(k -> k.contains(ids.get(28)) || k.contains(ids.get(29)));
    }
}
