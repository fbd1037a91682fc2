package io.jenkins.plugins.dbbackup.engine.crypto;

import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;

/**
 * A public key a backup was encrypted to, as a manifest or the UI shows it.
 *
 * @param fingerprint upper-case hex fingerprint of the primary key (40 characters for v4 keys)
 * @param keyId       upper-case hex key id (16 characters) of the encryption subkey actually used; this is the id
 *                    {@code gpg --list-packets} prints for the message
 */
public record Recipient(String fingerprint, String keyId) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public Recipient {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(keyId, "keyId");
    }
}
