package io.jenkins.plugins.dbbackup.engine;

import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import io.jenkins.plugins.dbbackup.engine.crypto.OpenPgp;
import io.jenkins.plugins.dbbackup.engine.crypto.Recipient;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How the safety backup taken before a restore is encrypted: no less than the backup restored, and so that the keys
 * of the restore open it again. A backup encrypted to a passphrase gives a safety backup encrypted to that passphrase
 * (when the restore was given it); one encrypted to public keys gives a safety backup encrypted to the public part
 * of those keys in the restore's secret key file. An unencrypted backup gives an unencrypted safety backup.
 *
 * @param settings what the safety backup is encrypted to
 * @param description what it is encrypted to in words, for the log and the result: {@code none},
 *     {@code passphrase}, {@code key id(s) A, B}, or {@code key id(s) A and passphrase}; never a secret
 */
record SafetyEncryption(EncryptionSettings settings, String description) {
    /** The description of a safety backup that is not encrypted. */
    static final String NONE = "none";

    /**
     * The encryption matching {@code manifest} that {@code keys} can open.
     *
     * @throws BackupException when the backup is encrypted and the safety backup cannot be encrypted alike (e.g. the
     *     secret key's public part is expired for encryption); nothing has been changed then
     */
    static SafetyEncryption matching(BackupManifest manifest, DecryptionKeys keys) throws BackupException {
        return of(manifest, keys, null);
    }

    /**
     * The encryption the caller asked for ({@code explicit}), or, when null, the one {@link #matching matching} the
     * backup restored.
     *
     * @throws BackupException when a given public key cannot be encrypted to; nothing has been changed then
     */
    static SafetyEncryption of(BackupManifest manifest, DecryptionKeys keys, EncryptionSettings explicit)
            throws BackupException {
        if (explicit != null) {
            try {
                return new SafetyEncryption(explicit, describe(explicit.recipientPublicKeys(), explicit.passphrase()));
            } catch (IOException e) {
                throw new BackupException("the safety backup cannot be encrypted to the key given for it: "
                        + e.getMessage() + "; nothing was changed: give a key that can encrypt", e);
            }
        }
        BackupManifest.EncryptionInfo encryption = manifest.encryption();
        if (encryption == null) {
            return new SafetyEncryption(EncryptionSettings.none(), NONE);
        }
        try {
            List<byte[]> publicKeys = new ArrayList<>();
            byte[] secretKeyFile = keys == null ? null : keys.secretKeyRing();
            if (secretKeyFile != null && !encryption.recipients().isEmpty()) {
                Set<String> keyIds = new LinkedHashSet<>();
                encryption.recipients().forEach(r -> keyIds.add(r.keyId().toUpperCase(java.util.Locale.ROOT)));
                publicKeys.addAll(OpenPgp.publicKeysOf(secretKeyFile, keyIds));
            }
            Secret passphrase = encryption.passphrase() && keys != null ? keys.symmetricPassphrase() : null;
            if (publicKeys.isEmpty() && passphrase == null) {
                throw new BackupException("backup " + manifest.id() + " is encrypted, but neither a key of the secret"
                        + " key file nor the passphrase given is one it was encrypted to, so the safety backup"
                        + " could not be encrypted alike; nothing was changed: give the key or passphrase the backup"
                        + " was encrypted to");
            }
            return new SafetyEncryption(new EncryptionSettings(publicKeys, passphrase),
                    describe(publicKeys, passphrase));
        } catch (BackupException e) {
            throw e;
        } catch (IOException e) {
            throw new BackupException("the safety backup cannot be encrypted to the key that decrypts backup "
                    + manifest.id() + ": " + e.getMessage() + "; nothing was changed: renew the key, or turn"
                    + " the safety backup off if the target may be lost", e);
        }
    }

    /** The description of an encryption to these public key files and/or passphrase; checks that each key encrypts. */
    private static String describe(List<byte[]> publicKeys, Secret passphrase) throws IOException {
        List<String> keyIds = new ArrayList<>();
        for (byte[] file : publicKeys) {
            for (Recipient recipient : OpenPgp.describe(file)) {
                keyIds.add(recipient.keyId());
            }
        }
        return (keyIds.isEmpty() ? "" : "key id(s) " + String.join(", ", keyIds))
                + (keyIds.isEmpty() || passphrase == null ? "" : " and ")
                + (passphrase == null ? "" : "passphrase");
    }

    /** Whether the safety backup is encrypted. */
    boolean encrypted() {
        return settings.enabled();
    }
}
