package io.jenkins.plugins.dbbackup.engine.crypto;

import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * To whom a backup is encrypted.
 *
 * @param recipientPublicKeys OpenPGP public key files (armored or binary), each as bytes
 * @param passphrase a symmetric passphrase, or null
 */
public record EncryptionSettings(List<byte[]> recipientPublicKeys, Secret passphrase) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public EncryptionSettings {
        recipientPublicKeys = recipientPublicKeys == null ? List.of() : List.copyOf(recipientPublicKeys);
    }

    public static EncryptionSettings none() {
        return new EncryptionSettings(List.of(), null);
    }

    public boolean enabled() {
        return !recipientPublicKeys.isEmpty() || passphrase != null;
    }
}
