package io.jenkins.plugins.dbbackup.engine.source.redis;

import io.jenkins.plugins.dbbackup.engine.BackupException;

/** RDB data that is truncated, corrupt, or of a kind this engine cannot handle; the message says which. */
public final class RdbFormatException extends BackupException {
    private static final long serialVersionUID = 1L;

    public RdbFormatException(String message) {
        super(message);
    }
}
