package io.jenkins.plugins.dbbackup.engine.crypto;

import java.io.IOException;
import java.io.Serial;

/**
 * The message cannot be decrypted with the keys at hand: no matching secret key, a wrong key passphrase or a wrong
 * symmetric passphrase. The message names the key ids the message was encrypted to. No plaintext has been produced.
 */
public class KeyUnavailableException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    public KeyUnavailableException(String message) {
        super(message);
    }

    public KeyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
