package io.jenkins.plugins.dbbackup.engine;

import io.jenkins.plugins.dbbackup.engine.codec.Compression;
import io.jenkins.plugins.dbbackup.engine.codec.DigestingInputStream;
import io.jenkins.plugins.dbbackup.engine.codec.ReadPipeline;
import io.jenkins.plugins.dbbackup.engine.crypto.KeyUnavailableException;
import io.jenkins.plugins.dbbackup.engine.process.Scrubber;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.BackupRepository;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import io.jenkins.plugins.dbbackup.engine.source.DatabaseSource;
import io.jenkins.plugins.dbbackup.engine.source.Sources;
import io.jenkins.plugins.dbbackup.engine.source.redis.RedisScratchServer;
import io.jenkins.plugins.dbbackup.engine.source.redis.RedisSource;
import io.jenkins.plugins.dbbackup.engine.process.NativeTools;
import io.jenkins.plugins.dbbackup.engine.storage.Storage;
import io.jenkins.plugins.dbbackup.engine.storage.StorageException;
import io.jenkins.plugins.dbbackup.engine.storage.StorageFactory;
import io.jenkins.plugins.dbbackup.engine.verify.VerifyLevel;
import io.jenkins.plugins.dbbackup.engine.verify.VerifyOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Proves a backup good, level by level. Expected bad findings (corruption, truncation, a wrong key, different
 * counts) end in a {@link VerificationRecord} with that outcome; only failures of the verification itself (the
 * repository or the scratch server unreachable) are exceptions. A scratch database is always dropped.
 */
final class VerifyOperation {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EngineOptions options;
    private final ProgressListener listener;
    private final Clock clock;

    VerifyOperation(EngineOptions options, ProgressListener listener, Clock clock) {
        this.options = options;
        this.listener = listener;
        this.clock = clock;
    }

    VerificationRecord run(VerifyRequest request) throws IOException, InterruptedException {
        try (Storage storage = StorageFactory.open(request.repository())) {
            BackupRepository repository = new BackupRepository(storage);
            BackupManifest manifest = BackupSelector.select(repository, request.set(), request.backupId(), null);
            Result result = verify(storage, manifest, request);
            VerificationRecord record = new VerificationRecord(VerificationRecord.CURRENT_FORMAT, manifest.id(),
                    manifest.set(), request.level().id(), result.outcome.name(), List.copyOf(result.details),
                    clock.instant().toString(), result.checksumMillis, result.structureMillis, result.restoreMillis,
                    result.scratch);
            if (request.record()) {
                repository.recordVerification(record);
            }
            listener.info("Verification of " + manifest.set() + "/" + manifest.id() + " at level "
                    + request.level().id() + ": " + record.outcome()
                    + (result.restoreMillis > 0 ? String.format(" (recovery time %.1f s)", result.restoreMillis / 1000.0) : "")
                    + (record.ok() ? "" : " - " + String.join("; ", record.details())));
            return record;
        }
    }

    private Result verify(Storage storage, BackupManifest manifest, VerifyRequest request)
            throws IOException, InterruptedException {
        Result result = new Result();
        String dataKey = BackupRepository.dataKey(manifest);
        if (storage.stat(dataKey).isEmpty()) {
            return result.fail(VerifyOutcome.MISSING, "data object " + manifest.dataObject() + " is missing");
        }

        // level 1: the stored bytes, without any key
        long start = clock.millis();
        DigestingInputStream stored;
        try {
            stored = new DigestingInputStream(storage.open(dataKey));
            try (stored) {
                stored.transferTo(java.io.OutputStream.nullOutputStream());
            }
        } catch (StorageException e) {
            if (e.kind() == StorageException.Kind.NOT_FOUND) {
                return result.fail(VerifyOutcome.MISSING, "data object " + manifest.dataObject() + " is missing");
            }
            throw e;
        }
        result.checksumMillis = clock.millis() - start;
        if (stored.bytes() != manifest.stored().bytes()) {
            return result.fail(VerifyOutcome.SIZE_MISMATCH, "stored object has " + stored.bytes()
                    + " bytes, the manifest recorded " + manifest.stored().bytes());
        }
        if (!stored.sha256Hex().equals(manifest.stored().sha256())) {
            return result.fail(VerifyOutcome.CHECKSUM_MISMATCH, "stored object's SHA-256 is " + stored.sha256Hex()
                    + ", the manifest recorded " + manifest.stored().sha256());
        }
        result.details.add("stored object: " + stored.bytes() + " bytes, SHA-256 matches the manifest");
        if (request.level() == VerifyLevel.CHECKSUM) {
            return result;
        }

        // level 2: decrypt, decompress, check the original digest and the format
        if (manifest.encryption() != null && request.keys() == null) {
            return result.fail(VerifyOutcome.KEY_UNAVAILABLE, "the backup is encrypted and no key was given");
        }
        start = clock.millis();
        Compression compression = Compression.parse(manifest.compression().algorithm());
        Optional<String> formatProblem;
        ReadPipeline pipeline;
        try (InputStream in = storage.open(dataKey)) {
            pipeline = ReadPipeline.open(in, compression, request.keys());
            formatProblem = Sources.formatChecker(manifest.kind(), options).check(pipeline.output());
        } catch (KeyUnavailableException e) {
            return result.fail(VerifyOutcome.KEY_UNAVAILABLE, Scrubber.scrub(e.getMessage()));
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            if (e instanceof BackupException) {
                throw e;
            }
            // the bytes matched at level 1, so a decoding failure means the content itself is not what it claims
            return result.fail(VerifyOutcome.FORMAT_INVALID, "cannot decode the stored object: " + e.getMessage());
        }
        result.structureMillis = clock.millis() - start;
        if (pipeline.originalBytes() != manifest.original().bytes()
                || !pipeline.originalSha256().equals(manifest.original().sha256())) {
            return result.fail(VerifyOutcome.CHECKSUM_MISMATCH, "decoded dump (" + pipeline.originalBytes()
                    + " bytes, SHA-256 " + pipeline.originalSha256() + ") differs from the manifest ("
                    + manifest.original().bytes() + " bytes, SHA-256 " + manifest.original().sha256() + ")");
        }
        if (formatProblem.isPresent()) {
            return result.fail(VerifyOutcome.FORMAT_INVALID, formatProblem.get());
        }
        result.details.add("decoded dump: " + pipeline.originalBytes() + " bytes, SHA-256 matches; format "
                + manifest.kind() + " is valid");
        if (request.level() == VerifyLevel.STRUCTURE) {
            return result;
        }

        // level 3: restore into a scratch database and compare counts
        return restoreAndCount(storage, manifest, request, compression, result);
    }

    private Result restoreAndCount(Storage storage, BackupManifest manifest, VerifyRequest request,
            Compression compression, Result result) throws IOException, InterruptedException {
        if (RedisSource.KIND.equals(manifest.kind())) {
            try (RedisScratchServer scratch = RedisScratchServer.start(
                    new NativeTools(options.toolDirectory(), options.searchStandardPlaces()), options.tempDirectory())) {
                return restoreInto(storage, manifest, request, compression, result, scratch.connection(), "redis");
            }
        }
        DatabaseConnection server = request.scratchServer();
        if (server == null) {
            throw new BackupException("the restore level needs a server to restore into: name the scratch server (host,"
                    + " port, user and password of an account that may create and drop databases)");
        }
        if (!server.type().id().equals(manifest.source().type())) {
            throw new BackupException("backup " + manifest.id() + " is a " + manifest.source().type()
                    + " backup; the scratch server is " + server.type().id());
        }
        String scratchName = "dbbackup_verify_" + HexFormat.of().toHexDigits(RANDOM.nextInt());
        return restoreInto(storage, manifest, request, compression, result, server.withDatabase(scratchName), scratchName);
    }

    private Result restoreInto(Storage storage, BackupManifest manifest, VerifyRequest request, Compression compression,
            Result result, DatabaseConnection scratch, String scratchName) throws IOException, InterruptedException {
        DatabaseSource target = Sources.forConnection(scratch, options);
        boolean redis = RedisSource.KIND.equals(manifest.kind());
        result.scratch = scratch.describe();
        Map<String, Long> expected = RestoredCounts.expected(manifest);
        Map<String, Long> actual;
        if (!redis) {
            target.createTarget();
        }
        try {
            listener.info("Restoring " + manifest.id() + " into scratch " + scratch.describe());
            long start = clock.millis();
            try (InputStream in = storage.open(BackupRepository.dataKey(manifest))) {
                ReadPipeline pipeline = ReadPipeline.open(in, compression, request.keys());
                target.restore(pipeline.output(), new DatabaseSource.RestoreOptions(false, 1, true, true, manifest.kind()));
            }
            result.restoreMillis = Math.max(1, clock.millis() - start);
            actual = target.countTarget();
        } catch (BackupException e) {
            return result.fail(VerifyOutcome.FORMAT_INVALID, "restore into the scratch target failed: " + e.getMessage());
        } finally {
            if (!redis) {
                try {
                    target.dropTarget();
                } catch (IOException e) {
                    listener.info("WARNING: could not drop scratch database " + scratchName + ": " + e.getMessage());
                }
            }
        }
        List<String> differences = RestoredCounts.differences(manifest, scratchName, actual, true);
        if (!differences.isEmpty()) {
            result.details.add("restored in " + result.restoreMillis + " ms");
            return result.fail(VerifyOutcome.COUNT_MISMATCH, String.join("; ", differences));
        }
        result.details.add("restored into a scratch " + (redis ? "redis-server" : "database") + " in "
                + result.restoreMillis + " ms; counts of " + expected.size() + " " + (redis ? "key groups" : "tables")
                + " match the manifest");
        return result;
    }

    /** Mutable while verifying; becomes a record at the end. */
    private static final class Result {
        VerifyOutcome outcome = VerifyOutcome.OK;
        final List<String> details = new ArrayList<>();
        long checksumMillis;
        long structureMillis;
        long restoreMillis;
        String scratch;

        Result fail(VerifyOutcome why, String detail) {
            outcome = why;
            details.add(detail);
            return this;
        }
    }

}
