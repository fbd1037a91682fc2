package io.jenkins.plugins.dbbackup.engine;

import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.BackupRepository;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import io.jenkins.plugins.dbbackup.engine.storage.Storage;
import io.jenkins.plugins.dbbackup.engine.storage.StorageFactory;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The engine's one entry point: back up, list, restore (verify and prune follow). Each operation takes an
 * immutable request and returns an immutable result. Operations block the calling thread; interrupting it aborts
 * the operation, stops any native tool and removes what was partly written.
 *
 * <p>Thread-safe: one engine may run several operations at once.
 */
public final class BackupEngine {
    private final EngineOptions options;
    private final ProgressListener listener;
    private final Clock clock;

    public BackupEngine(EngineOptions options, ProgressListener listener, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public BackupEngine(ProgressListener listener) {
        this(EngineOptions.defaults(), listener, Clock.systemUTC());
    }

    /**
     * Dumps a database into the repository: dump, compress, encrypt, checksum, store, manifest last.
     *
     * @throws BackupException when the backup failed; nothing that looks complete is left behind
     * @throws InterruptedException when the calling thread was interrupted; the dump is stopped and cleaned up
     */
    public BackupResult backup(BackupRequest request) throws IOException, InterruptedException {
        return new BackupOperation(options, listener, clock).run(request);
    }

    /**
     * The complete backups of a set (or of every set when {@code set} is null), oldest first.
     */
    public List<BackupManifest> list(RepositorySpec repository, String set) throws IOException {
        if (set != null) {
            SetName.check(set);
        }
        try (Storage storage = StorageFactory.open(repository)) {
            return new BackupRepository(storage).list(set);
        }
    }

    /**
     * Verifies a backup at a level; bad findings are outcomes of the returned record, not exceptions.
     *
     * @throws BackupException when the verification itself could not run (repository or scratch server unreachable)
     */
    public VerificationRecord verify(VerifyRequest request) throws IOException, InterruptedException {
        return new VerifyOperation(options, listener, clock).run(request);
    }

    /**
     * Applies a retention policy to one set (or, with {@code dryRun}, only plans it).
     *
     * @throws io.jenkins.plugins.dbbackup.engine.repository.PruneLease.HeldException when another prune of the set
     *     holds its lease
     */
    public PruneResult prune(PruneRequest request) throws IOException {
        return new PruneOperation(listener, clock).run(request);
    }

    /**
     * Checks a repository for orphan data, manifests without data, unreadable manifests, unfinished deletions,
     * stale leases and leftover temp files; with {@code repair}, removes what is provably garbage (older than
     * {@code grace}, never a complete backup).
     *
     * @param set one set, or null for the whole repository
     */
    public CheckResult check(RepositorySpec repository, String set, boolean repair, java.time.Duration grace)
            throws IOException {
        if (set != null) {
            SetName.check(set);
        }
        return new CheckOperation(listener, clock).run(repository, set, repair, grace);
    }

    /**
     * Restores a backup into a database.
     *
     * @throws BackupException when the restore failed or was refused (e.g. a non-empty target without create/clean)
     */
    public RestoreResult restore(RestoreRequest request) throws IOException, InterruptedException {
        return new RestoreOperation(options, listener, clock).run(request);
    }
}
