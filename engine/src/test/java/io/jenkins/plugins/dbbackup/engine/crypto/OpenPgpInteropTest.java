package io.jenkins.plugins.dbbackup.engine.crypto;

import static io.jenkins.plugins.dbbackup.engine.crypto.TestKeys.ALICE;
import static io.jenkins.plugins.dbbackup.engine.crypto.TestKeys.BOB;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.dbbackup.engine.codec.DumpLikeData;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our messages read by the real gpg 2.2, and gpg's messages read by us. */
class OpenPgpInteropTest {
    private static final String PASSPHRASE = "correct horse battery staple";
    private static TestKeys keys;
    private static byte[] plaintext;

    @BeforeAll
    static void setUp() {
        keys = TestKeys.get();
        // a bit over three partial-length chunks and not a multiple of anything
        plaintext = DumpLikeData.bytes(7, 3 * OpenPgp.CHUNK + 12_345);
    }

    @Test
    void gpgDecryptsOurMessageToAPublicKey() throws IOException {
        byte[] message = encrypt(new EncryptionSettings(List.of(keys.publicKey(ALICE)), null));
        GnuPg gpg = keys.homeWithOnly(ALICE);
        GnuPg.Result result = gpg.run(message, "--verbose", "--decrypt").ok();
        assertThat(result.stdout()).isEqualTo(plaintext);
        assertThat(result.stderr()).contains("AES256 encrypted data").doesNotContain("WARNING");
    }

    @Test
    void gpgDecryptsOurMessageWithAnRsaKey() throws IOException {
        byte[] message = encrypt(new EncryptionSettings(List.of(keys.publicKeyBinary(BOB)), null));
        assertThat(keys.homeWithOnly(BOB).decrypt(message).ok().stdout()).isEqualTo(plaintext);
    }

    @Test
    void gpgDecryptsOurMessageWithOnlyThePassphrase() throws IOException {
        byte[] message = encrypt(new EncryptionSettings(List.of(), Secret.of(PASSPHRASE)));
        GnuPg.Result result = keys.emptyHome().decryptWithPassphrase(message, PASSPHRASE).ok();
        assertThat(result.stdout()).isEqualTo(plaintext);
    }

    @Test
    void gpgDecryptsOurMessageToTwoKeysAndAPassphraseWithAnyOfThem() throws IOException {
        byte[] message = encrypt(new EncryptionSettings(
                List.of(keys.publicKey(ALICE), keys.publicKey(BOB)), Secret.of(PASSPHRASE)));
        assertThat(keys.homeWithOnly(BOB).decrypt(message).ok().stdout()).isEqualTo(plaintext);
        assertThat(keys.homeWithOnly(ALICE).decrypt(message).ok().stdout()).isEqualTo(plaintext);
        assertThat(keys.emptyHome().decryptWithPassphrase(message, PASSPHRASE).ok().stdout()).isEqualTo(plaintext);
    }

    @Test
    void gpgRefusesOurMessageWithTheWrongPassphrase() throws IOException {
        byte[] message = encrypt(new EncryptionSettings(List.of(), Secret.of(PASSPHRASE)));
        GnuPg.Result result = keys.emptyHome().decryptWithPassphrase(message, "wrong");
        assertThat(result.exitCode()).isNotZero();
    }

    @Test
    void gpgSeesTheIntegrityProtectedPacketsWeWrite() throws IOException {
        byte[] message = encrypt(new EncryptionSettings(List.of(keys.publicKey(ALICE)), Secret.of(PASSPHRASE)));
        String packets = keys.homeWithOnly(ALICE).run(message, "--list-packets").out();
        assertThat(packets)
                .contains(":pubkey enc packet: version 3, algo 18, keyid " + keys.all.encryptionSubkeyIds(ALICE).get(0))
                .contains(":symkey enc packet: version 4, cipher 9")
                .contains("s2k 3, hash 8") // iterated and salted, SHA-256
                .contains("mdc_method: 2")
                .contains(":literal data packet:");
    }

    /** gpg compresses by default (ZIP); also ZLIB, BZIP2 and none. */
    @ParameterizedTest
    @ValueSource(strings = {"default", "none", "zip", "zlib", "bzip2"})
    void weDecryptGpgPublicKeyMessages(String compression) throws IOException {
        GnuPg gpg = keys.all;
        String[] args = compression.equals("default")
                ? new String[] {"--encrypt", "-r", ALICE}
                : new String[] {"--compress-algo", compression, "--encrypt", "-r", ALICE};
        byte[] message = gpg.run(plaintext, args).ok().stdout();
        assertThat(decrypt(message, DecryptionKeys.ofSecretKey(keys.secretKey(ALICE), null))).isEqualTo(plaintext);
    }

    @Test
    void weDecryptArmoredGpgMessagesToSeveralRecipientsWithOneOfTheKeys() throws IOException {
        byte[] message = keys.all.run(plaintext, "--armor", "--encrypt", "-r", ALICE, "-r", BOB).ok().stdout();
        assertThat(new String(message, 0, 27, UTF_8)).isEqualTo("-----BEGIN PGP MESSAGE-----");
        assertThat(decrypt(message, DecryptionKeys.ofSecretKey(keys.secretKey(BOB), null))).isEqualTo(plaintext);
    }

    @Test
    void weDecryptGpgMessagesWithHiddenRecipients() throws IOException {
        byte[] message = keys.all.run(plaintext, "--throw-keyids", "--encrypt", "-r", BOB).ok().stdout();
        assertThat(decrypt(message, DecryptionKeys.ofSecretKey(keys.secretKey(BOB), null))).isEqualTo(plaintext);
    }

    @Test
    void weDecryptSignedAndEncryptedGpgMessages() throws IOException {
        byte[] message = keys.all.run(plaintext, "--local-user", ALICE, "--sign", "--encrypt", "-r", BOB)
                .ok().stdout();
        assertThat(decrypt(message, DecryptionKeys.ofSecretKey(keys.secretKey(BOB), null))).isEqualTo(plaintext);
    }

    @Test
    void weDecryptGpgSymmetricMessages() throws IOException {
        GnuPg gpg = keys.emptyHome();
        var file = gpg.passphraseFile(PASSPHRASE);
        // a small S2K count keeps gpg fast; the default (about 65 million bytes of SHA-1) works the same way
        byte[] message = gpg.run(plaintext, "--no-symkey-cache", "--passphrase-file", file.toString(),
                "--s2k-count", "65536", "--armor", "--symmetric").ok().stdout();
        assertThat(decrypt(message, DecryptionKeys.ofPassphrase(Secret.of(PASSPHRASE)))).isEqualTo(plaintext);
    }

    @Test
    void weDecryptWithASecretKeyProtectedByAPassphrase() throws IOException {
        byte[] message = encrypt(new EncryptionSettings(List.of(keys.publicKey(ALICE)), null));
        DecryptionKeys decryption =
                DecryptionKeys.ofSecretKey(keys.aliceProtectedSecretKey(), TestKeys.ALICE_KEY_PASSPHRASE);
        assertThat(decrypt(message, decryption)).isEqualTo(plaintext);
    }

    @Test
    void zeroLengthPlaintextBothWays() throws IOException {
        byte[] ours = encryptBytes(new byte[0], new EncryptionSettings(List.of(keys.publicKey(ALICE)), null));
        assertThat(keys.homeWithOnly(ALICE).decrypt(ours).ok().stdout()).isEmpty();
        byte[] theirs = keys.all.run(new byte[0], "--encrypt", "-r", ALICE).ok().stdout();
        assertThat(decrypt(theirs, DecryptionKeys.ofSecretKey(keys.secretKey(ALICE), null))).isEmpty();
    }

    private static byte[] encrypt(EncryptionSettings settings) throws IOException {
        return encryptBytes(plaintext, settings);
    }

    static byte[] encryptBytes(byte[] data, EncryptionSettings settings) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (EncryptingOutputStream out = OpenPgp.encrypting(sink, settings)) {
            out.write(data);
        }
        return sink.toByteArray();
    }

    static byte[] decrypt(byte[] message, DecryptionKeys keys) throws IOException {
        try (InputStream in = OpenPgp.decrypting(new ByteArrayInputStream(message), keys)) {
            return in.readAllBytes();
        }
    }
}
