package io.jenkins.plugins.dbbackup.engine.crypto;

import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.Serial;
import java.io.Serializable;

/**
 * Keys to read an encrypted backup.
 *
 * @param secretKeyRing an OpenPGP secret key file (armored or binary), or null
 * @param keyPassphrase the passphrase of that secret key, or null
 * @param symmetricPassphrase the symmetric passphrase the backup was encrypted with, or null
 */
public record DecryptionKeys(byte[] secretKeyRing, Secret keyPassphrase, Secret symmetricPassphrase)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
        return "DecryptionKeys[secretKey=" + (secretKeyRing != null) + ", keyPassphrase=" + keyPassphrase
                + ", symmetricPassphrase=" + symmetricPassphrase + "]";
    }
}
