package io.jenkins.plugins.dbbackup.engine.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.storage.LocalStorage;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectInfo;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectWriter;
import io.jenkins.plugins.dbbackup.engine.storage.Storage;
import io.jenkins.plugins.dbbackup.engine.storage.StorageException;
import io.jenkins.plugins.dbbackup.engine.storage.FaultyStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRepositoryTest {
    @TempDir
    Path dir;

    LocalStorage storage;
    BackupRepository repository;

    @BeforeEach
    void open() throws IOException {
        storage = new LocalStorage(dir);
        repository = new BackupRepository(storage);
    }

    static BackupManifest manifest(String set, String id, String startedAt) {
        BackupManifest s = ManifestCodecTest.sample();
        return new BackupManifest(1, id, set, s.kind(), "data.pgdump.zst", s.source(), s.tool(), startedAt,
                startedAt, s.original(), s.stored(), s.compression(), null, s.verification());
    }

    String store(String set, String startedAt) throws IOException {
        String id = BackupId.generate(Instant.parse(startedAt));
        BackupManifest m = manifest(set, id, startedAt);
        storage.put(BackupRepository.dataKey(m), "data".getBytes(StandardCharsets.UTF_8));
        repository.commit(m);
        return id;
    }

    @Test
    void listsOnlyCompleteBackupsOldestFirst() throws IOException {
        String b = store("orders", "2026-11-02T00:00:00Z");
        String a = store("orders", "2026-11-01T00:00:00Z");
        store("users", "2026-11-03T00:00:00Z");
        // data without a manifest: in progress or abandoned, never listed
        storage.put("orders/" + BackupId.generate(Instant.parse("2026-11-04T00:00:00Z")) + "/data.pgdump.zst", new byte[1]);
        assertThat(repository.list("orders")).extracting(BackupManifest::id).containsExactly(a, b);
        assertThat(repository.list(null)).hasSize(3);
    }

    @Test
    void manyManifestsAreReadTogetherAndListedOldestFirst() throws IOException {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add(store("orders", Instant.parse("2026-01-01T00:00:00Z").plusSeconds(3600L * (199 - i)).toString()));
        }
        String broken = BackupId.generate(Instant.parse("2026-11-05T00:00:00Z"));
        storage.put("orders/" + broken + "/manifest.json", "{ broken".getBytes(StandardCharsets.UTF_8));
        BackupRepository.Scan scan = repository.scan("orders");
        java.util.Collections.reverse(ids);
        assertThat(scan.complete()).extracting(BackupManifest::id).containsExactlyElementsOf(ids);
        assertThat(scan.unreadable()).singleElement().asString().contains(broken);
    }

    @Test
    void aFailedReadAmongManyFailsTheListingWithItsOwnMessage() throws IOException {
        for (int i = 0; i < 100; i++) {
            store("orders", Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * i).toString());
        }
        String victim = storage.list("orders/").stream().map(ObjectInfo::key)
                .filter(k -> k.endsWith("/manifest.json")).skip(50).findFirst().orElseThrow();
        BackupRepository failing = new BackupRepository(new Storage() {
            @Override
            public String describe() {
                return storage.describe();
            }

            @Override
            public ObjectWriter create(String key) throws IOException {
                return storage.create(key);
            }

            @Override
            public java.io.InputStream open(String key) throws IOException {
                if (key.equals(victim)) {
                    throw new StorageException(StorageException.Kind.PERMANENT, "cannot read " + key + ": denied");
                }
                return storage.open(key);
            }

            @Override
            public java.util.Optional<ObjectInfo> stat(String key) throws IOException {
                return storage.stat(key);
            }

            @Override
            public List<ObjectInfo> list(String prefix) throws IOException {
                return storage.list(prefix);
            }

            @Override
            public void delete(String key) throws IOException {
                storage.delete(key);
            }
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> failing.list("orders"))
                .isInstanceOf(StorageException.class).hasMessage("cannot read " + victim + ": denied");
    }

    @Test
    void unreadableManifestsAreReportedNotListed() throws IOException {
        store("orders", "2026-11-01T00:00:00Z");
        String id = BackupId.generate(Instant.parse("2026-11-05T00:00:00Z"));
        storage.put("orders/" + id + "/manifest.json", "{ broken".getBytes(StandardCharsets.UTF_8));
        BackupRepository.Scan scan = repository.scan("orders");
        assertThat(scan.complete()).hasSize(1);
        assertThat(scan.unreadable()).singleElement().asString().contains("not valid JSON");
    }

    @Test
    void deleteRemovesEverythingAndTheMarkerLast() throws IOException {
        String id = store("orders", "2026-11-01T00:00:00Z");
        repository.recordVerification(new VerificationRecord(1, id, "orders", "checksum", "OK", List.of(),
                "2026-11-01T01:00:00Z", 1, 0, 0, null));
        assertThat(repository.delete("orders", id)).isEqualTo(BackupRepository.DeleteOutcome.DELETED);
        assertThat(storage.list("")).isEmpty();
    }

    @Test
    void aDeletionThatStoppedHalfwayIsNeverListedAndIsReported() throws IOException {
        String id = store("orders", "2026-11-01T00:00:00Z");
        // the state a crash right after writing the marker leaves: manifest and data still there
        storage.put(BackupRepository.backupPrefix("orders", id) + BackupRepository.DELETING, new byte[0]);
        BackupRepository.Scan scan = repository.scan("orders");
        assertThat(scan.complete()).isEmpty();
        assertThat(scan.unfinishedDeletions()).containsExactly("orders/" + id);
        assertThat(repository.delete("orders", id)).isEqualTo(BackupRepository.DeleteOutcome.DELETED);
        assertThat(storage.list("")).isEmpty();
    }

    @Test
    void verificationsAreReadBackNewestLast() throws IOException {
        String id = store("orders", "2026-11-01T00:00:00Z");
        repository.recordVerification(new VerificationRecord(1, id, "orders", "checksum", "CHECKSUM_MISMATCH",
                List.of("x"), "2026-11-01T01:00:00Z", 1, 0, 0, null));
        repository.recordVerification(new VerificationRecord(1, id, "orders", "restore", "OK", List.of(),
                "2026-11-02T01:00:00Z", 1, 2, 3, "postgresql://x@h:1/s"));
        storage.put(BackupRepository.backupPrefix("orders", id) + "verify-garbage.json", new byte[] {1, 2});
        assertThat(repository.verifications("orders", id)).extracting(VerificationRecord::outcome)
                .containsExactly("CHECKSUM_MISMATCH", "OK");
        assertThat(repository.latestVerification("orders", id)).get().extracting(VerificationRecord::level)
                .isEqualTo("restore");
        // a verification record does not make the backup look different in the listing
        assertThat(repository.list("orders")).hasSize(1);
    }

    @Test
    void lockedManifestIsReportedAndTheBackupStaysWhole() throws IOException {
        String id = store("orders", "2026-11-01T00:00:00Z");
        BackupRepository locked = new BackupRepository(
                new FaultyStorage(storage).lock(key -> key.endsWith(BackupRepository.MANIFEST)));
        assertThat(locked.delete("orders", id)).isEqualTo(BackupRepository.DeleteOutcome.LOCKED);
        assertThat(repository.list("orders")).extracting(BackupManifest::id).containsExactly(id);
        assertThat(storage.list("")).extracting(ObjectInfo::key).noneMatch(k -> k.endsWith(BackupRepository.DELETING));
    }
    @Test
    void aManifestLargerThanTheLimitIsReportedUnreadableWithoutBeingReadWhole() throws IOException {
        String good = store("orders", "2026-11-01T00:00:00Z");
        String id = BackupId.generate(Instant.parse("2026-11-02T00:00:00Z"));
        byte[] huge = new byte[BackupRepository.MAX_MANIFEST_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        storage.put(BackupRepository.manifestKey("orders", id), huge);

        BackupRepository.Scan scan = repository.scan("orders");
        assertThat(scan.complete()).extracting(BackupManifest::id).containsExactly(good);
        assertThat(scan.unreadable()).singleElement().asString()
                .contains(id).contains("has more than " + BackupRepository.MAX_MANIFEST_BYTES + " bytes");
        assertThatThrownBy(() -> repository.find("orders", id))
                .isInstanceOf(ManifestCodec.InvalidManifestException.class).hasMessageContaining("more than");
    }

    @Test
    void aVerificationRecordLargerThanTheLimitCountsAsAbsent() throws IOException {
        String id = store("orders", "2026-11-01T00:00:00Z");
        byte[] huge = new byte[BackupRepository.MAX_RECORD_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        storage.put(BackupRepository.backupPrefix("orders", id) + "verify-20261101T010000Z-0000.json", huge);
        assertThat(repository.verifications("orders", id)).isEmpty();
    }
}
