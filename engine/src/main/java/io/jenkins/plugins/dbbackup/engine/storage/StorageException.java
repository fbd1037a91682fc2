package io.jenkins.plugins.dbbackup.engine.storage;

import java.io.IOException;
import java.io.Serial;

/** A storage operation failed; {@link #kind()} says whether trying again may help. */
public class StorageException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** How a failure should be treated. */
    public enum Kind {
        /** The object does not exist. */
        NOT_FOUND,
        /** A retention lock (e.g. S3 Object Lock) forbids deleting or overwriting the object. */
        LOCKED,
        /** Trying again will not help: permissions, no such bucket, disk full, bad request. */
        PERMANENT,
        /** A transient failure: throttling, a server error, a reset connection. */
        RETRYABLE
    }

    private final Kind kind;

    public StorageException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public StorageException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
