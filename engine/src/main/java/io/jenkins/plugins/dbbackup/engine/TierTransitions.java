package io.jenkins.plugins.dbbackup.engine;

import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.BackupRepository;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionDecision;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionPlan;
import io.jenkins.plugins.dbbackup.engine.retention.TierSettings;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectInfo;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectOptions.RetentionLock;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectTransitions;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectTransitions.ObjectState;
import io.jenkins.plugins.dbbackup.engine.storage.StorageException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies a repository's {@link TierSettings} to the backups a retention plan keeps: for each object of such a backup,
 * reads its storage class and lock (HEAD), and where the tiers ask for more, changes the class (server-side copy,
 * carrying the lock along) and extends the lock. Only ever extends a lock. What is in place already is left alone, so
 * a second prune changes nothing: the store's own state is the record of what was applied.
 *
 * <p>A dry run reads the state and reports the changes without making them. A refused plan transitions nothing. A
 * store failure for one backup is reported on that backup and as a warning, and the others carry on.
 */
final class TierTransitions {
    private final ProgressListener listener;
    private final PruneRequest request;
    private final BackupRepository repository;
    private final Instant now;

    TierTransitions(ProgressListener listener, PruneRequest request, BackupRepository repository, Instant now) {
        this.listener = listener;
        this.request = request;
        this.repository = repository;
        this.now = now;
    }

    /** The transition of each kept backup the tier settings ask something of, by id. */
    Map<String, PruneResult.Transition> run(RetentionPlan plan, BackupRepository.Scan scan, List<String> warnings)
            throws IOException {
        TierSettings tiers = request.repository().tiers();
        if (tiers.isEmpty() || plan.refusal().isPresent()) {
            return Map.of();
        }
        Optional<ObjectTransitions> capability = repository.storage().transitions();
        if (capability.isEmpty()) {
            String warning = "tier settings ignored for a " + (request.repository().isLocal() ? "local " : "")
                    + "repository (" + repository.describe() + "): only S3 repositories change storage classes and"
                    + " locks";
            warnings.add(warning);
            listener.info("WARNING: " + warning);
            return Map.of();
        }
        Set<String> complete = new HashSet<>();
        for (BackupManifest m : scan.complete()) {
            complete.add(m.id());
        }
        Map<String, PruneResult.Transition> result = new HashMap<>();
        for (RetentionDecision d : plan.toKeep()) {
            if (!complete.contains(d.id())) {
                continue; // in progress: not ours to touch
            }
            TierSettings.Target target = tiers.target(d.tiers(), d.time(), now, request.policy().zone());
            if (target.isEmpty()) {
                continue;
            }
            PruneResult.Transition t = transition(capability.get(), scan, d.id(), target);
            result.put(d.id(), t);
            if (t.outcome().startsWith("failed")) {
                warnings.add("backup " + request.set() + "/" + d.id() + ": tier settings not applied: "
                        + t.outcome().substring("failed: ".length()));
            }
        }
        return result;
    }

    private PruneResult.Transition transition(ObjectTransitions store, BackupRepository.Scan scan, String id,
            TierSettings.Target target) throws IOException {
        String prefix = BackupRepository.backupPrefix(request.set(), id);
        List<String> changes = new ArrayList<>();
        String failure = null;
        for (ObjectInfo info : scan.objects()) {
            if (!info.key().startsWith(prefix) || info.key().equals(prefix + BackupRepository.DELETING)) {
                continue;
            }
            String name = info.key().substring(prefix.length());
            try {
                ObjectState state = store.state(info.key());
                String problem = apply(store, info.key(), name, state, target, changes);
                failure = failure == null ? problem : failure;
            } catch (StorageException e) {
                if (e.kind() == StorageException.Kind.NOT_FOUND) {
                    continue; // removed since the scan: nothing to transition
                }
                failure = failure == null ? e.getMessage() : failure;
            }
        }
        String outcome = failure != null ? "failed: " + failure
                : changes.isEmpty() ? "already applied"
                : request.dryRun() ? "planned" : "applied";
        if (!request.dryRun() && !changes.isEmpty()) {
            listener.info("  " + id + ": " + String.join("; ", changes) + (failure == null ? "" : " (failed: "
                    + failure + ")"));
        }
        return new PruneResult.Transition(target.tiers(), target.storageClass(),
                target.retainUntil() == null ? null : target.retainUntil().toString(), changes, outcome);
    }

    /**
     * Plans (and unless a dry run makes) the changes of one object; returns a failure message, or null. A class change
     * that fails (an object over 5 GiB on S3) does not stop the lock extension of the same object.
     */
    private String apply(ObjectTransitions store, String key, String name, ObjectState state,
            TierSettings.Target target, List<String> changes) throws IOException {
        boolean moveClass = target.storageClass() != null && !target.storageClass().equals(state.storageClass());
        RetentionLock current = state.lock() != null && state.lock().retainUntil().isAfter(now) ? state.lock() : null;
        RetentionLock wanted = null;
        String problem = null;
        if (target.retainUntil() != null && target.retainUntil().isAfter(now)
                && (current == null || current.retainUntil().isBefore(target.retainUntil()))) {
            RetentionLock.Mode mode = current != null ? current.mode() : defaultMode();
            if (mode == null) {
                problem = name + ": no object lock mode is configured for the repository, so no lock is set";
            } else {
                wanted = new RetentionLock(mode, target.retainUntil());
            }
        }
        if (moveClass) {
            changes.add(name + ": storage class " + state.storageClass() + " -> " + target.storageClass());
        }
        if (wanted != null) {
            changes.add(name + ": locked until " + wanted.retainUntil() + " (" + wanted.mode() + (current == null
                    ? ", was not locked)" : ", was until " + current.retainUntil() + ")"));
        }
        if (request.dryRun()) {
            return problem;
        }
        boolean lockDone = false;
        if (moveClass) {
            try {
                // the copy is a new version: it carries the lock (extended if wanted) so it is protected too
                store.changeStorageClass(key, target.storageClass(), wanted != null ? wanted : current);
                lockDone = true;
            } catch (StorageException e) {
                if (e.kind() != StorageException.Kind.PERMANENT) {
                    throw e;
                }
                problem = e.getMessage();
            }
        }
        if (wanted != null && !lockDone) {
            store.extendLock(key, wanted);
        }
        return problem;
    }

    private RetentionLock.Mode defaultMode() {
        RepositorySpec.S3Settings s3 = request.repository().s3();
        return s3 == null || s3.objectLockMode() == null || s3.objectLockMode().isBlank() ? null
                : RetentionLock.Mode.parse(s3.objectLockMode());
    }
}
