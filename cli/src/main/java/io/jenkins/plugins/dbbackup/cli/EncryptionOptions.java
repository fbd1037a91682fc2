package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import io.jenkins.plugins.dbbackup.engine.crypto.OpenPgp;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * To whom a backup is encrypted (OpenPGP): public key files and/or a passphrase. Without any, the backup is not
 * encrypted. Keys named on the command line replace the configuration's default keys.
 */
final class EncryptionOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--encrypt-to", paramLabel = "KEYFILE", order = 30,
            description = "Encrypt to this OpenPGP public key file (armored or binary, as gpg --export writes it);"
                    + " repeatable.")
    List<Path> encryptTo = new ArrayList<>();

    @Option(names = "--passphrase-file", paramLabel = "FILE", order = 31,
            description = "Also encrypt to the passphrase in this file (first line); otherwise DBBACKUP_PASSPHRASE"
                    + " if set.")
    Path passphraseFile;

    @Option(names = "--key-name", paramLabel = "NAME", order = 32,
            description = "A key entry of the configuration file to encrypt to; repeatable.")
    List<String> keyNames = new ArrayList<>();

    @Option(names = "--no-encryption", order = 33,
            description = "Do not encrypt, even when the configuration names default keys.")
    boolean noEncryption;

    @Option(names = "--passphrase", paramLabel = "VALUE", hidden = true)
    void refusePassphrase(String ignored) {
        throw SecretFiles.refused(mixee, "--passphrase", "--passphrase-file FILE or DBBACKUP_PASSPHRASE");
    }

    EncryptionSettings resolve(ConfigFile config, Map<String, String> env) {
        if (noEncryption) {
            if (!encryptTo.isEmpty() || passphraseFile != null || !keyNames.isEmpty()) {
                throw new UsageException("--no-encryption excludes --encrypt-to, --passphrase-file and --key-name");
            }
            return EncryptionSettings.none();
        }
        List<byte[]> publicKeys = new ArrayList<>();
        for (Path p : encryptTo) {
            publicKeys.add(publicKey(p, "--encrypt-to"));
        }
        Secret passphrase = passphraseFile != null ? SecretFiles.readLine(passphraseFile, "--passphrase-file")
                : SecretFiles.fromEnv(env, "DBBACKUP_PASSPHRASE");
        List<String> names = !keyNames.isEmpty() ? keyNames
                : encryptTo.isEmpty() && passphrase == null ? config.defaults().keys() : List.of();
        for (String name : names) {
            ConfigFile.KeyEntry key = UsageException.naming("--key-name", () -> config.key(name));
            boolean used = false;
            if (key.publicKeyFile() != null) {
                publicKeys.add(publicKey(key.publicKeyFile(), "publicKeyFile of key " + name));
                used = true;
            }
            if (passphrase == null) {
                Secret p = KeyFiles.passphrase(key, env);
                if (p != null) {
                    passphrase = p;
                    used = true;
                }
            }
            if (!used) {
                throw new UsageException("key " + name + " has no publicKeyFile (nor a passphrase) to encrypt to");
            }
        }
        return new EncryptionSettings(publicKeys, passphrase);
    }

    /**
     * A public key file, read and checked before anything runs: a key that cannot encrypt (revoked, expired, no
     * encryption subkey, not a key at all) fails here rather than after the dump started.
     */
    static byte[] publicKey(Path file, String what) {
        byte[] key = SecretFiles.readKey(file, what);
        try {
            OpenPgp.describe(key);
        } catch (java.io.IOException | RuntimeException e) {
            throw new UsageException(what + ": " + file + " holds no usable OpenPGP public key ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
                            .orElse("")) + ")");
        }
        return key;
    }
}
