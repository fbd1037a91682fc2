package io.jenkins.plugins.dbbackup;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.model.Item;
import hudson.model.Run;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.SetName;
import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * What the steps share on the controller: resolving repositories, keys and named connections for a run, argument
 * checks, and the credential drop-downs of their forms. Everything that needs no Jenkins is pure and unit-tested.
 */
final class StepSupport {
    private StepSupport() {}

    static String fixEmpty(String value) {
        return BackupDatabaseStep.fixEmpty(value);
    }

    /** What every step needs from the Pipeline: it runs on the agent of the enclosing {@code node}. */
    static final java.util.Set<Class<?>> REQUIRED_CONTEXT = java.util.Set.of(hudson.model.Run.class,
            hudson.FilePath.class, hudson.model.TaskListener.class, hudson.EnvVars.class);

    /** The database types for a form's drop-down, optionally after an empty entry ("from the named connection"). */
    static hudson.util.ListBoxModel typeItems(boolean withEmpty) {
        hudson.util.ListBoxModel items = new hudson.util.ListBoxModel();
        if (withEmpty) {
            items.add("", "");
        }
        for (io.jenkins.plugins.dbbackup.engine.DatabaseType t : io.jenkins.plugins.dbbackup.engine.DatabaseType.values()) {
            items.add(t.id(), t.id());
        }
        return items;
    }

    /**
     * Runs a check for one argument and makes its failure name the argument first: an engine message such as
     * "unknown database type 'oracle'" becomes "type: unknown database type 'oracle'". A message that already
     * starts with the argument's name is kept.
     *
     * @throws IllegalArgumentException naming the argument
     */
    static <T> T argument(String argument, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage() == null ? "is not valid" : e.getMessage();
            if (message.startsWith(argument + " ") || message.startsWith(argument + ":")) {
                throw e;
            }
            throw new IllegalArgumentException(argument + ": " + message, e);
        }
    }

    /**
     * A host name or address, checked for what can never be one (spaces, '/', '@'); null stays null.
     *
     * @throws IllegalArgumentException naming the argument
     */
    static String host(String argument, String value) {
        String host = fixEmpty(value);
        if (host != null && host.matches(".*[\\s/@].*")) {
            throw new IllegalArgumentException(argument + " '" + host + "' is not a host name or address: give e.g."
                    + " db1.example.com or 127.0.0.1 (no spaces, '/' or '@')");
        }
        return host;
    }

    /** A set name, checked; null stays null. */
    static String set(String value) {
        String set = fixEmpty(value);
        return set == null ? null : SetName.check(set);
    }

    /** A repository location, checked; null stays null. */
    static String repositoryUri(String value) {
        String uri = fixEmpty(value);
        if (uri != null) {
            RepositorySpec.of(uri); // the engine's message for what can never be a repository
        }
        return uri;
    }

    /** A database type id, normalized; null stays null. */
    static String type(String argument, String value) {
        String type = fixEmpty(value);
        return type == null ? null : argument(argument, () -> DatabaseType.parse(type).id());
    }

    /** A port, 0 for the default; the message names the argument ({@code port}, {@code scratchPort}). */
    static int port(String argument, int port) {
        if (port < 0 || port > 65535) {
            String message = Messages.BackupDatabaseStep_PortOutOfRange(String.valueOf(port));
            throw new IllegalArgumentException(argument.equals("port") ? message : argument + ": " + message);
        }
        return port;
    }

    /**
     * Checks that exactly one of a repository location and a repository name is given. Pure.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static void checkOneRepository(String uri, String name) {
        if (uri != null && name != null) {
            throw new IllegalArgumentException(Messages.BackupDatabaseStep_TwoRepositories());
        }
        if (uri == null && name == null) {
            throw new IllegalArgumentException(Messages.BackupDatabaseStep_RepositoryMissing());
        }
    }

    /**
     * The repository a step names, with the S3 keys of a named repository resolved for this run.
     *
     * @throws AbortException one line: both or neither given, an unknown name, or a credential problem
     */
    static RepositorySpec repository(String function, String uri, String name, Run<?, ?> run) throws AbortException {
        try {
            checkOneRepository(uri, name);
        } catch (IllegalArgumentException e) {
            throw new AbortException(function + ": " + e.getMessage());
        }
        if (uri != null) {
            return RepositorySpec.of(uri);
        }
        RepositoryDefinition definition = DatabaseBackupConfiguration.get().repository(name);
        if (definition == null) {
            throw new AbortException("repositoryName: " + Messages.BackupDatabaseStep_UnknownRepository(name));
        }
        DatabaseCredentials.Login keys;
        try {
            keys = DatabaseCredentials.login(definition.getCredentialsId(), run);
        } catch (AbortException e) {
            throw new AbortException("credentialsId of repository " + name + ": " + e.getMessage());
        }
        try {
            return definition.toSpec(keys.user(), keys.password());
        } catch (IllegalArgumentException e) {
            throw new AbortException("repositoryName: " + Messages.StepSupport_BadRepository(name, e.getMessage()));
        }
    }

    /**
     * The named connection of the global configuration; null for a null name.
     *
     * @param argument the step argument that names it ({@code connection}, {@code scratchConnection}), for the message
     */
    static DatabaseDefinition connection(String argument, String name) throws AbortException {
        if (name == null) {
            return null;
        }
        DatabaseDefinition named = DatabaseBackupConfiguration.get().database(name);
        if (named == null) {
            throw new AbortException(argument + ": " + Messages.BackupDatabaseStep_UnknownConnection(name));
        }
        return named;
    }

    /**
     * The argument a login comes from, for messages: the step's own credential argument, else the named
     * connection's.
     */
    static String credentialsArgument(String argument, String own, DatabaseDefinition named) {
        return own != null || named == null ? argument : "credentialsId of connection " + named.getName();
    }

    /**
     * Checks the decryption arguments: a passphrase for the secret key makes sense only with the key. Pure.
     *
     * @throws IllegalArgumentException naming the argument
     */
    static void checkDecryption(String secretKeyId, String secretKeyPassphraseId) {
        if (secretKeyPassphraseId != null && secretKeyId == null) {
            throw new IllegalArgumentException(Messages.StepSupport_KeyPassphraseWithoutKey());
        }
    }

    /**
     * The encryption key set of the global configuration a step names; null for a null name.
     *
     * @throws AbortException one line starting with {@code keySet:} for an unknown name
     */
    static KeySetDefinition keySet(String name) throws AbortException {
        if (name == null) {
            return null;
        }
        KeySetDefinition named = DatabaseBackupConfiguration.get().keySet(name);
        if (named == null) {
            throw new AbortException("keySet: " + Messages.StepSupport_UnknownKeySet(name));
        }
        return named;
    }

    /** The argument a credential comes from, for messages: the step's own, else the key set's entry. */
    private static String keySetArgument(String argument, String entry, boolean own, KeySetDefinition keySet) {
        return own || keySet == null ? argument : entry + " of key set " + keySet.getName();
    }

    /**
     * The credential ids a backup is encrypted with, and the arguments they come from (for messages). The step's
     * own {@code encryptTo} replaces the key set's recipients, its own {@code passphraseCredentialsId} the key set's
     * passphrase; each one separately.
     */
    record EncryptionIds(List<String> recipients, String recipientsArgument, String passphraseId,
            String passphraseArgument) {
        /** Pure. */
        static EncryptionIds of(List<String> encryptTo, String passphraseId, KeySetDefinition keySet) {
            List<String> own = encryptTo == null ? List.of() : encryptTo;
            boolean ownRecipients = !own.isEmpty() || keySet == null;
            boolean ownPassphrase = passphraseId != null || keySet == null;
            return new EncryptionIds(
                    ownRecipients ? own : keySet.getRecipientCredentialsIds(),
                    keySetArgument("encryptTo", "recipientCredentialsIds", ownRecipients, keySet),
                    ownPassphrase ? passphraseId : keySet.getPassphraseCredentialsId(),
                    keySetArgument("passphraseCredentialsId", "passphraseCredentialsId", ownPassphrase, keySet));
        }
    }

    /**
     * The credential ids a backup is decrypted with, and the arguments they come from (for messages). The step's own
     * {@code secretKeyCredentialsId} replaces the key set's secret key together with its passphrase (a key set's
     * passphrase belongs to its own key); without it, the step's {@code secretKeyPassphraseCredentialsId} replaces the
     * key set's key passphrase. The step's {@code passphraseCredentialsId} replaces the key set's passphrase.
     */
    record DecryptionIds(String secretKeyId, String secretKeyArgument, String secretKeyPassphraseId,
            String secretKeyPassphraseArgument, String passphraseId, String passphraseArgument) {
        /**
         * Pure.
         *
         * @throws IllegalArgumentException a key passphrase without a key; named {@code keySet} when the key set's
         */
        static DecryptionIds of(String secretKeyId, String secretKeyPassphraseId, String passphraseId,
                KeySetDefinition keySet) {
            boolean ownKey = secretKeyId != null || keySet == null;
            boolean ownKeyPassphrase = ownKey || secretKeyPassphraseId != null;
            boolean ownPassphrase = passphraseId != null || keySet == null;
            String key = ownKey ? secretKeyId : keySet.getSecretKeyCredentialsId();
            String keyPassphrase =
                    ownKeyPassphrase ? secretKeyPassphraseId : keySet.getSecretKeyPassphraseCredentialsId();
            try {
                checkDecryption(key, keyPassphrase);
            } catch (IllegalArgumentException e) {
                if (ownKeyPassphrase) {
                    throw e;
                }
                throw new IllegalArgumentException("keySet: key set " + keySet.getName() + ": " + e.getMessage(), e);
            }
            return new DecryptionIds(
                    key,
                    keySetArgument("secretKeyCredentialsId", "secretKeyCredentialsId", ownKey, keySet),
                    keyPassphrase,
                    keySetArgument("secretKeyPassphraseCredentialsId", "secretKeyPassphraseCredentialsId",
                            ownKeyPassphrase, keySet),
                    ownPassphrase ? passphraseId : keySet.getPassphraseCredentialsId(),
                    keySetArgument("passphraseCredentialsId", "passphraseCredentialsId", ownPassphrase, keySet));
        }
    }

    /**
     * The keys to read an encrypted backup, from a "Secret file" (or "Secret text") OpenPGP secret key, a "Secret
     * text" passphrase of that key, and a "Secret text" symmetric passphrase, resolved for this run (each use
     * tracked); null when none is given.
     */
    static DecryptionKeys decryptionKeys(DecryptionIds ids, Run<?, ?> run) throws IOException {
        if (ids.secretKeyId() == null && ids.secretKeyPassphraseId() == null && ids.passphraseId() == null) {
            return null;
        }
        checkDecryption(ids.secretKeyId(), ids.secretKeyPassphraseId());
        byte[] secretKey = DatabaseCredentials.forArgument(ids.secretKeyArgument(),
                () -> DatabaseCredentials.fileOrText(ids.secretKeyId(), run));
        Secret keyPassphrase = DatabaseCredentials.forArgument(ids.secretKeyPassphraseArgument(),
                () -> DatabaseCredentials.secretText(ids.secretKeyPassphraseId(), run));
        Secret passphrase = DatabaseCredentials.forArgument(ids.passphraseArgument(),
                () -> DatabaseCredentials.secretText(ids.passphraseId(), run));
        return new DecryptionKeys(secretKey, keyPassphrase, passphrase);
    }

    /**
     * To whom a backup is encrypted: the OpenPGP public keys held by "Secret file" or "Secret text" credentials, and
     * a "Secret text" passphrase, resolved for this run (each use tracked); {@link EncryptionSettings#none()} when
     * neither is given.
     */
    static EncryptionSettings encryption(EncryptionIds ids, Run<?, ?> run) throws IOException {
        List<byte[]> keys = new ArrayList<>();
        for (String id : ids.recipients()) {
            keys.add(DatabaseCredentials.forArgument(ids.recipientsArgument(),
                    () -> DatabaseCredentials.fileOrText(id, run)));
        }
        Secret passphrase = DatabaseCredentials.forArgument(ids.passphraseArgument(),
                () -> DatabaseCredentials.secretText(ids.passphraseId(), run));
        return keys.isEmpty() && passphrase == null ? EncryptionSettings.none() : new EncryptionSettings(keys, passphrase);
    }

    /**
     * Credential ids for {@code encryptTo}: each element may itself hold several ids separated by commas or spaces
     * (what a one-line form field sends). Blank entries are dropped, duplicates kept once. Square brackets count as
     * separators too: the form's text box shows a stored list as {@code [a, b]}, and saving the form unchanged must
     * give back {@code a} and {@code b}, not {@code [a} and {@code b]} (credential ids hold no brackets).
     */
    static List<String> credentialIds(List<String> values) {
        List<String> ids = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                if (value == null) {
                    continue;
                }
                for (String id : value.split("[\\[\\],\\s]+")) {
                    if (!id.isEmpty() && !ids.contains(id)) {
                        ids.add(id);
                    }
                }
            }
        }
        return ids;
    }

    /**
     * A connection from a step's arguments, filling in what they leave out from a named connection. Pure.
     *
     * @param named the named connection, or null
     * @param type the step's type, or null
     * @param host the step's host, or null
     * @param port the step's port, 0 for the named connection's or the type's default
     * @param database the database, or null for the named connection's
     * @param fallbackDatabase used when neither names a database (a server-level connection), or null
     * @param login who logs in
     * @throws IllegalArgumentException naming what is missing; never a secret
     */
    static DatabaseConnection connection(DatabaseDefinition named, String type, String host, int port,
            String database, String fallbackDatabase, DatabaseCredentials.Login login) {
        String effectiveType = type != null ? type : named == null ? null : named.getType();
        if (effectiveType == null) {
            throw new IllegalArgumentException(Messages.BackupDatabaseStep_TypeMissing());
        }
        DatabaseType databaseType = DatabaseType.parse(effectiveType);
        String effectiveHost = host != null ? host : named == null ? null : named.getHost();
        int effectivePort = port != 0 ? port : named == null ? 0 : named.getPort();
        String effectiveDatabase = database != null ? database : named == null ? null : named.getDatabase();
        if (effectiveDatabase == null && databaseType != DatabaseType.REDIS) {
            effectiveDatabase = fallbackDatabase;
        }
        return new DatabaseConnection(databaseType, effectiveHost,
                effectivePort == 0 ? databaseType.defaultPort() : effectivePort, effectiveDatabase,
                login.user(), login.password());
    }

    /** The directory with native tools the agent's environment names, or null. */
    static String toolDirectory(EnvVars env) {
        return fixEmpty(env.get(BackupDatabaseStep.TOOL_DIR_VARIABLE));
    }

    /** Who prunes, as the lease records it: the build. */
    static String holder(Run<?, ?> run) {
        return "jenkins:" + run.getExternalizableId();
    }

    /**
     * What a Pipeline's step list shows for a call: the first of the given keys with a text value. Callers pass
     * only keys that can never hold a secret (set, database, connection, type, level ...).
     */
    static String describe(Map<String, Object> namedArgs, String... keys) {
        for (String key : keys) {
            Object value = namedArgs.get(key);
            if (value instanceof String text && !text.isBlank()) {
                return text.trim();
            }
        }
        return null;
    }

    /** Form checks and credential lists answer only those who may configure the job (or Jenkins). */
    static boolean mayConfigure(Item item) {
        return item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER) : item.hasPermission(Item.CONFIGURE);
    }

    static FormValidation check(Item item, Runnable setter) {
        if (!mayConfigure(item)) {
            return FormValidation.ok();
        }
        try {
            setter.run();
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    static ListBoxModel usernamePasswordItems(Item item, String current) {
        return credentialItems(item, current, CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class));
    }

    static ListBoxModel secretTextItems(Item item, String current) {
        return credentialItems(item, current, CredentialsMatchers.instanceOf(StringCredentials.class));
    }

    static ListBoxModel secretFileOrTextItems(Item item, String current) {
        return credentialItems(item, current, CredentialsMatchers.anyOf(
                CredentialsMatchers.instanceOf(FileCredentials.class),
                CredentialsMatchers.instanceOf(StringCredentials.class)));
    }

    static ListBoxModel loginOrPasswordItems(Item item, String current) {
        return credentialItems(item, current, CredentialsMatchers.anyOf(
                CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class),
                CredentialsMatchers.instanceOf(StringCredentials.class)));
    }

    /** The full list only for those who may configure the item; others see the current value alone. */
    private static ListBoxModel credentialItems(Item item, String current, CredentialsMatcher matcher) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (!mayConfigure(item)) {
            return result.includeCurrentValue(current);
        }
        return result.includeEmptyValue()
                .includeMatchingAs(hudson.security.ACL.SYSTEM2, item, StandardCredentials.class, List.of(), matcher)
                .includeCurrentValue(current);
    }
}
