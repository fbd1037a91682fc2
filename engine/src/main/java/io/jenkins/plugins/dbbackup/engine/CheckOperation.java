package io.jenkins.plugins.dbbackup.engine;

import io.jenkins.plugins.dbbackup.engine.repository.BackupId;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.BackupRepository;
import io.jenkins.plugins.dbbackup.engine.repository.PruneLease;
import io.jenkins.plugins.dbbackup.engine.storage.LocalStorage;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectInfo;
import io.jenkins.plugins.dbbackup.engine.storage.Storage;
import io.jenkins.plugins.dbbackup.engine.storage.StorageFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scans a repository for what does not belong: orphan data, manifests without data, unreadable manifests,
 * unfinished deletions, stale leases, temp files, unknown objects. Repair removes only what is provably garbage
 * (older than the grace period) and never touches a complete backup.
 */
final class CheckOperation {
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final ProgressListener listener;
    private final Clock clock;

    CheckOperation(ProgressListener listener, Clock clock) {
        this.listener = listener;
        this.clock = clock;
    }

    CheckResult run(RepositorySpec spec, String set, boolean repair, Duration grace) throws IOException {
        try (Storage storage = StorageFactory.open(spec)) {
            return run(storage, set, repair, grace);
        }
    }

    CheckResult run(Storage storage, String set, boolean repair, Duration grace) throws IOException {
        BackupRepository repository = new BackupRepository(storage);
        BackupRepository.Scan scan = repository.scan(set);
        Instant cutoff = clock.instant().minus(grace);
        List<CheckResult.Finding> findings = new ArrayList<>();

        Map<String, List<ObjectInfo>> byBackup = new HashMap<>();
        for (ObjectInfo info : scan.objects()) {
            String[] parts = info.key().split("/");
            if (parts.length == 3 && BackupId.isValid(parts[1])) {
                byBackup.computeIfAbsent(parts[0] + "/" + parts[1], k -> new ArrayList<>()).add(info);
            } else if (parts.length == 2 && parts[1].equals(PruneLease.NAME)) {
                leaseFinding(storage, parts[0]).ifPresent(findings::add);
            } else {
                findings.add(new CheckResult.Finding(CheckResult.Kind.UNKNOWN_OBJECT, info.key(),
                        "not part of the repository layout; left alone", false));
            }
        }
        Map<String, BackupManifest> complete = new HashMap<>();
        scan.complete().forEach(m -> complete.put(m.set() + "/" + m.id(), m));
        for (String message : scan.unreadable()) {
            findings.add(new CheckResult.Finding(CheckResult.Kind.UNREADABLE_MANIFEST, message.split(" ")[0], message,
                    false));
        }
        for (String unfinished : scan.unfinishedDeletions()) {
            findings.add(new CheckResult.Finding(CheckResult.Kind.UNFINISHED_DELETION, unfinished,
                    "a prune began deleting this backup and stopped; the next prune or --repair finishes it", true));
        }
        for (Map.Entry<String, List<ObjectInfo>> entry : byBackup.entrySet()) {
            String where = entry.getKey();
            if (scan.unfinishedDeletions().contains(where)) {
                continue;
            }
            BackupManifest manifest = complete.get(where);
            boolean hasManifest = entry.getValue().stream().anyMatch(o -> o.key().endsWith("/" + BackupRepository.MANIFEST));
            if (manifest != null) {
                String dataKey = BackupRepository.dataKey(manifest);
                Optional<ObjectInfo> data = entry.getValue().stream().filter(o -> o.key().equals(dataKey)).findFirst();
                if (data.isEmpty()) {
                    findings.add(new CheckResult.Finding(CheckResult.Kind.MISSING_DATA, where,
                            "the manifest names " + manifest.dataObject() + ", which does not exist: this backup cannot"
                                    + " be restored", false));
                } else if (data.get().size() != manifest.stored().bytes()) {
                    findings.add(new CheckResult.Finding(CheckResult.Kind.SIZE_MISMATCH, where,
                            manifest.dataObject() + " has " + data.get().size() + " bytes, the manifest recorded "
                                    + manifest.stored().bytes() + ": verify it", false));
                }
            } else if (!hasManifest) {
                Instant newest = entry.getValue().stream().map(ObjectInfo::lastModified).max(Comparator.naturalOrder())
                        .orElse(Instant.EPOCH);
                Instant started = Instant.from(ID_TIME.parse(where.substring(where.indexOf('/') + 1, where.indexOf('/') + 17)));
                boolean old = newest.isBefore(cutoff) && started.isBefore(cutoff);
                findings.add(new CheckResult.Finding(old ? CheckResult.Kind.ORPHAN_DATA : CheckResult.Kind.IN_PROGRESS,
                        where, old ? "objects without a manifest, untouched since " + newest
                                + ": a failed or abandoned backup" : "objects without a manifest, written recently:"
                                + " probably a backup still running", old));
            }
        }
        if (storage instanceof LocalStorage local) {
            for (Path temp : local.leftoverTempFiles()) {
                Instant modified = Files.getLastModifiedTime(temp).toInstant();
                boolean old = modified.isBefore(cutoff);
                findings.add(new CheckResult.Finding(CheckResult.Kind.LEFTOVER_TEMP, local.root().relativize(temp).toString(),
                        "temporary file of an interrupted write, last modified " + modified
                                + (old ? "" : " (recent: perhaps still being written)"), old));
            }
        }
        findings.sort(Comparator.comparing(CheckResult.Finding::where).thenComparing(f -> f.kind().name()));
        List<String> repaired = repair ? repair(storage, repository, findings) : List.of();
        findings.forEach(f -> listener.info(f.kind() + " " + f.where() + ": " + f.detail()));
        return new CheckResult(scan.complete().size(), findings, repaired);
    }

    private Optional<CheckResult.Finding> leaseFinding(Storage storage, String set) throws IOException {
        Optional<PruneLease.Content> lease = PruneLease.current(storage, set);
        if (lease.isEmpty()) {
            return Optional.empty();
        }
        Instant expires;
        try {
            expires = Instant.parse(lease.get().expiresAt());
        } catch (RuntimeException e) {
            expires = Instant.EPOCH;
        }
        if (expires.isAfter(clock.instant())) {
            return Optional.empty(); // a prune is running
        }
        return Optional.of(new CheckResult.Finding(CheckResult.Kind.STALE_LEASE, PruneLease.key(set),
                "prune lease of " + lease.get().holder() + " expired " + lease.get().expiresAt(), true));
    }

    private List<String> repair(Storage storage, BackupRepository repository, List<CheckResult.Finding> findings)
            throws IOException {
        List<String> repaired = new ArrayList<>();
        for (CheckResult.Finding f : findings) {
            if (!f.repairable()) {
                continue;
            }
            switch (f.kind()) {
                case ORPHAN_DATA, UNFINISHED_DELETION -> {
                    String[] parts = f.where().split("/");
                    if (repository.find(parts[0], parts[1]).isPresent() && f.kind() == CheckResult.Kind.ORPHAN_DATA) {
                        continue; // a manifest appeared meanwhile: complete after all
                    }
                    repository.delete(parts[0], parts[1]);
                }
                case STALE_LEASE -> storage.delete(f.where());
                case LEFTOVER_TEMP -> Files.deleteIfExists(((LocalStorage) storage).root().resolve(f.where()));
                default -> {
                    continue;
                }
            }
            repaired.add(f.where());
            listener.info("repaired: removed " + f.where() + " (" + f.kind() + ")");
        }
        return repaired;
    }
}
