package io.jenkins.plugins.dbbackup;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.common.UsernameCredentials;
import hudson.AbortException;
import hudson.model.Run;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Looks up the credentials a step names, on the controller, and records their use against the build. Every failure
 * is an {@link AbortException} with one line that names the id and never a secret.
 */
final class DatabaseCredentials {
    private DatabaseCredentials() {}

    /** A credential lookup, for {@link #forArgument}. */
    @FunctionalInterface
    interface Lookup<T> {
        T get() throws IOException;
    }

    /**
     * Runs a lookup for one step argument; its one-line failure (no such credential, wrong type) then names the
     * argument first: {@code passphraseCredentialsId: Credentials 'nope' not found ...}.
     */
    static <T> T forArgument(String argument, Lookup<T> lookup) throws IOException {
        try {
            return lookup.get();
        } catch (AbortException e) {
            throw new AbortException(argument + ": " + e.getMessage());
        }
    }

    /** A user name (may be null) and a password (engine secret) to log in to a server with. */
    record Login(String user, Secret password) {
        static final Login NONE = new Login(null, null);

        @Override
        public String toString() {
            return "Login[" + user + "]";
        }
    }

    /**
     * The "Username with password" credential with this id, as the build may use it; its use is tracked.
     *
     * @throws AbortException one readable line when there is no such credential or it is of another type
     */
    static StandardUsernamePasswordCredentials usernamePassword(String id, Run<?, ?> run) throws AbortException {
        IdCredentials found = find(id, Messages.DatabaseCredentials_UsernamePassword(), run);
        if (!(found instanceof StandardUsernamePasswordCredentials login)) {
            throw wrongType(id, found, Messages.DatabaseCredentials_UsernamePassword());
        }
        return tracked(run, login);
    }

    /** User name and password of a "Username with password" credential; {@link Login#NONE} for a null id. */
    static Login login(String id, Run<?, ?> run) throws AbortException {
        if (id == null) {
            return Login.NONE;
        }
        StandardUsernamePasswordCredentials c = usernamePassword(id, run);
        return new Login(c.getUsername(), Secret.of(c.getPassword().getPlainText()));
    }

    /**
     * A login from a "Username with password" credential, or a password alone from a "Secret text" credential (Redis
     * {@code AUTH} without a user); {@link Login#NONE} for a null id.
     */
    static Login loginOrPassword(String id, Run<?, ?> run) throws AbortException {
        if (id == null) {
            return Login.NONE;
        }
        String expected = Messages.DatabaseCredentials_SecretTextOrUsernamePassword();
        IdCredentials found = find(id, expected, run);
        if (found instanceof StandardUsernamePasswordCredentials c) {
            tracked(run, c);
            return new Login(c.getUsername(), Secret.of(c.getPassword().getPlainText()));
        }
        if (found instanceof StringCredentials s) {
            tracked(run, s);
            return new Login(null, Secret.of(s.getSecret().getPlainText()));
        }
        throw wrongType(id, found, expected);
    }

    /** The text of a "Secret text" credential as an engine secret; null for a null id. */
    static Secret secretText(String id, Run<?, ?> run) throws AbortException {
        if (id == null) {
            return null;
        }
        IdCredentials found = find(id, Messages.DatabaseCredentials_SecretText(), run);
        if (!(found instanceof StringCredentials s)) {
            throw wrongType(id, found, Messages.DatabaseCredentials_SecretText());
        }
        return Secret.of(tracked(run, s).getSecret().getPlainText());
    }

    /**
     * The content of a "Secret file" credential, or the text of a "Secret text" credential as UTF-8 bytes (an armored
     * OpenPGP key pasted as text); null for a null id.
     */
    static byte[] fileOrText(String id, Run<?, ?> run) throws IOException {
        if (id == null) {
            return null;
        }
        String expected = Messages.DatabaseCredentials_SecretFileOrText();
        IdCredentials found = find(id, expected, run);
        if (found instanceof FileCredentials f) {
            tracked(run, f);
            try (InputStream in = f.getContent()) {
                return in.readAllBytes();
            }
        }
        if (found instanceof StringCredentials s) {
            return tracked(run, s).getSecret().getPlainText().getBytes(StandardCharsets.UTF_8);
        }
        throw wrongType(id, found, expected);
    }

    private static IdCredentials find(String id, String expectedKind, Run<?, ?> run) throws AbortException {
        IdCredentials found = CredentialsProvider.findCredentialById(id, IdCredentials.class, run);
        if (found == null) {
            throw new AbortException(Messages.DatabaseCredentials_NotFound(id, expectedKind));
        }
        return found;
    }

    /** findCredentialById does not record usage; the credential's usage report should show this build. */
    private static <C extends Credentials> C tracked(Run<?, ?> run, C credentials) {
        CredentialsProvider.track(run, credentials);
        return credentials;
    }

    private static AbortException wrongType(String id, Credentials found, String expected) {
        return new AbortException(Messages.DatabaseCredentials_WrongType(id, kindOf(found), expected));
    }

    /** A user's word for the kind of a credential, for error messages. */
    static String kindOf(Credentials credentials) {
        if (credentials instanceof StringCredentials) {
            return Messages.DatabaseCredentials_SecretText();
        }
        if (credentials instanceof FileCredentials) {
            return Messages.DatabaseCredentials_SecretFile();
        }
        if (credentials instanceof StandardUsernamePasswordCredentials) {
            return Messages.DatabaseCredentials_UsernamePassword();
        }
        if (credentials instanceof UsernameCredentials) {
            return Messages.DatabaseCredentials_Username();
        }
        return credentials.getClass().getSimpleName();
    }
}
