package io.jenkins.plugins.dbbackup.engine.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBEKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;

/**
 * OpenPGP encryption and decryption as streams.
 *
 * <p>Messages written here: public-key encrypted session key packets (one per recipient) and/or a symmetric-key
 * encrypted session key packet (S2K iterated and salted, SHA-256), then a SEIPD v1 packet (AES-256, modification
 * detection code) holding one binary literal data packet, both with partial lengths of {@value #CHUNK} bytes so the
 * size need not be known in advance. No compression packet: compression happens before, in the codec layer.
 * {@code gpg --decrypt} (2.2 and later) reads them.
 */
public final class OpenPgp {
    /** Partial-length chunk and buffer size of the literal and encrypted packets (a power of two). */
    static final int CHUNK = 64 * 1024;

    /**
     * Encoded S2K iteration count for passphrases: 0xE0 is 16,777,216 bytes hashed, about what GnuPG calibrates
     * to on current hardware, i.e. some 50 ms per guess.
     */
    static final int S2K_COUNT = 0xE0;

    private static final SecureRandom RANDOM = new SecureRandom();

    private OpenPgp() {
    }

    /**
     * A stream that encrypts what is written to it into an OpenPGP message on {@code sink}. The recipients' keys are
     * checked first (revoked, expired or signing-only keys are refused, naming the key), before anything is written.
     * Closing the returned stream closes {@code sink}; if this method throws, the caller still owns {@code sink}.
     *
     * @param settings must be {@link EncryptionSettings#enabled() enabled}
     * @throws IOException when a key file is unusable or the header cannot be written
     */
    public static EncryptingOutputStream encrypting(OutputStream sink, EncryptionSettings settings)
            throws IOException {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(settings, "settings");
        if (!settings.enabled()) {
            throw new IllegalArgumentException("encryption is not enabled: no public key and no passphrase");
        }
        Date now = new Date();
        List<PublicKeys.Selected> keys = new ArrayList<>();
        for (byte[] file : settings.recipientPublicKeys()) {
            keys.addAll(PublicKeys.select(file, now));
        }

        PGPEncryptedDataGenerator generator = new PGPEncryptedDataGenerator(
                new Cfb.EncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256, RANDOM));
        List<Recipient> recipients = new ArrayList<>();
        for (PublicKeys.Selected key : keys) {
            generator.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(key.encryptionKey()).setSecureRandom(RANDOM));
            recipients.add(key.recipient());
        }
        char[] passphrase = settings.passphrase() == null ? null : settings.passphrase().revealChars();
        try {
            if (passphrase != null) {
                generator.addMethod(new BcPBEKeyEncryptionMethodGenerator(passphrase,
                        DigestCalculators.INSTANCE.get(HashAlgorithmTags.SHA256), S2K_COUNT)
                        .setSecureRandom(RANDOM));
            }
            OutputStream encrypted = generator.open(sink, new byte[CHUNK]);
            PGPLiteralDataGenerator literalGenerator = new PGPLiteralDataGenerator();
            OutputStream literal = literalGenerator.open(encrypted, PGPLiteralDataGenerator.BINARY, "",
                    new Date(now.getTime() / 1000 * 1000), new byte[CHUNK]);
            return new EncryptingOutputStream(sink, encrypted, literal, recipients, passphrase != null);
        } catch (PGPException e) {
            throw new IOException("cannot start OpenPGP encryption: " + e.getMessage(), e);
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0'); // the generator derived its key in open()
            }
        }
    }

    /**
     * A stream of the plaintext of the OpenPGP message on {@code source} (binary or armored; as written here or by
     * {@code gpg --encrypt}/{@code --symmetric}, with or without the compression packet gpg adds).
     *
     * <p>The session key is recovered before this method returns, so a wrong key or passphrase fails here with a
     * {@link KeyUnavailableException} before any plaintext is produced. The modification detection code is checked
     * when the plaintext has been read to the end: the read that would return end of stream throws an
     * {@link IntegrityException} instead when the check fails, as does any read of a corrupt or truncated message.
     * So plaintext is good only once end of stream has been reached; a reader that closes early has checked nothing.
     * Closing the returned stream closes {@code source}; if this method throws, it closes {@code source} too.
     *
     * @throws KeyUnavailableException when no given key opens the message
     * @throws IntegrityException      when the message is not a well-formed, integrity-protected OpenPGP message
     */
    public static InputStream decrypting(InputStream source, DecryptionKeys keys) throws IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(keys, "keys");
        return DecryptingInputStream.open(source, keys);
    }

    /**
     * The recipient each key in a public key file stands for (fingerprint and the encryption subkey that would be
     * used), for manifests and the UI.
     *
     * @throws IOException naming the key when it is revoked, expired or cannot encrypt
     */
    public static List<Recipient> describe(byte[] publicKeyFile) throws IOException {
        Objects.requireNonNull(publicKeyFile, "publicKeyFile");
        return PublicKeys.select(publicKeyFile, new Date()).stream().map(PublicKeys.Selected::recipient).toList();
    }

    /**
     * The public keys inside a secret key file, each as the bytes of a binary public key file, so that what the
     * secret key decrypts can be encrypted to it again (the public part of every OpenPGP secret key travels with it).
     * With {@code keyIds} non-empty, only the keys holding a (sub)key with one of these ids (upper-case hex, 16
     * characters, as manifests record them); with {@code keyIds} empty, every key in the file.
     *
     * @throws IOException when the file is no secret key file
     */
    public static List<byte[]> publicKeysOf(byte[] secretKeyFile, Collection<String> keyIds) throws IOException {
        Objects.requireNonNull(secretKeyFile, "secretKeyFile");
        Objects.requireNonNull(keyIds, "keyIds");
        PGPSecretKeyRingCollection rings;
        try {
            rings = new PGPSecretKeyRingCollection(PGPUtil.getDecoderStream(
                    new java.io.ByteArrayInputStream(secretKeyFile)), new BcKeyFingerprintCalculator());
        } catch (IOException | PGPException | RuntimeException e) {
            throw new IOException("not an OpenPGP secret key file (export one with"
                    + " 'gpg --export-secret-keys --armor KEY'): " + e.getMessage(), e);
        }
        List<byte[]> files = new ArrayList<>();
        for (PGPSecretKeyRing ring : rings) {
            List<PGPPublicKey> keys = new ArrayList<>();
            boolean wanted = keyIds.isEmpty();
            for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext(); ) {
                PGPPublicKey key = it.next();
                keys.add(key);
                wanted |= keyIds.contains(PublicKeys.keyId(key.getKeyID()));
            }
            if (wanted) {
                files.add(new PGPPublicKeyRing(keys).getEncoded());
            }
        }
        return files;
    }
}
