package io.jenkins.plugins.dbbackup.engine;

import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
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
 * @param noOwner PostgreSQL: do not restore ownership ({@code pg_restore --no-owner}); objects belong to the
 *     restoring user
 * @param noPrivileges PostgreSQL: do not restore grants ({@code pg_restore --no-privileges})
 * @param schemas PostgreSQL: restore only objects in these schemas ({@code pg_restore --schema}); empty for all.
 *     Exact names as stored (case-sensitive, unquoted), not patterns
 * @param tables PostgreSQL: restore only these tables ({@code pg_restore --table}), within {@code schemas} when
 *     both are given; empty for all. Exact names as stored, without the schema
 * @param safetyEncryption what the safety backup is encrypted to instead of the default, which matches the backup
 *     restored (its passphrase, or the public part of the secret key that decrypts it); null for the default. When
 *     given it must encrypt (a key or a passphrase), and the safety backup must be on
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
        String redisDataDirectory,
        boolean noOwner,
        boolean noPrivileges,
        List<String> schemas,
        List<String> tables,
        EncryptionSettings safetyEncryption)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;

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
        if (safetyEncryption != null && !safetyEncryption.enabled()) {
            throw new IllegalArgumentException("the safety backup's encryption names no public key and no passphrase:"
                    + " give one, or leave it out to encrypt the safety backup like the backup restored");
        }
        if (safetyEncryption != null && !safetyBackup) {
            throw new IllegalArgumentException("an encryption for the safety backup is given, but the safety backup is"
                    + " turned off: leave one of the two out");
        }
        schemas = names(schemas, "schema");
        tables = names(tables, "table");
        if (target.type() != DatabaseType.POSTGRESQL) {
            String option = !tables.isEmpty() ? "a table subset (tables " + String.join(", ", tables) + ")"
                    : !schemas.isEmpty() ? "a schema subset (schemas " + String.join(", ", schemas) + ")"
                    : noOwner ? "no-owner" : noPrivileges ? "no-privileges" : null;
            if (option != null) {
                throw new IllegalArgumentException(option + " applies to PostgreSQL only, and this restore is into "
                        + target.type().id() + ": leave it out");
            }
        }
    }

    /** A restore whose safety backup, if any, is encrypted like the backup restored. */
    public RestoreRequest(RepositorySpec repository, String set, String backupId, Instant at, DatabaseConnection target,
            boolean create, boolean clean, boolean safetyBackup, DecryptionKeys keys, int jobs, String redisMode,
            String redisDataDirectory, boolean noOwner, boolean noPrivileges, List<String> schemas,
            List<String> tables) {
        this(repository, set, backupId, at, target, create, clean, safetyBackup, keys, jobs, redisMode,
                redisDataDirectory, noOwner, noPrivileges, schemas, tables, null);
    }

    /** A restore without Redis or PostgreSQL options. */
    public RestoreRequest(RepositorySpec repository, String set, String backupId, Instant at, DatabaseConnection target,
            boolean create, boolean clean, boolean safetyBackup, DecryptionKeys keys, int jobs, String redisMode,
            String redisDataDirectory) {
        this(repository, set, backupId, at, target, create, clean, safetyBackup, keys, jobs, redisMode,
                redisDataDirectory, false, false, List.of(), List.of());
    }

    /** A restore without Redis options. */
    public RestoreRequest(RepositorySpec repository, String set, String backupId, Instant at, DatabaseConnection target,
            boolean create, boolean clean, boolean safetyBackup, DecryptionKeys keys, int jobs) {
        this(repository, set, backupId, at, target, create, clean, safetyBackup, keys, jobs, null, null);
    }

    /** This request with the PostgreSQL restore options set. */
    public RestoreRequest withPostgresOptions(boolean noOwner, boolean noPrivileges, List<String> schemas,
            List<String> tables) {
        return new RestoreRequest(repository, set, backupId, at, target, create, clean, safetyBackup, keys, jobs,
                redisMode, redisDataDirectory, noOwner, noPrivileges, schemas, tables, safetyEncryption);
    }

    /** This request with the safety backup encrypted to {@code encryption}; null for the default (as restored). */
    public RestoreRequest withSafetyEncryption(EncryptionSettings encryption) {
        return new RestoreRequest(repository, set, backupId, at, target, create, clean, safetyBackup, keys, jobs,
                redisMode, redisDataDirectory, noOwner, noPrivileges, schemas, tables, encryption);
    }

    /** Whether only part of the backup is restored (a schema or table subset). */
    public boolean subset() {
        return !schemas.isEmpty() || !tables.isEmpty();
    }

    /** The subset in words, e.g. {@code schemas sales; tables orders, items}; null when everything is restored. */
    public String describeSubset() {
        if (!subset()) {
            return null;
        }
        List<String> parts = new java.util.ArrayList<>();
        if (!schemas.isEmpty()) {
            parts.add((schemas.size() == 1 ? "schema " : "schemas ") + String.join(", ", schemas));
        }
        if (!tables.isEmpty()) {
            parts.add((tables.size() == 1 ? "table " : "tables ") + String.join(", ", tables));
        }
        return String.join("; ", parts);
    }

    /** The names checked, duplicates dropped, order kept; an empty list for null. */
    private static List<String> names(List<String> names, String what) {
        if (names == null) {
            return List.of();
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a " + what + " name is empty: give the " + what
                        + "'s name as stored, e.g. " + ("schema".equals(what) ? "sales" : "orders"));
            }
            if (name.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("the " + what + " name '" + name.replaceAll("\\p{Cntrl}", "?")
                        + "' contains a control character");
            }
            unique.add(name);
        }
        return List.copyOf(unique);
    }

    /** How a Redis restore reaches the server. */
    public io.jenkins.plugins.dbbackup.engine.source.redis.RedisRestoreTarget redisTarget() {
        return "file".equals(redisMode)
                ? io.jenkins.plugins.dbbackup.engine.source.redis.RedisRestoreTarget.file(
                        java.nio.file.Path.of(redisDataDirectory))
                : io.jenkins.plugins.dbbackup.engine.source.redis.RedisRestoreTarget.commands();
    }
}
