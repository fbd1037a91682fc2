package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.util.Map;

/** The passphrases a configuration key entry names, from its file or environment variable. */
final class KeyFiles {
    private KeyFiles() {}

    /** The symmetric passphrase of a key entry, or null when it names none. */
    static Secret passphrase(ConfigFile.KeyEntry key, Map<String, String> env) {
        return read(key.passphraseFile(), key.passphraseEnv(), "passphrase", key.name(), env);
    }

    /** The passphrase protecting a key entry's secret key, or null when it names none. */
    static Secret keyPassphrase(ConfigFile.KeyEntry key, Map<String, String> env) {
        return read(key.keyPassphraseFile(), key.keyPassphraseEnv(), "keyPassphrase", key.name(), env);
    }

    private static Secret read(java.nio.file.Path file, String envName, String field, String name,
            Map<String, String> env) {
        if (file != null) {
            return SecretFiles.readLine(file, field + "File of key " + name);
        }
        if (envName != null) {
            Secret s = SecretFiles.fromEnv(env, envName);
            if (s == null) {
                throw new UsageException("the environment variable " + envName + " (" + field + "Env of key " + name
                        + ") is not set");
            }
            return s;
        }
        return null;
    }
}
