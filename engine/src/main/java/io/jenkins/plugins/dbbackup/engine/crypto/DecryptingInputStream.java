package io.jenkins.plugins.dbbackup.engine.crypto;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.bcpg.S2K;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPDataValidationException;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPBEEncryptedData;
import org.bouncycastle.openpgp.PGPPadding;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.SessionKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBEDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.bc.BcSessionKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.jcajce.JceSessionKeyDataDecryptorFactoryBuilder;

/**
 * The plaintext of an OpenPGP message; see {@link OpenPgp#decrypting(InputStream, DecryptionKeys)} for the contract.
 */
final class DecryptingInputStream extends InputStream {
    private static final BcKeyFingerprintCalculator FINGERPRINTS = new BcKeyFingerprintCalculator();

    private final SourceTracker source;
    private final PGPEncryptedData encrypted;
    private final InputStream literal;
    private boolean eof;
    private boolean closed;

    private DecryptingInputStream(SourceTracker source, PGPEncryptedData encrypted, InputStream literal) {
        this.source = source;
        this.encrypted = encrypted;
        this.literal = literal;
    }

    static InputStream open(InputStream raw, DecryptionKeys keys) throws IOException {
        SourceTracker source = new SourceTracker(raw);
        try {
            PGPEncryptedDataList list = encryptedDataList(source);
            Opened opened = openWithKeys(list, keys);
            InputStream literal = literalData(opened.plaintext());
            return new DecryptingInputStream(source, opened.encrypted(), literal);
        } catch (IOException | RuntimeException | Error e) {
            IOException failure = e instanceof IOException io ? source.classify(io) : null;
            try {
                source.close();
            } catch (IOException | RuntimeException suppressed) {
                (failure != null ? failure : e).addSuppressed(suppressed);
            }
            if (failure != null) {
                throw failure;
            }
            if (e instanceof RuntimeException) {
                throw new IntegrityException("corrupt OpenPGP data: " + e, e);
            }
            throw (Error) e;
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream closed");
        }
        if (eof) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        try {
            int n = literal.read(b, off, len);
            if (n < 0) {
                verifyIntegrity();
                eof = true;
            }
            return n;
        } catch (IOException e) {
            throw source.classify(e);
        } catch (RuntimeException e) {
            throw new IntegrityException("corrupt OpenPGP data: " + e, e);
        }
    }

    @Override
    public int available() throws IOException {
        return closed || eof ? 0 : literal.available();
    }

    /** Closes the source. Does not check integrity: only reading to the end does. Idempotent. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            source.close();
        }
    }

    private void verifyIntegrity() throws IOException {
        if (encrypted.isAEAD()) {
            return; // every AEAD chunk and the final tag were checked by the decrypting stream itself
        }
        boolean ok;
        try {
            ok = encrypted.verify();
        } catch (PGPException e) {
            throw new IntegrityException("cannot check the integrity of the OpenPGP data: " + e.getMessage(), e);
        }
        if (!ok) {
            throw new IntegrityException("integrity check failed: the OpenPGP modification detection code does not"
                    + " match, the encrypted data was modified or truncated; discard the plaintext");
        }
    }

    private static PGPEncryptedDataList encryptedDataList(InputStream source) throws IOException {
        PGPObjectFactory factory = new PGPObjectFactory(PGPUtil.getDecoderStream(source), FINGERPRINTS);
        Object first;
        do {
            first = factory.nextObject();
        } while (first instanceof PGPMarker || first instanceof PGPPadding);
        if (first instanceof PGPEncryptedDataList list) {
            return list;
        }
        throw new IntegrityException(first == null
                ? "no OpenPGP data: the stream is empty"
                : "not an encrypted OpenPGP message: it starts with " + first.getClass().getSimpleName());
    }

    private record Opened(PGPEncryptedData encrypted, InputStream plaintext) {
    }

    private static Opened openWithKeys(PGPEncryptedDataList list, DecryptionKeys keys) throws IOException {
        List<PGPPublicKeyEncryptedData> publicKeyPackets = new ArrayList<>();
        List<PGPPBEEncryptedData> passphrasePackets = new ArrayList<>();
        Set<String> encryptedTo = new LinkedHashSet<>();
        for (PGPEncryptedData data : list) {
            if (data instanceof PGPPublicKeyEncryptedData pk) {
                publicKeyPackets.add(pk);
                encryptedTo.add(pk.getKeyID() == 0 ? "(hidden recipient)" : PublicKeys.keyId(pk.getKeyID()));
            } else if (data instanceof PGPPBEEncryptedData pbe) {
                passphrasePackets.add(pbe);
            }
        }
        if (!list.isIntegrityProtected()) {
            throw new IntegrityException("the OpenPGP message is not integrity protected (no modification detection"
                    + " code); refusing to decrypt it");
        }
        String describedRecipients = "the message is encrypted to "
                + (encryptedTo.isEmpty() ? "no public key" : "key id(s) " + String.join(", ", encryptedTo))
                + (passphrasePackets.isEmpty() ? "" : " and a passphrase");

        List<String> problems = new ArrayList<>();
        if (keys.secretKeyRing() != null) {
            PGPSecretKeyRingCollection ring = secretKeys(keys.secretKeyRing());
            for (PGPPublicKeyEncryptedData pk : publicKeyPackets) {
                for (PGPSecretKey secretKey : candidates(ring, pk.getKeyID())) {
                    PGPPrivateKey privateKey = unlock(secretKey, keys, problems);
                    if (privateKey == null) {
                        continue;
                    }
                    PGPSessionKey sessionKey;
                    try {
                        sessionKey = pk.getSessionKey(new BcPublicKeyDataDecryptorFactory(privateKey));
                    } catch (PGPException | RuntimeException e) {
                        problems.add("secret key " + PublicKeys.keyId(secretKey.getKeyID())
                                + " could not decrypt the session key (" + e.getMessage() + ")");
                        continue;
                    }
                    try {
                        return new Opened(pk, pk.getDataStream(dataDecryptor(sessionKey)));
                    } catch (PGPException e) {
                        throw new IntegrityException("corrupt OpenPGP data: " + e.getMessage(), e);
                    }
                }
            }
            if (problems.isEmpty()) {
                problems.add("the secret key file holds none of these keys (it holds "
                        + String.join(", ", keyIds(ring)) + ")");
            }
        }
        if (keys.symmetricPassphrase() != null) {
            if (passphrasePackets.isEmpty()) {
                problems.add("a passphrase was given but the message was not encrypted to one");
            }
            for (PGPPBEEncryptedData pbe : passphrasePackets) {
                char[] passphrase = keys.symmetricPassphrase().revealChars();
                try {
                    PGPSessionKey sessionKey = pbe.getSessionKey(new BoundedPbeDecryptorFactory(passphrase));
                    return new Opened(pbe, pbe.getDataStream(dataDecryptor(sessionKey)));
                } catch (S2kRefusedException e) {
                    throw new IntegrityException("refusing to decrypt: " + e.getMessage());
                } catch (PGPException | RuntimeException e) {
                    // a wrong passphrase yields a wrong key, which the quick check of the first block reveals
                    problems.add("the passphrase is wrong (" + e.getMessage() + ")");
                } finally {
                    java.util.Arrays.fill(passphrase, '\0');
                }
            }
        }
        if (problems.isEmpty()) {
            problems.add(passphrasePackets.isEmpty() ? "no secret key file was given" : "no passphrase was given");
        }
        throw new KeyUnavailableException("cannot decrypt: " + describedRecipients + "; " + String.join("; ", problems));
    }

    /** AES (what we and GnuPG write) through the JDK, so AES-NI is used ({@link Cfb}); older ciphers through BC. */
    private static SessionKeyDataDecryptorFactory dataDecryptor(PGPSessionKey sessionKey) {
        return switch (sessionKey.getAlgorithm()) {
            case SymmetricKeyAlgorithmTags.AES_128, SymmetricKeyAlgorithmTags.AES_192,
                 SymmetricKeyAlgorithmTags.AES_256 ->
                    new Cfb.DecryptorFactory(new JceSessionKeyDataDecryptorFactoryBuilder().build(sessionKey));
            default -> new BcSessionKeyDataDecryptorFactory(sessionKey);
        };
    }

    private static PGPSecretKeyRingCollection secretKeys(byte[] file) throws IOException {
        try {
            return new PGPSecretKeyRingCollection(
                    PGPUtil.getDecoderStream(new ByteArrayInputStream(file)), FINGERPRINTS);
        } catch (IOException | PGPException | RuntimeException e) {
            throw new KeyUnavailableException("not an OpenPGP secret key file (export one with"
                    + " 'gpg --export-secret-keys --armor KEY'): " + e.getMessage(), e);
        }
    }

    private static List<PGPSecretKey> candidates(PGPSecretKeyRingCollection ring, long keyId) {
        List<PGPSecretKey> result = new ArrayList<>();
        if (keyId != 0) {
            PGPSecretKey key = ring.getSecretKey(keyId);
            if (key != null) {
                result.add(key);
            }
            return result;
        }
        // hidden recipient (gpg --throw-keyids): try every key that can decrypt
        for (PGPSecretKeyRing keys : ring) {
            for (Iterator<PGPSecretKey> it = keys.getSecretKeys(); it.hasNext(); ) {
                PGPSecretKey key = it.next();
                if (key.getPublicKey().isEncryptionKey()) {
                    result.add(key);
                }
            }
        }
        return result;
    }

    private static PGPPrivateKey unlock(PGPSecretKey key, DecryptionKeys keys, List<String> problems) {
        String id = PublicKeys.keyId(key.getKeyID());
        if (key.isPrivateKeyEmpty()) {
            problems.add("secret key " + id + " is only a stub in the key file (its secret part is elsewhere)");
            return null;
        }
        char[] passphrase = keys.keyPassphrase() == null ? new char[0] : keys.keyPassphrase().revealChars();
        try {
            return key.extractPrivateKey(
                    new BcPBESecretKeyDecryptorBuilder(DigestCalculators.INSTANCE).build(passphrase));
        } catch (PGPException | RuntimeException e) {
            problems.add(keys.keyPassphrase() == null
                    ? "secret key " + id + " is protected by a passphrase and none was given"
                    : "the passphrase of secret key " + id + " is wrong");
            return null;
        } finally {
            java.util.Arrays.fill(passphrase, '\0');
        }
    }

    private static List<String> keyIds(PGPSecretKeyRingCollection ring) {
        List<String> ids = new ArrayList<>();
        for (PGPSecretKeyRing keys : ring) {
            for (Iterator<PGPSecretKey> it = keys.getSecretKeys(); it.hasNext(); ) {
                ids.add(PublicKeys.keyId(it.next().getKeyID()));
            }
        }
        return ids;
    }

    /** The stream of the literal data packet, past any compression and signature packets gpg adds. */
    private static InputStream literalData(InputStream plaintext) throws IOException {
        PGPObjectFactory factory = new PGPObjectFactory(plaintext, FINGERPRINTS);
        for (int depth = 0; ; ) {
            Object next = factory.nextObject();
            if (next == null) {
                throw new IntegrityException("the OpenPGP message holds no literal data");
            }
            if (next instanceof PGPLiteralData literal) {
                return literal.getDataStream();
            }
            if (next instanceof PGPCompressedData compressed) {
                if (++depth > 4) {
                    throw new IntegrityException("OpenPGP compression packets nested too deep");
                }
                try {
                    factory = new PGPObjectFactory(compressed.getDataStream(), FINGERPRINTS);
                } catch (PGPException e) {
                    throw new IntegrityException("cannot read the OpenPGP compression packet: " + e.getMessage(), e);
                }
            } else if (!(next instanceof PGPOnePassSignatureList || next instanceof PGPSignatureList
                    || next instanceof PGPMarker || next instanceof PGPPadding)) {
                throw new IntegrityException("unexpected OpenPGP packet in the encrypted data: "
                        + next.getClass().getSimpleName());
            }
        }
    }

    /**
     * Derives the key from the passphrase only when the work the message asks for is bounded: Argon2's memory size
     * comes from the message, and 2^31 KiB would exhaust any heap (found by review next to the fuzz tests; the
     * iterated and salted S2K is bounded by the format at 65 MB of hashing).
     */
    static final class BoundedPbeDecryptorFactory extends BcPBEDataDecryptorFactory {
        BoundedPbeDecryptorFactory(char[] passphrase) {
            super(passphrase, DigestCalculators.INSTANCE);
        }

        @Override
        public byte[] makeKeyFromPassPhrase(int keyAlgorithm, S2K s2k) throws PGPException {
            if (s2k != null && s2k.getType() == S2K.ARGON_2) {
                long neededMiB = s2k.getMemorySizeExponent() >= 10 ? 1L << (s2k.getMemorySizeExponent() - 10) : 1;
                long allowedMiB = Runtime.getRuntime().maxMemory() / 2 / (1024 * 1024);
                if (s2k.getMemorySizeExponent() > 30 || neededMiB > allowedMiB) {
                    throw new S2kRefusedException("the message's passphrase derivation (Argon2) asks for "
                            + (s2k.getMemorySizeExponent() > 30 ? "more than 1 TiB" : neededMiB + " MiB")
                            + " of memory, more than the " + allowedMiB + " MiB allowed here (half the JVM's heap:"
                            + " raise -Xmx if the message is genuine)");
                }
            }
            return super.makeKeyFromPassPhrase(keyAlgorithm, s2k);
        }
    }

    /** A passphrase derivation that {@link BoundedPbeDecryptorFactory} refuses to run. */
    static final class S2kRefusedException extends PGPException {
        private static final long serialVersionUID = 1L;

        S2kRefusedException(String message) {
            super(message);
        }
    }

    /**
     * Remembers failures of the source stream itself, so that they pass through as they are (a network error stays
     * a network error) while every other failure while parsing is reported as corrupt data.
     */
    private static final class SourceTracker extends InputStream {
        private final InputStream in;
        private IOException failure;

        SourceTracker(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        IOException classify(IOException e) {
            if (e instanceof IntegrityException || e instanceof KeyUnavailableException) {
                return e;
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t == failure) {
                    return e;
                }
            }
            if (e instanceof EOFException) {
                return new IntegrityException("the OpenPGP data is truncated", e);
            }
            return new IntegrityException("corrupt or truncated OpenPGP data: " + e.getMessage(), e);
        }
    }
}
