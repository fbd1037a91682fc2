package io.jenkins.plugins.dbbackup.engine.crypto;

import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * To whom a backup is encrypted: any number of public keys and/or a passphrase. Either one suffices to decrypt.
 *
 * @param recipientPublicKeys the bytes of public key files (armored or binary, as {@code gpg --export [--armor]}
 *                            writes them); each file normally holds one key. Never null (null means none); copied.
 * @param passphrase          a passphrase for symmetric decryption, or null for none; never empty
 */
public record EncryptionSettings(List<byte[]> recipientPublicKeys, Secret passphrase) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public EncryptionSettings {
        List<byte[]> copy = new ArrayList<>();
        if (recipientPublicKeys != null) {
            for (byte[] key : recipientPublicKeys) {
                Objects.requireNonNull(key, "a recipient public key is null");
                if (key.length == 0) {
                    throw new IllegalArgumentException("a recipient public key file is empty");
                }
                copy.add(key.clone());
            }
        }
        recipientPublicKeys = List.copyOf(copy);
        if (passphrase != null && passphrase.isEmpty()) {
            throw new IllegalArgumentException("the encryption passphrase must not be empty");
        }
    }

    /** No encryption. */
    public static EncryptionSettings none() {
        return new EncryptionSettings(List.of(), null);
    }

    /** Encryption to these public key files only. */
    public static EncryptionSettings toKeys(List<byte[]> publicKeys) {
        return new EncryptionSettings(publicKeys, null);
    }

    /** Encryption to a passphrase only. */
    public static EncryptionSettings toPassphrase(Secret passphrase) {
        return new EncryptionSettings(List.of(), Objects.requireNonNull(passphrase, "passphrase"));
    }

    /** Whether anything is encrypted at all. */
    public boolean enabled() {
        return !recipientPublicKeys.isEmpty() || passphrase != null;
    }

    @Override
    public String toString() {
        return "EncryptionSettings[recipientPublicKeys=" + recipientPublicKeys.size() + " file(s), passphrase="
                + (passphrase == null ? "none" : Secret.REDACTED) + "]";
    }
}
