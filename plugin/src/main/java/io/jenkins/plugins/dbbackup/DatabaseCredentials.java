package io.jenkins.plugins.dbbackup;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.common.UsernameCredentials;
import hudson.AbortException;
import hudson.model.Run;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/** Looks up the credentials a step names, on the controller, and records their use against the build. */
final class DatabaseCredentials {
    private DatabaseCredentials() {}

    /**
     * The "Username with password" credential with this id, as the build may use it; its use is tracked.
     *
     * @throws AbortException one readable line when there is no such credential or it is of another type
     */
    static StandardUsernamePasswordCredentials usernamePassword(String id, Run<?, ?> run) throws AbortException {
        IdCredentials found = CredentialsProvider.findCredentialById(id, IdCredentials.class, run);
        if (found == null) {
            throw new AbortException(Messages.DatabaseCredentials_NotFound(id));
        }
        if (!(found instanceof StandardUsernamePasswordCredentials login)) {
            throw new AbortException(
                    Messages.DatabaseCredentials_WrongType(id, kindOf(found), Messages.DatabaseCredentials_UsernamePassword()));
        }
        // findCredentialById does not record usage; the credential's usage report should show this build
        CredentialsProvider.track(run, login);
        return login;
    }

    /** A user's word for the kind of a credential, for error messages. */
    static String kindOf(Credentials credentials) {
        if (credentials instanceof StringCredentials) {
            return Messages.DatabaseCredentials_SecretText();
        }
        if (credentials instanceof FileCredentials) {
            return Messages.DatabaseCredentials_SecretFile();
        }
        if (credentials instanceof UsernameCredentials) {
            return Messages.DatabaseCredentials_Username();
        }
        return credentials.getClass().getSimpleName();
    }
}
