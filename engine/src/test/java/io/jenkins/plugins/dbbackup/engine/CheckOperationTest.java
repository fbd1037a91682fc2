package io.jenkins.plugins.dbbackup.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.dbbackup.engine.repository.BackupId;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.BackupRepository;
import io.jenkins.plugins.dbbackup.engine.repository.PruneLease;
import io.jenkins.plugins.dbbackup.engine.storage.LocalStorage;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckOperationTest {
    @TempDir
    Path dir;

    LocalStorage storage;
    BackupRepository repository;
    Instant now = Instant.now();

    @BeforeEach
    void open() throws IOException {
        storage = new LocalStorage(dir);
        repository = new BackupRepository(storage);
    }

    BackupManifest store(String set, Instant started, int dataBytes) throws IOException {
        String id = BackupId.generate(started);
        BackupManifest m = new BackupManifest(1, id, set, "postgresql-custom", "data.pgdump.zst",
                new BackupManifest.Source("postgresql", "db", 5432, set, "u", "15"), new BackupManifest.Tool("pg_dump", "15"),
                started.toString(), started.toString(), new BackupManifest.Content(10, "a"),
                new BackupManifest.Content(dataBytes, "b"), new BackupManifest.CompressionInfo("zstd", 3), null,
                new BackupManifest.VerificationData(Map.of(), null, "x"));
        storage.put(BackupRepository.dataKey(m), new byte[dataBytes]);
        repository.commit(m);
        return m;
    }

    CheckResult check(boolean repair) throws IOException {
        return new CheckOperation(ProgressListener.NONE, Clock.fixed(now, ZoneOffset.UTC))
                .run(storage, null, repair, Duration.ofHours(24));
    }

    void age(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.toList()) {
                Files.setLastModifiedTime(f, FileTime.from(now.minus(Duration.ofDays(3))));
            }
        }
    }

    @Test
    void aCleanRepositoryIsHealthy() throws IOException {
        store("orders", now.minus(Duration.ofDays(1)), 5);
        CheckResult result = check(false);
        assertThat(result.healthy()).isTrue();
        assertThat(result.completeBackups()).isEqualTo(1);
    }

    @Test
    void findsEveryKindOfProblemAndRepairsOnlyGarbage() throws Exception {
        BackupManifest good = store("orders", now.minus(Duration.ofDays(5)), 5);
        BackupManifest noData = store("orders", now.minus(Duration.ofDays(4)), 5);
        storage.delete(BackupRepository.dataKey(noData));
        BackupManifest wrongSize = store("orders", now.minus(Duration.ofDays(4)), 5);
        storage.put(BackupRepository.dataKey(wrongSize), new byte[3]);
        String orphan = BackupId.generate(now.minus(Duration.ofDays(3)));
        storage.put("orders/" + orphan + "/data.pgdump.zst", new byte[7]);
        String running = BackupId.generate(now.minusSeconds(60));
        storage.put("orders/" + running + "/data.pgdump.zst", new byte[7]);
        String broken = BackupId.generate(now.minus(Duration.ofDays(2)));
        storage.put("orders/" + broken + "/manifest.json", "{".getBytes(StandardCharsets.UTF_8));
        BackupManifest halfDeleted = store("orders", now.minus(Duration.ofDays(6)), 5);
        storage.put(BackupRepository.backupPrefix("orders", halfDeleted.id()) + BackupRepository.DELETING, new byte[0]);
        PruneLease.acquire(storage, "orders", "crashed prune", Duration.ofMinutes(5),
                Clock.fixed(now.minus(Duration.ofHours(2)), ZoneOffset.UTC));
        storage.put("stray.txt", new byte[1]);
        ObjectWriter abandoned = storage.create("users/" + BackupId.generate(now) + "/data.sql");
        abandoned.write(new byte[10]);
        abandoned.flush(); // a temp file as a killed process leaves it
        age(dir.resolve("orders/" + orphan));
        for (Path temp : storage.leftoverTempFiles()) {
            Files.setLastModifiedTime(temp, FileTime.from(now.minus(Duration.ofDays(3))));
        }

        CheckResult found = check(false);
        assertThat(found.findings()).extracting(f -> f.kind() + " " + f.where()).contains(
                "MISSING_DATA orders/" + noData.id(),
                "SIZE_MISMATCH orders/" + wrongSize.id(),
                "ORPHAN_DATA orders/" + orphan,
                "IN_PROGRESS orders/" + running,
                "UNFINISHED_DELETION orders/" + halfDeleted.id(),
                "STALE_LEASE orders/prune.lease",
                "UNKNOWN_OBJECT stray.txt");
        assertThat(found.findings()).anyMatch(f -> f.kind() == CheckResult.Kind.UNREADABLE_MANIFEST);
        assertThat(found.findings()).anyMatch(f -> f.kind() == CheckResult.Kind.LEFTOVER_TEMP && f.repairable());
        assertThat(found.healthy()).isFalse();
        assertThat(found.repaired()).isEmpty();

        CheckResult repaired = check(true);
        assertThat(repaired.repaired()).contains("orders/" + orphan, "orders/" + halfDeleted.id(), "orders/prune.lease");
        assertThat(storage.list("orders/" + orphan + "/")).isEmpty();
        assertThat(storage.list("orders/" + running + "/")).isNotEmpty(); // too young to be garbage
        assertThat(storage.leftoverTempFiles()).isEmpty();
        // complete backups are never touched, even damaged ones: they need a human
        assertThat(repository.list("orders")).extracting(BackupManifest::id)
                .contains(good.id(), noData.id(), wrongSize.id());
        assertThat(storage.stat("stray.txt")).isPresent();
        abandoned.close();

        List<CheckResult.Kind> left = check(false).findings().stream().map(CheckResult.Finding::kind).toList();
        assertThat(left).doesNotContain(CheckResult.Kind.ORPHAN_DATA, CheckResult.Kind.UNFINISHED_DELETION,
                CheckResult.Kind.STALE_LEASE, CheckResult.Kind.LEFTOVER_TEMP);
    }
}
