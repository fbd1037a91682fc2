package io.jenkins.plugins.dbbackup.engine.crypto;

import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.Serial;
import java.io.Serializable;

/**
 * What may decrypt a backup: a secret key file (with its passphrase when it is protected) and/or the symmetric
 * passphrase the backup was encrypted to. Secret keys are tried first.
 *
 * @param secretKeyRing       the bytes of a secret key file, armored or binary (as
 *                            {@code gpg --export-secret-keys [--armor]} writes it), or null
 * @param keyPassphrase       the passphrase that protects the secret key, or null when it is not protected
 * @param symmetricPassphrase the passphrase the message was encrypted to, or null
 */
public record DecryptionKeys(byte[] secretKeyRing, Secret keyPassphrase, Secret symmetricPassphrase)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public DecryptionKeys {
        if (secretKeyRing == null && symmetricPassphrase == null) {
            throw new IllegalArgumentException("decryption needs a secret key file or a passphrase");
        }
        secretKeyRing = secretKeyRing == null ? null : secretKeyRing.clone();
    }

    /** A secret key file and the passphrase protecting it (null when unprotected). */
    public static DecryptionKeys ofSecretKey(byte[] secretKeyRing, Secret keyPassphrase) {
        return new DecryptionKeys(secretKeyRing, keyPassphrase, null);
    }

    /** The passphrase the message was encrypted to. */
    public static DecryptionKeys ofPassphrase(Secret symmetricPassphrase) {
        return new DecryptionKeys(null, null, symmetricPassphrase);
    }

    @Override
    public byte[] secretKeyRing() {
        return secretKeyRing == null ? null : secretKeyRing.clone();
    }

    @Override
    public String toString() {
        return "DecryptionKeys[secretKeyRing=" + (secretKeyRing == null ? "none" : Secret.REDACTED)
                + ", keyPassphrase=" + (keyPassphrase == null ? "none" : Secret.REDACTED)
                + ", symmetricPassphrase=" + (symmetricPassphrase == null ? "none" : Secret.REDACTED) + "]";
    }
}
