package io.jenkins.plugins.dbbackup.engine.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/**
 * Throwaway keys made once per test JVM by the real {@code gpg}: generated without protection because every
 * passphrase-protected operation costs gpg-agent seconds here; the one protected secret key the tests need is
 * protected the way gpg does it (S2K iterated+salted SHA-1, AES-128, SHA-1 checksum) with BouncyCastle.
 */
public final class TestKeys {
    /** ed25519 primary, cv25519 encryption subkey. */
    public static final String ALICE = "alice@example.test";
    /** RSA 2048 primary, RSA 2048 encryption subkey. */
    public static final String BOB = "bob@example.test";
    /** ed25519/cv25519, never used as a recipient. */
    public static final String CAROL = "carol@example.test";
    /** ed25519, signing only. */
    public static final String SIGNER = "signer@example.test";
    /** expired in 2020. */
    public static final String OLD = "old@example.test";
    /** revoked. */
    public static final String GONE = "gone@example.test";

    public static final Secret ALICE_KEY_PASSPHRASE = Secret.of("alice's key passphrase");

    private static TestKeys instance;

    /** The home holding every key, public and secret. */
    public final GnuPg all;

    private TestKeys(GnuPg all) {
        this.all = all;
    }

    public static synchronized TestKeys get() {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    private static TestKeys create() {
        try {
            Path parent = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "dbbackup-gpg"));
            GnuPg gpg = GnuPg.create(parent);
            String params = block("eddsa", "Key-Curve: ed25519", "ecdh", "Subkey-Curve: cv25519", "Alice", ALICE)
                    + block("rsa", "Key-Length: 2048", "rsa", "Subkey-Length: 2048", "Bob", BOB)
                    + block("eddsa", "Key-Curve: ed25519", "ecdh", "Subkey-Curve: cv25519", "Carol", CAROL)
                    + block("eddsa", "Key-Curve: ed25519", "ecdh", "Subkey-Curve: cv25519", "Gone", GONE)
                    + "Key-Type: eddsa\nKey-Curve: ed25519\nKey-Usage: sign\nName-Real: Signer\nName-Email: "
                    + SIGNER + "\nExpire-Date: 0\n%commit\n";
            gpg.run(("%no-protection\n" + params).getBytes(UTF_8), "--gen-key").ok();
            gpg.run(("%no-protection\n" + block("eddsa", "Key-Curve: ed25519", "ecdh", "Subkey-Curve: cv25519",
                    "Old", OLD).replace("Expire-Date: 0", "Expire-Date: 1d")).getBytes(UTF_8),
                    "--faked-system-time", "20200101T000000!", "--gen-key").ok();
            String gone = gpg.fingerprint(GONE);
            String revocation = Files.readString(gpg.home().resolve("openpgp-revocs.d").resolve(gone + ".rev"))
                    .replace(":-----BEGIN", "-----BEGIN");
            gpg.importKeys(revocation.getBytes(UTF_8));
            return new TestKeys(gpg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String block(String type, String typeParam, String subType, String subParam, String name,
                                String email) {
        return "Key-Type: " + type + "\n" + typeParam + "\nKey-Usage: sign\nSubkey-Type: " + subType + "\n"
                + subParam + "\nSubkey-Usage: encrypt\nName-Real: " + name + "\nName-Email: " + email
                + "\nExpire-Date: 0\n%commit\n";
    }

    public byte[] publicKey(String who) {
        return all.exportPublic(who, true);
    }

    public byte[] publicKeyBinary(String who) {
        return all.exportPublic(who, false);
    }

    /** The unprotected secret key of {@code who}, armored. */
    public byte[] secretKey(String who) {
        return all.exportSecret(who);
    }

    /** Alice's secret key protected with {@link #ALICE_KEY_PASSPHRASE}, armored. */
    public byte[] aliceProtectedSecretKey() {
        try {
            PGPSecretKeyRing ring = new PGPSecretKeyRing(
                    PGPUtil.getDecoderStream(new ByteArrayInputStream(secretKey(ALICE))),
                    new BcKeyFingerprintCalculator());
            PGPSecretKeyRing protectedRing = PGPSecretKeyRing.copyWithNewPassword(ring,
                    new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(new char[0]),
                    new BcPBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_128,
                            new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1), 0x60)
                            .build(ALICE_KEY_PASSPHRASE.revealChars()));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ArmoredOutputStream armored = new ArmoredOutputStream(bytes)) {
                protectedRing.encode(armored);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh gpg home holding only the secret key of {@code who}. */
    public GnuPg homeWithOnly(String who) {
        GnuPg gpg = GnuPg.create(all.home().getParent());
        gpg.importKeys(secretKey(who));
        return gpg;
    }

    /** A fresh gpg home without any key, for passphrases. */
    public GnuPg emptyHome() {
        return GnuPg.create(all.home().getParent());
    }
}
