package io.jenkins.plugins.dbbackup.engine;

import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * Which backup to restore, and into what.
 *
 * @param repository where the backup lives
 * @param set the series to choose from
 * @param backupId a backup id, or {@code latest}; null together with {@code at} null means latest
 * @param at choose the newest complete backup at or before this time; null for none
 * @param target the database to restore into (its {@code database} is the target database name)
 * @param create create the target database (fails if it exists)
 * @param clean replace the content of an existing target database
 * @param safetyBackup back up an existing target first, into set {@code <set>-pre-restore}
 * @param keys keys to decrypt an encrypted backup; null when not encrypted
 * @param jobs parallel restore jobs where the format allows (PostgreSQL custom format); 1 for serial
 */
public record RestoreRequest(
        RepositorySpec repository,
        String set,
        String backupId,
        Instant at,
        DatabaseConnection target,
        boolean create,
        boolean clean,
        boolean safetyBackup,
        DecryptionKeys keys,
        int jobs)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public RestoreRequest {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(target, "target");
        if (set != null) {
            SetName.check(set);
        }
        if (backupId != null && at != null && !"latest".equals(backupId)) {
            throw new IllegalArgumentException("give either a backup id or a point in time (at), not both");
        }
        if (create && clean) {
            throw new IllegalArgumentException("create and clean exclude each other: create makes a new database,"
                    + " clean replaces the content of an existing one");
        }
        if (jobs < 1 || jobs > 64) {
            throw new IllegalArgumentException("jobs " + jobs + " is out of range: use 1 to 64");
        }
    }
}
