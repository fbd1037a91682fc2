package io.jenkins.plugins.dbbackup;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A named encryption key set in the global configuration: the recipients and passphrase a backup is encrypted to,
 * and the secret key (with its passphrase) that decrypts it. Steps name it with {@code keySet: 'prod'}; their own
 * credential arguments override its entries. Holds credential ids only, never a key or a passphrase.
 */
public final class KeySetDefinition implements Describable<KeySetDefinition> {
    private final String name;
    private List<String> recipientCredentialsIds = List.of();
    private String passphraseCredentialsId;
    private String secretKeyCredentialsId;
    private String secretKeyPassphraseCredentialsId;

    @DataBoundConstructor
    public KeySetDefinition(String name) {
        String value = BackupDatabaseStep.fixEmpty(name);
        if (value == null) {
            throw new IllegalArgumentException(Messages.DatabaseDefinition_NameMissing());
        }
        this.name = value;
    }

    public String getName() {
        return name;
    }

    /**
     * Ids of "Secret file" or "Secret text" credentials, each holding an OpenPGP public key a backup is encrypted
     * to, as a step's {@code encryptTo} takes them; empty for none.
     */
    public List<String> getRecipientCredentialsIds() {
        return recipientCredentialsIds == null ? List.of() : recipientCredentialsIds;
    }

    @DataBoundSetter
    public void setRecipientCredentialsIds(List<String> recipientCredentialsIds) {
        this.recipientCredentialsIds = List.copyOf(StepSupport.credentialIds(recipientCredentialsIds));
    }

    /** Id of a "Secret text" credential: the symmetric passphrase, to encrypt and to decrypt; null for none. */
    public String getPassphraseCredentialsId() {
        return passphraseCredentialsId;
    }

    @DataBoundSetter
    public void setPassphraseCredentialsId(String passphraseCredentialsId) {
        this.passphraseCredentialsId = BackupDatabaseStep.fixEmpty(passphraseCredentialsId);
    }

    /** Id of a "Secret file" (or "Secret text") credential with the OpenPGP secret key that decrypts; null for none. */
    public String getSecretKeyCredentialsId() {
        return secretKeyCredentialsId;
    }

    @DataBoundSetter
    public void setSecretKeyCredentialsId(String secretKeyCredentialsId) {
        this.secretKeyCredentialsId = BackupDatabaseStep.fixEmpty(secretKeyCredentialsId);
    }

    /** Id of a "Secret text" credential with the passphrase of the secret key; null for none. */
    public String getSecretKeyPassphraseCredentialsId() {
        return secretKeyPassphraseCredentialsId;
    }

    @DataBoundSetter
    public void setSecretKeyPassphraseCredentialsId(String secretKeyPassphraseCredentialsId) {
        this.secretKeyPassphraseCredentialsId = BackupDatabaseStep.fixEmpty(secretKeyPassphraseCredentialsId);
    }

    @Extension
    @Symbol("keySet")
    public static final class DescriptorImpl extends Descriptor<KeySetDefinition> {
        @Override
        public String getDisplayName() {
            return Messages.KeySetDefinition_DisplayName();
        }

        @POST
        public ListBoxModel doFillPassphraseCredentialsIdItems(@QueryParameter String passphraseCredentialsId) {
            return items(passphraseCredentialsId, CredentialsMatchers.instanceOf(StringCredentials.class));
        }

        @POST
        public ListBoxModel doFillSecretKeyCredentialsIdItems(@QueryParameter String secretKeyCredentialsId) {
            return items(secretKeyCredentialsId, CredentialsMatchers.anyOf(
                    CredentialsMatchers.instanceOf(FileCredentials.class),
                    CredentialsMatchers.instanceOf(StringCredentials.class)));
        }

        @POST
        public ListBoxModel doFillSecretKeyPassphraseCredentialsIdItems(
                @QueryParameter String secretKeyPassphraseCredentialsId) {
            return items(secretKeyPassphraseCredentialsId, CredentialsMatchers.instanceOf(StringCredentials.class));
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return BackupDatabaseStep.fixEmpty(value) == null
                    ? FormValidation.error(Messages.DatabaseDefinition_NameMissing())
                    : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckSecretKeyPassphraseCredentialsId(
                @QueryParameter String value, @QueryParameter String secretKeyCredentialsId) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            try {
                StepSupport.checkDecryption(
                        BackupDatabaseStep.fixEmpty(secretKeyCredentialsId), BackupDatabaseStep.fixEmpty(value));
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.warning(e.getMessage());
            }
        }

        /**
         * Credentials for a drop-down in the global configuration: the full list only for administrators, otherwise
         * just the current value.
         */
        private static ListBoxModel items(String current, CredentialsMatcher matcher) {
            StandardListBoxModel result = new StandardListBoxModel();
            Jenkins jenkins = Jenkins.get();
            if (!jenkins.hasPermission(Jenkins.ADMINISTER)) {
                return result.includeCurrentValue(current);
            }
            return result.includeEmptyValue()
                    .includeMatchingAs(ACL.SYSTEM2, jenkins, StandardCredentials.class, List.of(), matcher)
                    .includeCurrentValue(current);
        }
    }
}
