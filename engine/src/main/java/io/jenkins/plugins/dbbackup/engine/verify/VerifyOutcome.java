package io.jenkins.plugins.dbbackup.engine.verify;

/** What a verification found. Only {@link #OK} means the backup is good at the level asked. */
public enum VerifyOutcome {
    OK,
    /** The stored bytes differ from what the manifest recorded (corruption or tampering). */
    CHECKSUM_MISMATCH,
    /** The stored object's size differs from the manifest (truncation). */
    SIZE_MISMATCH,
    /** The bytes decrypt and decompress but are not a valid, complete dump. */
    FORMAT_INVALID,
    /** The restored database's row or key counts differ from those recorded at backup time. */
    COUNT_MISMATCH,
    /** The manifest or the data object is missing. */
    MISSING,
    /** The backup is encrypted and no key given can decrypt it. */
    KEY_UNAVAILABLE
}
