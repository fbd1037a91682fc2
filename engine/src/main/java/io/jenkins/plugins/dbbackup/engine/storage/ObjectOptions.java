package io.jenkins.plugins.dbbackup.engine.storage;

import java.time.Instant;
import java.util.Locale;

/**
 * Per-object choices a caller (for example a retention tier) may make when writing, on top of the storage's
 * configured defaults. A null component means "use the storage's default".
 *
 * @param storageClass a storage class such as {@code STANDARD_IA} or {@code GLACIER_IR}; null for the default
 * @param lock a retention lock for this object; null for the storage's default lock (if any)
 */
public record ObjectOptions(String storageClass, RetentionLock lock) {

    /** The storage's defaults for everything. */
    public static final ObjectOptions DEFAULTS = new ObjectOptions(null, null);

    public ObjectOptions {
        if (storageClass != null) {
            storageClass = storageClass.trim().toUpperCase(Locale.ROOT);
            if (storageClass.isEmpty()) {
                storageClass = null;
            }
        }
    }

    public ObjectOptions withStorageClass(String value) {
        return new ObjectOptions(value, lock);
    }

    public ObjectOptions withLock(RetentionLock value) {
        return new ObjectOptions(storageClass, value);
    }

    public boolean isDefault() {
        return storageClass == null && lock == null;
    }

    /**
     * A write-once retention lock (S3 Object Lock): until {@code retainUntil} the object version cannot be deleted
     * or overwritten ({@code COMPLIANCE}: by nobody; {@code GOVERNANCE}: except by a principal allowed to bypass it).
     */
    public record RetentionLock(Mode mode, Instant retainUntil) {
        public enum Mode {
            GOVERNANCE,
            COMPLIANCE;

            /** Parses a mode case-insensitively, with a message that lists the valid values. */
            public static Mode parse(String value) {
                try {
                    return valueOf(value.trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw new IllegalArgumentException(
                            "object lock mode '" + value + "' is not valid: use GOVERNANCE or COMPLIANCE", e);
                }
            }
        }

        public RetentionLock {
            if (mode == null || retainUntil == null) {
                throw new IllegalArgumentException("a retention lock needs a mode and a retain-until time");
            }
        }
    }
}
