package io.jenkins.plugins.dbbackup.engine.crypto;

import static io.jenkins.plugins.dbbackup.engine.crypto.TestKeys.ALICE;
import static io.jenkins.plugins.dbbackup.engine.crypto.TestKeys.BOB;
import static io.jenkins.plugins.dbbackup.engine.crypto.TestKeys.GONE;
import static io.jenkins.plugins.dbbackup.engine.crypto.TestKeys.OLD;
import static io.jenkins.plugins.dbbackup.engine.crypto.TestKeys.SIGNER;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which public keys can be encrypted to, and what a manifest records about them. */
class OpenPgpKeysTest {
    private final TestKeys keys = TestKeys.get();

    @Test
    void describeNamesThePrimaryFingerprintAndTheEncryptionSubkeyGpgReports() throws IOException {
        for (String who : List.of(ALICE, BOB)) {
            Recipient expected = new Recipient(keys.all.fingerprint(who), keys.all.encryptionSubkeyIds(who).get(0));
            assertThat(OpenPgp.describe(keys.publicKey(who))).containsExactly(expected);
            assertThat(OpenPgp.describe(keys.publicKeyBinary(who))).containsExactly(expected);
        }
    }

    @Test
    void aFileWithTwoKeysDescribesBoth() throws IOException {
        byte[] both = keys.all.exportPublic(ALICE, false);
        byte[] bob = keys.all.exportPublic(BOB, false);
        byte[] file = new byte[both.length + bob.length];
        System.arraycopy(both, 0, file, 0, both.length);
        System.arraycopy(bob, 0, file, both.length, bob.length);
        assertThat(OpenPgp.describe(file)).extracting(Recipient::fingerprint)
                .containsExactly(keys.all.fingerprint(ALICE), keys.all.fingerprint(BOB));
    }

    @Test
    void refusesASigningOnlyKeyNamingIt() {
        assertThatThrownBy(() -> OpenPgp.describe(keys.publicKey(SIGNER)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(keys.all.fingerprint(SIGNER))
                .hasMessageContaining("no valid encryption-capable");
    }

    @Test
    void refusesAnExpiredKeyNamingItAndWhen() {
        assertThatThrownBy(() -> OpenPgp.describe(keys.publicKey(OLD)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(keys.all.fingerprint(OLD))
                .hasMessageContaining("expired on 2020-01-02");
    }

    @Test
    void refusesARevokedKeyNamingIt() {
        assertThatThrownBy(() -> OpenPgp.describe(keys.publicKey(GONE)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(keys.all.fingerprint(GONE))
                .hasMessageContaining("revoked");
    }

    @Test
    void refusesSomethingThatIsNoPublicKey() {
        assertThatThrownBy(() -> OpenPgp.describe("hello, I am not a key\n".getBytes(UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("gpg --export --armor");
        assertThatThrownBy(() -> OpenPgp.describe(keys.secretKey(ALICE)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not an OpenPGP public key file");
    }

    @Test
    void encryptingRefusesBadKeysBeforeWritingAnything() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        EncryptionSettings settings = EncryptionSettings.toKeys(List.of(keys.publicKey(ALICE), keys.publicKey(OLD)));
        assertThatThrownBy(() -> OpenPgp.encrypting(sink, settings)).hasMessageContaining("expired");
        assertThat(sink.size()).isZero();
    }

    @Test
    void settingsAndKeysNeverPrintSecrets() {
        EncryptionSettings settings = new EncryptionSettings(List.of(keys.publicKey(ALICE)), Secret.of("hunter2"));
        assertThat(settings.toString()).doesNotContain("hunter2").contains("1 file(s)");
        DecryptionKeys decryption = new DecryptionKeys(keys.secretKey(ALICE), Secret.of("k3y"), Secret.of("hunter2"));
        assertThat(decryption.toString()).doesNotContain("hunter2").doesNotContain("k3y")
                .doesNotContain("PRIVATE KEY");
        assertThat(EncryptionSettings.none().enabled()).isFalse();
        assertThatThrownBy(() -> EncryptionSettings.toPassphrase(Secret.of("")))
                .hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> new DecryptionKeys(null, null, null)).hasMessageContaining("secret key file or");
    }
}
