package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What decrypts an encrypted backup: a secret key file (with its passphrase) and/or the symmetric passphrase. */
final class DecryptionOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--key-file", paramLabel = "FILE", order = 30,
            description = "OpenPGP secret key file to decrypt with (armored or binary, as gpg --export-secret-keys"
                    + " writes it).")
    Path keyFile;

    @Option(names = "--key-passphrase-file", paramLabel = "FILE", order = 31,
            description = "File holding the passphrase of the secret key (first line); otherwise"
                    + " DBBACKUP_KEY_PASSPHRASE if set.")
    Path keyPassphraseFile;

    @Option(names = "--passphrase-file", paramLabel = "FILE", order = 32,
            description = "File holding the passphrase the backup was encrypted to (first line); otherwise"
                    + " DBBACKUP_PASSPHRASE if set.")
    Path passphraseFile;

    @Option(names = "--key-name", paramLabel = "NAME", order = 33,
            description = "A key entry of the configuration file to decrypt with; repeatable (the first with a"
                    + " secret key file is used).")
    List<String> keyNames = new ArrayList<>();

    @Option(names = {"--passphrase", "--key-passphrase"}, paramLabel = "VALUE", hidden = true)
    void refusePassphrase(String ignored) {
        throw SecretFiles.refused(mixee, "a passphrase argument", "--passphrase-file / --key-passphrase-file FILE,"
                + " or DBBACKUP_PASSPHRASE / DBBACKUP_KEY_PASSPHRASE");
    }

    /** The keys, or null when none are given (the engine then reports KEY_UNAVAILABLE for encrypted backups). */
    DecryptionKeys resolve(ConfigFile config, Map<String, String> env) {
        byte[] secretKey = keyFile == null ? null : SecretFiles.readKey(keyFile, "--key-file");
        Secret keyPassphrase = keyPassphraseFile != null
                ? SecretFiles.readLine(keyPassphraseFile, "--key-passphrase-file")
                : SecretFiles.fromEnv(env, "DBBACKUP_KEY_PASSPHRASE");
        Secret passphrase = passphraseFile != null ? SecretFiles.readLine(passphraseFile, "--passphrase-file")
                : SecretFiles.fromEnv(env, "DBBACKUP_PASSPHRASE");
        List<String> names = !keyNames.isEmpty() ? keyNames
                : secretKey == null && passphrase == null ? config.defaults().keys() : List.of();
        for (String name : names) {
            ConfigFile.KeyEntry key = UsageException.naming("--key-name", () -> config.key(name));
            if (secretKey == null && key.secretKeyFile() != null) {
                secretKey = SecretFiles.readKey(key.secretKeyFile(), "secretKeyFile of key " + name);
                if (keyPassphrase == null) {
                    keyPassphrase = KeyFiles.keyPassphrase(key, env);
                }
            }
            if (passphrase == null) {
                passphrase = KeyFiles.passphrase(key, env);
            }
        }
        if (secretKey == null && passphrase == null) {
            if (keyPassphraseFile != null) {
                throw new UsageException("--key-passphrase-file needs --key-file");
            }
            return null;
        }
        return new DecryptionKeys(secretKey, secretKey == null ? null : keyPassphrase, passphrase);
    }
}
