package io.jenkins.plugins.dbbackup.engine;

import java.io.IOException;
import java.io.Serial;

/**
 * An operation failed for a reason a user can act on. The message is one line that names what went wrong and what
 * to do; it never contains a secret (messages from native tools are scrubbed before they get here).
 */
public class BackupException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    public BackupException(String message) {
        super(message);
    }

    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
