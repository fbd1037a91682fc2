package io.jenkins.plugins.dbbackup.engine;

import io.jenkins.plugins.dbbackup.engine.repository.BackupId;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.BackupRepository;
import io.jenkins.plugins.dbbackup.engine.repository.PruneLease;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionCandidate;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionDecision;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionPlan;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionPlanner;
import io.jenkins.plugins.dbbackup.engine.retention.Tier;
import io.jenkins.plugins.dbbackup.engine.retention.VerificationState;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectInfo;
import io.jenkins.plugins.dbbackup.engine.storage.Storage;
import io.jenkins.plugins.dbbackup.engine.storage.StorageException;
import io.jenkins.plugins.dbbackup.engine.storage.StorageFactory;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies retention to one set: under the set's prune lease, finishes deletions an earlier prune left half done,
 * plans with {@link RetentionPlanner} over the complete backups and their latest verifications, and deletes what the
 * plan removes (manifest first). A dry run takes no lease and changes nothing. The repository's tier settings are
 * applied to the backups kept ({@link TierTransitions}); a dry run shows what they would change.
 */
final class PruneOperation {
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final ProgressListener listener;
    private final Clock clock;

    PruneOperation(ProgressListener listener, Clock clock) {
        this.listener = listener;
        this.clock = clock;
    }

    PruneResult run(PruneRequest request) throws IOException {
        try (Storage storage = StorageFactory.open(request.repository())) {
            return run(request, storage);
        }
    }

    /** Prunes in a given storage (tests inject faults through it). */
    PruneResult run(PruneRequest request, Storage storage) throws IOException {
        BackupRepository repository = new BackupRepository(storage);
        if (request.dryRun()) {
            return prune(request, repository);
        }
        try (PruneLease lease = PruneLease.acquire(storage, request.set(), request.holder(), request.leaseTtl(), clock)) {
            return prune(request, repository);
        }
    }

    private PruneResult prune(PruneRequest request, BackupRepository repository) throws IOException {
        String set = request.set();
        BackupRepository.Scan scan = repository.scan(set);
        List<String> finished = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (!request.dryRun()) {
            for (String setAndId : scan.unfinishedDeletions()) {
                String id = setAndId.substring(setAndId.indexOf('/') + 1);
                try {
                    if (repository.delete(set, id) == BackupRepository.DeleteOutcome.DELETED) {
                        finished.add(id);
                        listener.info("Finished the interrupted deletion of " + set + "/" + id);
                    }
                } catch (StorageException e) {
                    if (e.kind() != StorageException.Kind.LOCKED) {
                        throw e;
                    }
                    warnings.add(e.getMessage());
                    listener.info("WARNING: " + e.getMessage());
                }
            }
        }
        if (!scan.unreadable().isEmpty()) {
            scan.unreadable().forEach(u -> listener.info("WARNING: " + u + " (not considered by retention)"));
        }
        List<RetentionCandidate> candidates = candidates(repository, scan, set);
        Instant now = clock.instant();
        RetentionPlan plan = RetentionPlanner.plan(candidates, request.policy(), now);
        listener.info("Retention for set " + set + ": " + request.policy() + (request.dryRun() ? " (dry run)" : ""));
        plan.refusal().ifPresent(r -> listener.info(r));
        Map<String, PruneResult.Transition> transitions = new TierTransitions(listener, request, repository, now)
                .run(plan, scan, warnings);
        for (RetentionDecision d : plan.decisions()) {
            PruneResult.Transition t = transitions.get(d.id());
            listener.info(String.format("  %-6s %s  %s%s", d.keep() ? "keep" : "remove", d.id(),
                    d.keep() ? String.join(", ", d.reasons()) : "", t == null ? "" : "  [" + t.summary() + "]"));
        }
        List<String> deleted = new ArrayList<>();
        List<String> locked = new ArrayList<>();
        if (!request.dryRun() && plan.refusal().isEmpty()) {
            for (RetentionDecision d : plan.toRemove()) {
                BackupRepository.DeleteOutcome outcome;
                try {
                    outcome = repository.delete(set, d.id());
                } catch (StorageException e) {
                    if (e.kind() != StorageException.Kind.LOCKED) {
                        throw e;
                    }
                    // the manifest went, a locked object stays: report and carry on with the other backups
                    locked.add(d.id());
                    warnings.add(e.getMessage());
                    listener.info("  WARNING: " + e.getMessage());
                    continue;
                }
                if (outcome == BackupRepository.DeleteOutcome.DELETED) {
                    deleted.add(d.id());
                } else {
                    locked.add(d.id());
                    listener.info("  kept by lock: " + d.id() + " (its retention lock has not expired)");
                }
            }
            listener.info("Removed " + deleted.size() + " backup(s) of set " + set
                    + (locked.isEmpty() ? "" : "; " + locked.size() + " kept by lock"));
        }
        List<PruneResult.Decision> decisions = plan.decisions().stream()
                .map(d -> new PruneResult.Decision(d.id(), d.time().toString(), d.keep(), d.reasons(),
                        d.tiers().stream().map(Tier::name).sorted().toList(), transitions.get(d.id())))
                .toList();
        return new PruneResult(set, request.policy().toString(), request.dryRun(), plan.refusal().orElse(null),
                decisions, deleted, locked, finished, warnings);
    }

    /** Complete backups with their latest verification, and backups in progress (objects but no manifest). */
    private List<RetentionCandidate> candidates(BackupRepository repository, BackupRepository.Scan scan, String set)
            throws IOException {
        Map<String, VerificationRecord> verified = repository.latestVerifications(scan);
        List<RetentionCandidate> candidates = new ArrayList<>();
        Set<String> complete = new HashSet<>();
        for (BackupManifest m : scan.complete()) {
            complete.add(m.id());
            VerificationRecord v = verified.get(m.id());
            candidates.add(RetentionCandidate.complete(m.id(), m.startedAtInstant(), state(v), m.stored().bytes()));
        }
        Set<String> unfinished = new HashSet<>(scan.unfinishedDeletions());
        Set<String> inProgress = new HashSet<>();
        for (ObjectInfo info : scan.objects()) {
            String[] parts = info.key().split("/");
            if (parts.length == 3 && BackupId.isValid(parts[1]) && !complete.contains(parts[1])
                    && !unfinished.contains(set + "/" + parts[1]) && inProgress.add(parts[1])) {
                candidates.add(RetentionCandidate.incomplete(parts[1], idTime(parts[1])));
            }
        }
        return candidates;
    }

    /**
     * A verification proves a backup good (OK), bad (a finding about the backup itself), or nothing (no key was at
     * hand, so only the checksum was proven: still no evidence against it).
     */
    static VerificationState state(VerificationRecord v) {
        if (v == null) {
            return VerificationState.NONE;
        }
        return switch (v.outcome()) {
            case "OK" -> VerificationState.OK;
            case "KEY_UNAVAILABLE" -> VerificationState.NONE;
            default -> VerificationState.FAILED;
        };
    }

    private static Instant idTime(String id) {
        return Instant.from(ID_TIME.parse(id.substring(0, 16)));
    }
}
