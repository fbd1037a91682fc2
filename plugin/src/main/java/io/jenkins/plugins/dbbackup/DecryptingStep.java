package io.jenkins.plugins.dbbackup;

import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The arguments of the steps that read encrypted backups ({@code verifyBackup}, {@code restoreDatabase}): the
 * decryption credentials and a named key set, bound once here instead of in each step.
 */
public abstract class DecryptingStep extends Step {
    private String secretKeyCredentialsId;
    private String secretKeyPassphraseCredentialsId;
    private String passphraseCredentialsId;
    private String keySet;

    protected DecryptingStep() {}

    /** A "Secret file" credential with the OpenPGP secret key to decrypt the backup. */
    public String getSecretKeyCredentialsId() {
        return secretKeyCredentialsId;
    }

    @DataBoundSetter
    public void setSecretKeyCredentialsId(String secretKeyCredentialsId) {
        this.secretKeyCredentialsId = StepSupport.fixEmpty(secretKeyCredentialsId);
    }

    /** A "Secret text" credential with the passphrase of that secret key. */
    public String getSecretKeyPassphraseCredentialsId() {
        return secretKeyPassphraseCredentialsId;
    }

    @DataBoundSetter
    public void setSecretKeyPassphraseCredentialsId(String secretKeyPassphraseCredentialsId) {
        this.secretKeyPassphraseCredentialsId = StepSupport.fixEmpty(secretKeyPassphraseCredentialsId);
    }

    /** A "Secret text" credential with the symmetric passphrase the backup was encrypted with. */
    public String getPassphraseCredentialsId() {
        return passphraseCredentialsId;
    }

    @DataBoundSetter
    public void setPassphraseCredentialsId(String passphraseCredentialsId) {
        this.passphraseCredentialsId = StepSupport.fixEmpty(passphraseCredentialsId);
    }

    /**
     * Name of an encryption key set in the global configuration. The step's own credential arguments take the
     * place of its entries: {@code secretKeyCredentialsId} replaces its secret key together with its key passphrase,
     * {@code secretKeyPassphraseCredentialsId} alone its key passphrase, {@code passphraseCredentialsId} its
     * passphrase. Null for none.
     */
    public String getKeySet() {
        return keySet;
    }

    @DataBoundSetter
    public void setKeySet(String keySet) {
        this.keySet = StepSupport.fixEmpty(keySet);
    }
}
