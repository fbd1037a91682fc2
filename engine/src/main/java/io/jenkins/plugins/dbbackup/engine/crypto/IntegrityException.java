package io.jenkins.plugins.dbbackup.engine.crypto;

import java.io.IOException;
import java.io.Serial;

/**
 * The encrypted data was modified, truncated or is not a well-formed OpenPGP message: the modification detection
 * code did not match, or the packet stream is corrupt. Plaintext read before this exception must be discarded.
 */
public class IntegrityException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    public IntegrityException(String message) {
        super(message);
    }

    public IntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
