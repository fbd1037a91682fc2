package io.jenkins.plugins.dbbackup.engine;

import io.jenkins.plugins.dbbackup.engine.codec.Compression;
import io.jenkins.plugins.dbbackup.engine.codec.CompressionSettings;
import io.jenkins.plugins.dbbackup.engine.codec.DigestingInputStream;
import io.jenkins.plugins.dbbackup.engine.codec.ReadPipeline;
import io.jenkins.plugins.dbbackup.engine.process.Scrubber;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.BackupRepository;
import io.jenkins.plugins.dbbackup.engine.source.DatabaseSource;
import io.jenkins.plugins.dbbackup.engine.source.Sources;
import io.jenkins.plugins.dbbackup.engine.source.postgres.PostgresSource;
import io.jenkins.plugins.dbbackup.engine.source.redis.RedisSource;
import io.jenkins.plugins.dbbackup.engine.storage.Storage;
import io.jenkins.plugins.dbbackup.engine.storage.StorageFactory;
import io.jenkins.plugins.dbbackup.engine.verify.CountComparison;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One restore: choose the backup, check the target (refusing before touching anything), take a safety backup of a
 * target that will be changed, then stream storage → decrypt → decompress → restore tool.
 */
final class RestoreOperation {
    private final EngineOptions options;
    private final ProgressListener listener;
    private final Clock clock;

    RestoreOperation(EngineOptions options, ProgressListener listener, Clock clock) {
        this.options = options;
        this.listener = listener;
        this.clock = clock;
    }

    RestoreResult run(RestoreRequest request) throws IOException, InterruptedException {
        DatabaseConnection target = request.target();
        try (Storage storage = StorageFactory.open(request.repository())) {
            BackupRepository repository = new BackupRepository(storage);
            BackupManifest manifest = BackupSelector.select(repository, request.set(), request.backupId(), request.at());
            if (!manifest.source().type().equals(target.type().id())) {
                throw new BackupException("backup " + manifest.id() + " is a " + manifest.source().type()
                        + " backup and cannot be restored into " + target.type().id());
            }
            if (manifest.encryption() != null && request.keys() == null) {
                throw new BackupException("backup " + manifest.id() + " is encrypted: give the secret key file (and its"
                        + " passphrase) or the passphrase to decrypt it");
            }
            boolean redis = target.type() == DatabaseType.REDIS;
            boolean redisFile = redis && "file".equals(request.redisMode());
            DatabaseSource db = Sources.forConnection(target, options, request.redisTarget());
            Sources.requireRestorable(manifest.kind());
            checkStoredObject(storage, manifest);
            if (manifest.encryption() != null) {
                checkKeys(storage, manifest, request);
            }
            if (redis) {
                ((RedisSource) db).checkRdbVersion(rdbVersion(manifest));
            }
            Map<String, Long> expected = RestoredCounts.expected(manifest);
            if (request.subset()) {
                // refused here, before the target is touched, when a name matches no table of the backup
                expected = RestoredCounts.subset(manifest, expected, request.schemas(), request.tables());
            }
            Safety safety = prepareTarget(request, manifest, db, target, redisFile);
            if (request.subset()) {
                ((PostgresSource) db).createMissingSchemas(
                        RestoredCounts.schemasOf(expected, request.schemas(), request.tables()));
            }
            listener.info("Restoring " + (request.subset() ? request.describeSubset() + " of " : "") + "backup "
                    + manifest.id() + " of set " + manifest.set() + " into " + target.describe());
            Instant start = clock.instant();
            long bytes;
            try (InputStream stored = storage.open(BackupRepository.dataKey(manifest))) {
                ReadPipeline pipeline = ReadPipeline.open(stored,
                        Compression.parse(manifest.compression().algorithm()), request.keys());
                CountingInput counted = new CountingInput(pipeline.output());
                db.restore(counted, new DatabaseSource.RestoreOptions(request.clean(), request.jobs(), request.noOwner(),
                        request.noPrivileges(), request.schemas(), request.tables(), manifest.kind()));
                bytes = counted.count();
            } catch (IOException e) {
                throw new BackupException("restore of " + manifest.id() + " into " + target.describe() + " failed: "
                        + Scrubber.scrub(e.getMessage(), target.password()), e);
            }
            long millis = Duration.between(start, clock.instant()).toMillis();
            listener.info(String.format("Restored %s into %s: %s in %.1f s", manifest.id(), target.describe(),
                    Pump.humanBytes(bytes), millis / 1000.0));
            if (redisFile) {
                listener.info("Placed the RDB file; start the Redis server on it, then compare its keys with the"
                        + " manifest (dbbackup show)");
                return new RestoreResult(manifest.id(), manifest.set(), target.describe(), safety.id(), bytes, millis, 0,
                        null, safety.encryption());
            }
            List<String> differences = request.subset()
                    ? CountComparison.differences(expected, db.countTarget(), false)
                    : RestoredCounts.differences(manifest, target.database(), db.countTarget(), false);
            if (!differences.isEmpty()) {
                throw new BackupException("restored " + manifest.id() + " into " + target.describe()
                        + ", but its counts differ from those recorded at backup time: " + String.join("; ", differences));
            }
            if (request.subset()) {
                int total = RestoredCounts.expected(manifest).size();
                listener.info("Counts of the " + expected.size() + " restored table(s) match those recorded at backup"
                        + " time; the backup's other " + (total - expected.size()) + " table(s) were not restored"
                        + " and not compared (subset: " + request.describeSubset() + ")");
            } else {
                listener.info("Counts of " + expected.size() + " tables match those recorded at backup time");
            }
            return new RestoreResult(manifest.id(), manifest.set(), target.describe(), safety.id(), bytes, millis,
                    expected.size(), request.describeSubset(), safety.encryption());
        }
    }

    /**
     * Reads the stored object once and compares its size and SHA-256 with the manifest before anything is changed:
     * a corrupted or truncated backup must fail here, not half-way through restoring over a database.
     */
    private void checkStoredObject(Storage storage, BackupManifest manifest) throws IOException {
        DigestingInputStream stored = new DigestingInputStream(storage.open(BackupRepository.dataKey(manifest)));
        try (stored) {
            stored.transferTo(java.io.OutputStream.nullOutputStream());
        }
        if (stored.bytes() != manifest.stored().bytes() || !stored.sha256Hex().equals(manifest.stored().sha256())) {
            throw new BackupException("backup " + manifest.id() + " is damaged: its stored object has " + stored.bytes()
                    + " bytes and SHA-256 " + stored.sha256Hex() + ", the manifest recorded "
                    + manifest.stored().bytes() + " bytes and " + manifest.stored().sha256()
                    + "; nothing was restored: choose an earlier backup (dbbackup list, then --id)");
        }
        listener.info("Stored object of " + manifest.id() + " matches its manifest (" + stored.bytes() + " bytes)");
    }

    /** Opens the encrypted object with the given keys: a wrong key fails here, before the target is touched. */
    private static void checkKeys(Storage storage, BackupManifest manifest, RestoreRequest request) throws IOException {
        try (InputStream in = storage.open(BackupRepository.dataKey(manifest))) {
            ReadPipeline.open(in, Compression.parse(manifest.compression().algorithm()), request.keys());
        } catch (io.jenkins.plugins.dbbackup.engine.crypto.KeyUnavailableException e) {
            throw new BackupException("cannot decrypt backup " + manifest.id() + ": " + e.getMessage()
                    + "; nothing was restored", e);
        }
    }

    /** The safety backup taken: its id and how it is encrypted ({@link SafetyEncryption#description()}). */
    private record Safety(String id, String encryption) {
        static final Safety NONE = new Safety(null, null);
    }

    /** Refuses, creates, or takes the safety backup; returns the safety backup taken, or {@link Safety#NONE}. */
    private Safety prepareTarget(RestoreRequest request, BackupManifest manifest, DatabaseSource db,
            DatabaseConnection target, boolean redisFile) throws IOException, InterruptedException {
        boolean redis = target.type() == DatabaseType.REDIS;
        String what = redis ? (redisFile ? "the Redis data directory " + request.redisDataDirectory()
                : "the Redis server " + target.host() + ":" + target.port())
                : "target database " + target.database() + " on " + target.host() + ":" + target.port();
        boolean exists = db.targetExists();
        if (!exists) {
            if (!request.create()) {
                throw new BackupException(what + " does not exist: ask to create it");
            }
            db.createTarget();
            listener.info("Created " + what);
            return Safety.NONE;
        }
        if (request.create()) {
            throw new BackupException(what + " already exists: " + (redis
                    ? "restore into it with clean to replace its keys (a safety backup is taken first)"
                    : "choose another name, or restore over it with clean (a safety backup is taken first)"));
        }
        if (db.targetIsEmpty()) {
            return Safety.NONE;
        }
        if (!request.clean()) {
            throw new BackupException(what + (redis ? " is not empty" : " exists and is not empty") + ": ask for clean to replace its content (a safety backup is"
                    + " taken first)" + (redis ? "" : ", or restore into a new database with create"));
        }
        if (!request.safetyBackup()) {
            listener.info("Safety backup of " + target.describe() + " skipped as asked");
            return Safety.NONE;
        }
        if (redisFile) {
            listener.info("No safety backup in file mode: the RDB file being replaced is kept beside it as"
                    + " <name>.replaced-<time>");
            return Safety.NONE;
        }
        // never less protected than the backup restored: a production database must not land in clear in a
        // repository whose backups are encrypted; refused here, before anything changes, when that is impossible
        SafetyEncryption encryption = SafetyEncryption.of(manifest, request.keys(), request.safetyEncryption());
        String safetySet = SetName.sanitize((request.set() != null ? request.set() : manifest.set()) + "-pre-restore");
        // with a subset only part of the target changes, but the safety backup is still of the whole database: the
        // objects a subset touches (dependent views, foreign keys) are not always the ones it names
        listener.info("Taking a safety backup of " + (request.subset() ? "the whole of " : "") + target.describe()
                + " into set " + safetySet + (request.safetyEncryption() != null
                        ? ", encrypted as asked (" + encryption.description() + ")"
                        : encryption.encrypted() ? ", encrypted like the backup restored (" + encryption.description()
                        + ")" : ""));
        BackupResult safety = new BackupOperation(options, listener, clock).run(new BackupRequest(target,
                request.repository(), safetySet, CompressionSettings.defaults(), encryption.settings()));
        listener.info("Safety backup " + safety.id() + " of " + target.describe() + " is in set " + safetySet + ", "
                + (encryption.encrypted() ? "encrypted to " + encryption.description()
                        : "not encrypted (the backup restored is not encrypted either)"));
        return new Safety(safety.id(), encryption.description());
    }

    /** The RDB version a Redis backup was written with (recorded as the tool version). */
    private static int rdbVersion(BackupManifest manifest) throws BackupException {
        try {
            return Integer.parseInt(manifest.tool().version().trim());
        } catch (RuntimeException e) {
            throw new BackupException("backup " + manifest.id() + " records no RDB version ('"
                    + manifest.tool().version() + "')");
        }
    }

    /** Counts bytes read. */
    private static final class CountingInput extends java.io.FilterInputStream {
        private long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        long count() {
            return count;
        }
    }
}
