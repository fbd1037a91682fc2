package io.jenkins.plugins.dbbackup.engine.storage.s3;

import io.jenkins.plugins.dbbackup.engine.RepositorySpec.S3Settings;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectOptions;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectOptions.RetentionLock;
import io.jenkins.plugins.dbbackup.engine.storage.RetryPolicy;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How {@link S3Storage} writes objects. Immutable.
 *
 * @param partSize bytes per multipart part (and the largest object sent as one PUT); at least 5 MiB, the S3 minimum
 * @param partsInFlight how many parts of one object may be uploading at once (1..16); a writer holds at most
 *     {@code partsInFlight + 1} part buffers
 * @param storageClass default storage class, or null for the bucket's default ({@code STANDARD})
 * @param serverSideEncryption {@code AES256}, {@code aws:kms}, {@code aws:kms:dsse} or null for the bucket default
 * @param kmsKeyId the KMS key for {@code aws:kms}; null for the account's default key
 * @param lockMode default Object Lock mode, or null for no lock
 * @param lockDays with {@code lockMode}: each object is retained until write time + this many days
 * @param retry retries of the requests a writer makes (create, each part, complete, abort): they can be replayed
 *     from the writer's buffers, unlike the producer's stream
 * @param clock the time retain-until dates are computed from
 */
public record S3Options(
        long partSize,
        int partsInFlight,
        String storageClass,
        String serverSideEncryption,
        String kmsKeyId,
        RetentionLock.Mode lockMode,
        int lockDays,
        RetryPolicy retry,
        Clock clock) {

    public static final long MIB = 1024L * 1024;
    /** S3's smallest part (all but the last). */
    public static final long MIN_PART_SIZE = 5 * MIB;
    /** S3's largest part. */
    public static final long MAX_PART_SIZE = 5L * 1024 * MIB;
    /** S3's most parts per upload: an object can be at most {@code partSize * MAX_PARTS} bytes. */
    public static final int MAX_PARTS = 10_000;
    public static final long DEFAULT_PART_SIZE = 16 * MIB;
    public static final int DEFAULT_PARTS_IN_FLIGHT = 2;

    private static final Set<String> SSE = Set.of("AES256", "aws:kms", "aws:kms:dsse");

    public S3Options {
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("S3 part size must be between 5 MiB and 5 GiB, was " + partSize + " bytes");
        }
        if (partSize > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("S3 part size must be below 2 GiB here (parts are buffered in memory)");
        }
        if (partsInFlight < 1 || partsInFlight > 16) {
            throw new IllegalArgumentException("parts in flight must be between 1 and 16, was " + partsInFlight);
        }
        storageClass = blankToNull(storageClass);
        if (storageClass != null) {
            storageClass = storageClass.toUpperCase(Locale.ROOT);
        }
        serverSideEncryption = blankToNull(serverSideEncryption);
        kmsKeyId = blankToNull(kmsKeyId);
        if (serverSideEncryption == null && kmsKeyId != null) {
            serverSideEncryption = "aws:kms";
        }
        if (serverSideEncryption != null) {
            String given = serverSideEncryption;
            serverSideEncryption = SSE.stream().filter(given::equalsIgnoreCase).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("server-side encryption '" + given
                            + "' is not valid: use AES256, aws:kms or aws:kms:dsse"));
        }
        if (kmsKeyId != null && serverSideEncryption.equals("AES256")) {
            throw new IllegalArgumentException("a KMS key id needs server-side encryption aws:kms, not AES256");
        }
        if (lockMode != null && lockDays < 1) {
            throw new IllegalArgumentException("object lock mode " + lockMode + " needs a retention of at least 1 day");
        }
        if (lockMode == null && lockDays != 0) {
            throw new IllegalArgumentException("object lock days are set but no mode: use GOVERNANCE or COMPLIANCE");
        }
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(clock, "clock");
    }

    /** 16 MiB parts, 2 in flight, no class/encryption/lock, default retries. */
    public static S3Options defaults() {
        return new S3Options(DEFAULT_PART_SIZE, DEFAULT_PARTS_IN_FLIGHT, null, null, null, null, 0,
                RetryPolicy.defaults(), Clock.systemUTC());
    }

    /**
     * The write options of a repository's S3 settings. An object lock mode without days sets no lock at upload (the
     * mode is then only that of the locks retention tier settings set).
     */
    public static S3Options from(S3Settings s) {
        S3Options d = defaults();
        long part = s.partSizeMiB() <= 0 ? DEFAULT_PART_SIZE : s.partSizeMiB() * MIB;
        // a mode without days locks nothing at upload: it is the mode of the locks retention tiers set later
        String mode = s.objectLockDays() > 0 ? blankToNull(s.objectLockMode()) : null;
        return new S3Options(part, d.partsInFlight(), s.storageClass(), s.serverSideEncryption(), s.kmsKeyId(),
                mode == null ? null : RetentionLock.Mode.parse(mode), mode == null ? 0 : s.objectLockDays(),
                d.retry(), d.clock());
    }

    public S3Options withPartSize(long value) {
        return new S3Options(value, partsInFlight, storageClass, serverSideEncryption, kmsKeyId, lockMode, lockDays,
                retry, clock);
    }

    public S3Options withPartsInFlight(int value) {
        return new S3Options(partSize, value, storageClass, serverSideEncryption, kmsKeyId, lockMode, lockDays,
                retry, clock);
    }

    public S3Options withStorageClass(String value) {
        return new S3Options(partSize, partsInFlight, value, serverSideEncryption, kmsKeyId, lockMode, lockDays,
                retry, clock);
    }

    public S3Options withEncryption(String sse, String kmsKey) {
        return new S3Options(partSize, partsInFlight, storageClass, sse, kmsKey, lockMode, lockDays, retry, clock);
    }

    public S3Options withLock(RetentionLock.Mode mode, int days) {
        return new S3Options(partSize, partsInFlight, storageClass, serverSideEncryption, kmsKeyId, mode, days,
                retry, clock);
    }

    public S3Options withRetry(RetryPolicy value) {
        return new S3Options(partSize, partsInFlight, storageClass, serverSideEncryption, kmsKeyId, lockMode, lockDays,
                value, clock);
    }

    public S3Options withClock(Clock value) {
        return new S3Options(partSize, partsInFlight, storageClass, serverSideEncryption, kmsKeyId, lockMode, lockDays,
                retry, value);
    }

    /** The storage class and lock one object gets: the caller's choice where made, else these defaults. */
    ObjectOptions effective(ObjectOptions requested) {
        ObjectOptions r = requested == null ? ObjectOptions.DEFAULTS : requested;
        String cls = r.storageClass() != null ? r.storageClass() : storageClass;
        RetentionLock lock = r.lock() != null
                ? r.lock()
                : lockMode == null ? null : new RetentionLock(lockMode, clock.instant().plus(java.time.Duration.ofDays(lockDays)));
        return new ObjectOptions(cls, lock);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
