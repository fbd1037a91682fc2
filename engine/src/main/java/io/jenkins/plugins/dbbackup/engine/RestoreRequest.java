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
 * @param redisMode for Redis: {@code commands} (default: replay every key into the running server with
 *     {@code RESTORE}) or {@code file} (place {@code dump.rdb} into the server's data directory; stopping and
 *     starting the server is the user's business); null for other databases
 * @param redisDataDirectory for the Redis {@code file} mode: the server's data directory
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
        int jobs,
        String redisMode,
        String redisDataDirectory)
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
        if (redisMode != null && !redisMode.equals("commands") && !redisMode.equals("file")) {
            throw new IllegalArgumentException("Redis restore mode '" + redisMode + "' is unknown: use commands (replay"
                    + " into the running server) or file (place dump.rdb into its data directory)");
        }
        if ("file".equals(redisMode) && (redisDataDirectory == null || redisDataDirectory.isBlank())) {
            throw new IllegalArgumentException("the Redis file restore needs the server's data directory");
        }
    }

    /** A restore without Redis options. */
    public RestoreRequest(RepositorySpec repository, String set, String backupId, Instant at, DatabaseConnection target,
            boolean create, boolean clean, boolean safetyBackup, DecryptionKeys keys, int jobs) {
        this(repository, set, backupId, at, target, create, clean, safetyBackup, keys, jobs, null, null);
    }

    /** How a Redis restore reaches the server. */
    public io.jenkins.plugins.dbbackup.engine.source.redis.RedisRestoreTarget redisTarget() {
        return "file".equals(redisMode)
                ? io.jenkins.plugins.dbbackup.engine.source.redis.RedisRestoreTarget.file(
                        java.nio.file.Path.of(redisDataDirectory))
                : io.jenkins.plugins.dbbackup.engine.source.redis.RedisRestoreTarget.commands();
    }
}
