package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Named encryption key sets of the global configuration: binding, and how a step's own credential arguments take
 * the place of the key set's (each one separately; a step's own secret key together with its key passphrase).
 * Looking a key set up by name, the unknown-name line and the form methods need Jenkins: DatabaseBackupConfiguration
 * JenkinsTest, PipelineStepsTest and FormPermissionTest (real plugin build).
 */
class KeySetsTest {

    private static KeySetDefinition prod() {
        KeySetDefinition prod = new KeySetDefinition(" prod ");
        prod.setRecipientCredentialsIds(List.of("ops-public-key, offsite-public-key"));
        prod.setPassphraseCredentialsId("prod-passphrase");
        prod.setSecretKeyCredentialsId("ops-secret-key");
        prod.setSecretKeyPassphraseCredentialsId("ops-secret-key-passphrase");
        return prod;
    }

    @Test
    void bindsLikeTheStepsArguments() {
        KeySetDefinition prod = prod();
        assertThat(prod.getName()).isEqualTo("prod");
        assertThat(prod.getRecipientCredentialsIds()).containsExactly("ops-public-key", "offsite-public-key");
        // the form's text box shows the stored list as [a, b]; saving it unchanged keeps the ids
        prod.setRecipientCredentialsIds(List.of(prod.getRecipientCredentialsIds().toString()));
        assertThat(prod.getRecipientCredentialsIds()).containsExactly("ops-public-key", "offsite-public-key");
        prod.setRecipientCredentialsIds(null);
        assertThat(prod.getRecipientCredentialsIds()).isEmpty();
        prod.setPassphraseCredentialsId(" ");
        prod.setSecretKeyCredentialsId("");
        prod.setSecretKeyPassphraseCredentialsId(null);
        assertThat(prod.getPassphraseCredentialsId()).isNull();
        assertThat(prod.getSecretKeyCredentialsId()).isNull();
        assertThat(prod.getSecretKeyPassphraseCredentialsId()).isNull();
        assertThatThrownBy(() -> new KeySetDefinition(" ")).hasMessageStartingWith("name is missing");
    }

    @Test
    void everyStepThatEncryptsOrDecryptsTakesAKeySetName() {
        BackupDatabaseStep backup = new BackupDatabaseStep();
        BackupRedisStep redis = new BackupRedisStep("cache1.example");
        VerifyBackupStep verify = new VerifyBackupStep("orders");
        RestoreDatabaseStep restore = new RestoreDatabaseStep("orders");
        assertThat(backup.getKeySet()).isNull();
        backup.setKeySet(" prod ");
        redis.setKeySet("prod");
        verify.setKeySet("prod");
        restore.setKeySet("");
        assertThat(List.of(backup.getKeySet(), redis.getKeySet(), verify.getKeySet())).containsOnly("prod");
        assertThat(restore.getKeySet()).isNull();
    }

    @Test
    void withoutAKeySetTheStepsOwnArgumentsAreUsed() {
        StepSupport.EncryptionIds e = StepSupport.EncryptionIds.of(List.of("k1"), "pass", null);
        assertThat(e.recipients()).containsExactly("k1");
        assertThat(e.recipientsArgument()).isEqualTo("encryptTo");
        assertThat(e.passphraseId()).isEqualTo("pass");
        assertThat(e.passphraseArgument()).isEqualTo("passphraseCredentialsId");
        StepSupport.DecryptionIds d = StepSupport.DecryptionIds.of(null, null, null, null);
        assertThat(d.secretKeyId()).isNull();
        assertThat(d.secretKeyPassphraseId()).isNull();
        assertThat(d.passphraseId()).isNull();
        assertThatThrownBy(() -> StepSupport.DecryptionIds.of(null, "kp", null, null))
                .hasMessageStartingWith("secretKeyPassphraseCredentialsId");
    }

    @Test
    void encryptionComesFromTheKeySetWhereTheStepGivesNothing() {
        StepSupport.EncryptionIds e = StepSupport.EncryptionIds.of(List.of(), null, prod());
        assertThat(e.recipients()).containsExactly("ops-public-key", "offsite-public-key");
        assertThat(e.passphraseId()).isEqualTo("prod-passphrase");
        // a missing credential is named with the key set it belongs to
        assertThat(e.recipientsArgument()).isEqualTo("recipientCredentialsIds of key set prod");
        assertThat(e.passphraseArgument()).isEqualTo("passphraseCredentialsId of key set prod");
    }

    @Test
    void theStepsOwnEncryptionArgumentsOverrideTheKeySetEachOneSeparately() {
        StepSupport.EncryptionIds recipients = StepSupport.EncryptionIds.of(List.of("team-key"), null, prod());
        assertThat(recipients.recipients()).containsExactly("team-key");
        assertThat(recipients.recipientsArgument()).isEqualTo("encryptTo");
        assertThat(recipients.passphraseId()).isEqualTo("prod-passphrase");

        StepSupport.EncryptionIds passphrase = StepSupport.EncryptionIds.of(List.of(), "own-passphrase", prod());
        assertThat(passphrase.recipients()).containsExactly("ops-public-key", "offsite-public-key");
        assertThat(passphrase.passphraseId()).isEqualTo("own-passphrase");
        assertThat(passphrase.passphraseArgument()).isEqualTo("passphraseCredentialsId");
    }

    @Test
    void decryptionComesFromTheKeySetWhereTheStepGivesNothing() {
        StepSupport.DecryptionIds d = StepSupport.DecryptionIds.of(null, null, null, prod());
        assertThat(d.secretKeyId()).isEqualTo("ops-secret-key");
        assertThat(d.secretKeyPassphraseId()).isEqualTo("ops-secret-key-passphrase");
        assertThat(d.passphraseId()).isEqualTo("prod-passphrase");
        assertThat(d.secretKeyArgument()).isEqualTo("secretKeyCredentialsId of key set prod");
        assertThat(d.secretKeyPassphraseArgument()).isEqualTo("secretKeyPassphraseCredentialsId of key set prod");
        assertThat(d.passphraseArgument()).isEqualTo("passphraseCredentialsId of key set prod");
    }

    @Test
    void theStepsOwnSecretKeyReplacesTheKeySetsKeyAndItsPassphrase() {
        // the key set's key passphrase belongs to the key set's key: never tried on another key
        StepSupport.DecryptionIds ownKey = StepSupport.DecryptionIds.of("my-key", null, null, prod());
        assertThat(ownKey.secretKeyId()).isEqualTo("my-key");
        assertThat(ownKey.secretKeyPassphraseId()).isNull();
        assertThat(ownKey.passphraseId()).isEqualTo("prod-passphrase");

        StepSupport.DecryptionIds ownKeyAndPassphrase = StepSupport.DecryptionIds.of("my-key", "my-kp", "p", prod());
        assertThat(ownKeyAndPassphrase.secretKeyId()).isEqualTo("my-key");
        assertThat(ownKeyAndPassphrase.secretKeyPassphraseId()).isEqualTo("my-kp");
        assertThat(ownKeyAndPassphrase.passphraseId()).isEqualTo("p");
        assertThat(ownKeyAndPassphrase.passphraseArgument()).isEqualTo("passphraseCredentialsId");

        // a key passphrase alone replaces the key set's, for the key set's key
        StepSupport.DecryptionIds ownKeyPassphrase = StepSupport.DecryptionIds.of(null, "rotated-kp", null, prod());
        assertThat(ownKeyPassphrase.secretKeyId()).isEqualTo("ops-secret-key");
        assertThat(ownKeyPassphrase.secretKeyArgument()).isEqualTo("secretKeyCredentialsId of key set prod");
        assertThat(ownKeyPassphrase.secretKeyPassphraseId()).isEqualTo("rotated-kp");
        assertThat(ownKeyPassphrase.secretKeyPassphraseArgument()).isEqualTo("secretKeyPassphraseCredentialsId");
    }

    @Test
    void aKeySetWithAKeyPassphraseButNoKeyIsOneLineNamingTheKeySet() {
        KeySetDefinition broken = new KeySetDefinition("broken");
        broken.setSecretKeyPassphraseCredentialsId("kp");
        assertThatThrownBy(() -> StepSupport.DecryptionIds.of(null, null, null, broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("keySet: key set broken: secretKeyPassphraseCredentialsId")
                .hasMessageNotContaining("\n");
        // a step's own key makes the key set's key passphrase irrelevant
        assertThat(StepSupport.DecryptionIds.of("my-key", null, null, broken).secretKeyPassphraseId()).isNull();
        // a key set for encryption only decrypts nothing and is no error
        KeySetDefinition encryptOnly = new KeySetDefinition("encrypt-only");
        encryptOnly.setRecipientCredentialsIds(List.of("ops-public-key"));
        StepSupport.DecryptionIds none = StepSupport.DecryptionIds.of(null, null, null, encryptOnly);
        assertThat(none.secretKeyId()).isNull();
        assertThat(none.passphraseId()).isNull();
    }
}
