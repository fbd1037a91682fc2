package io.jenkins.plugins.dbbackup.engine.retention;

/**
 * The outcome of the <em>latest</em> verification of a backup, as retention sees it.
 *
 * <p>The caller maps verification results onto these three states: {@link #OK} only for a verification that passed
 * at level {@code checksum} or higher (stored bytes re-read, SHA-256 and size equal to the manifest); a verification
 * that could not run (storage unreachable, tool missing) is not a result about the backup and should leave the
 * previous state, or {@link #NONE}.
 */
public enum VerificationState {
    /** Never verified. */
    NONE,
    /** The latest verification passed at level {@code checksum} or higher. */
    OK,
    /** The latest verification found the backup damaged (checksum or size mismatch, missing data, bad structure). */
    FAILED
}
