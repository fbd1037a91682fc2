package io.jenkins.plugins.dbbackup.engine.crypto;

import java.io.Serial;
import java.io.Serializable;

/**
 * A public key a backup was encrypted to.
 *
 * @param fingerprint hex fingerprint of the primary key, upper case
 * @param keyId hex id (16 characters) of the encryption subkey used
 */
public record Recipient(String fingerprint, String keyId) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
}
