package io.jenkins.plugins.dbbackup.engine.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.bcpg.AEADEncDataPacket;
import org.bouncycastle.bcpg.SymmetricEncIntegrityPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.operator.PGPDataDecryptor;
import org.bouncycastle.openpgp.operator.PGPDataEncryptor;
import org.bouncycastle.openpgp.operator.PGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.SessionKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;

/**
 * AES in the CFB mode of OpenPGP's integrity-protected data (SEIPD version 1: CFB over the whole packet body from an
 * all-zero IV, no resynchronisation), plugged into BouncyCastle's message layer, which keeps writing and parsing the
 * packets, the session keys and the modification detection code.
 *
 * <p>Why not BouncyCastle's own JCA operators: their streams call {@code Cipher.update(byte[], int, int)}, which
 * allocates a new array for every write and read, so a backup made about two bytes of garbage per byte encrypted
 * (a growing heap, GC work and a peak RSS several hundred MB above the data path's needs). Here each stream owns one
 * buffer and nothing is allocated per call.
 *
 * <p>Decryption is faster than the JDK's CFB: in CFB each plaintext block is the ciphertext block XOR the encryption
 * of the <em>previous ciphertext</em> block, and all ciphertext is known when decrypting, so a whole buffer of
 * keystream is one AES-ECB call over the ciphertext shifted by one block (the JDK runs ECB through AES-NI several
 * blocks at a time), then a XOR. Encryption cannot do that (each block needs the previous output), so it uses the
 * JDK's {@code AES/CFB/NoPadding}. The bytes are exactly those of standard CFB, checked against the JDK's cipher in
 * {@code CfbTest} and against GnuPG in {@code OpenPgpInteropTest}.
 */
final class Cfb {
    /** Bytes encrypted or decrypted per cipher call; a multiple of the AES block. */
    static final int BUFFER = 64 * 1024;
    private static final int BLOCK = 16;

    private Cfb() {
    }

    static boolean isAes(int algorithm) {
        return algorithm == SymmetricKeyAlgorithmTags.AES_128 || algorithm == SymmetricKeyAlgorithmTags.AES_192
                || algorithm == SymmetricKeyAlgorithmTags.AES_256;
    }

    /**
     * An encryptor builder for SEIPD version 1 with AES: BouncyCastle's JCA builder describes the algorithm (the
     * session key packets read it), and {@link #build(byte[])} returns this class's allocation-free encryptor.
     */
    static final class EncryptorBuilder implements PGPDataEncryptorBuilder {
        private final JcePGPDataEncryptorBuilder description;
        private final int algorithm;
        private final SecureRandom random;

        EncryptorBuilder(int algorithm, SecureRandom random) {
            if (!isAes(algorithm)) {
                throw new IllegalArgumentException("not an AES algorithm: " + algorithm);
            }
            this.algorithm = algorithm;
            this.random = Objects.requireNonNull(random, "random");
            this.description = new JcePGPDataEncryptorBuilder(algorithm);
            description.setWithIntegrityPacket(true).setSecureRandom(random);
        }

        @Override
        public int getAlgorithm() {
            return algorithm;
        }

        @Override
        public int getAeadAlgorithm() {
            return description.getAeadAlgorithm();
        }

        @Override
        public int getChunkSize() {
            return description.getChunkSize();
        }

        @Override
        public boolean isV5StyleAEAD() {
            return false;
        }

        @Override
        public PGPDataEncryptor build(byte[] keyBytes) throws PGPException {
            Cipher cipher = cipher("AES/CFB/NoPadding", Cipher.ENCRYPT_MODE, keyBytes, true);
            return new PGPDataEncryptor() {
                @Override
                public OutputStream getOutputStream(OutputStream out) {
                    return new EncryptingStream(out, cipher);
                }

                @Override
                public PGPDigestCalculator getIntegrityCalculator() {
                    return Sha1Calculator.create();
                }

                @Override
                public int getBlockSize() {
                    return BLOCK;
                }
            };
        }

        @Override
        public PGPDataEncryptor build(byte[] keyBytes, byte[] salt) {
            throw new UnsupportedOperationException("only SEIPD version 1 is written");
        }

        @Override
        public SecureRandom getSecureRandom() {
            return random;
        }

        @Override
        public PGPDataEncryptorBuilder setWithIntegrityPacket(boolean withIntegrityPacket) {
            if (!withIntegrityPacket) {
                throw new UnsupportedOperationException("messages are always integrity protected");
            }
            return this;
        }

        @Override
        public PGPDataEncryptorBuilder setWithAEAD(int aeadAlgorithm, int chunkSize) {
            throw new UnsupportedOperationException("only SEIPD version 1 is written");
        }

        @Override
        public PGPDataEncryptorBuilder setUseV5AEAD() {
            throw new UnsupportedOperationException("only SEIPD version 1 is written");
        }

        @Override
        public PGPDataEncryptorBuilder setUseV6AEAD() {
            throw new UnsupportedOperationException("only SEIPD version 1 is written");
        }
    }

    /**
     * A decryptor factory that takes SEIPD version 1 with AES here and hands everything else (AEAD, the legacy
     * unprotected packet) to {@code fallback}.
     */
    static final class DecryptorFactory implements SessionKeyDataDecryptorFactory {
        private final SessionKeyDataDecryptorFactory fallback;

        DecryptorFactory(SessionKeyDataDecryptorFactory fallback) {
            this.fallback = Objects.requireNonNull(fallback, "fallback");
        }

        @Override
        public PGPSessionKey getSessionKey() {
            return fallback.getSessionKey();
        }

        @Override
        public PGPDataDecryptor createDataDecryptor(boolean withIntegrityPacket, int encAlgorithm, byte[] key)
                throws PGPException {
            if (!withIntegrityPacket || !isAes(encAlgorithm)) {
                return fallback.createDataDecryptor(withIntegrityPacket, encAlgorithm, key);
            }
            Cipher ecb = cipher("AES/ECB/NoPadding", Cipher.ENCRYPT_MODE, key, false);
            return new PGPDataDecryptor() {
                @Override
                public InputStream getInputStream(InputStream in) {
                    return new DecryptingStream(in, ecb);
                }

                @Override
                public int getBlockSize() {
                    return BLOCK;
                }

                @Override
                public PGPDigestCalculator getIntegrityCalculator() {
                    return Sha1Calculator.create();
                }
            };
        }

        @Override
        public PGPDataDecryptor createDataDecryptor(AEADEncDataPacket packet, PGPSessionKey sessionKey)
                throws PGPException {
            return fallback.createDataDecryptor(packet, sessionKey);
        }

        @Override
        public PGPDataDecryptor createDataDecryptor(SymmetricEncIntegrityPacket packet, PGPSessionKey sessionKey)
                throws PGPException {
            if (packet.getVersion() == SymmetricEncIntegrityPacket.VERSION_1) {
                return createDataDecryptor(true, sessionKey.getAlgorithm(), sessionKey.getKey());
            }
            return fallback.createDataDecryptor(packet, sessionKey);
        }
    }

    private static Cipher cipher(String transformation, int mode, byte[] key, boolean zeroIv) throws PGPException {
        try {
            Cipher cipher = Cipher.getInstance(transformation);
            SecretKeySpec spec = new SecretKeySpec(key, "AES");
            if (zeroIv) {
                cipher.init(mode, spec, new IvParameterSpec(new byte[BLOCK]));
            } else {
                cipher.init(mode, spec);
            }
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new PGPException("cannot set up AES (" + transformation + "): " + e.getMessage(), e);
        }
    }

    /** CFB encryption through the JDK's cipher into one reused buffer. One writer thread. */
    static final class EncryptingStream extends OutputStream {
        private final OutputStream out;
        private final Cipher cipher;
        private final byte[] buffer = new byte[BUFFER + BLOCK];
        private boolean closed;

        EncryptingStream(OutputStream out, Cipher cipher) {
            this.out = out;
            this.cipher = cipher;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (closed) {
                throw new IOException("stream closed");
            }
            while (len > 0) {
                int n = Math.min(len, BUFFER);
                int produced;
                try {
                    produced = cipher.update(b, off, n, buffer, 0);
                } catch (GeneralSecurityException e) {
                    throw new IOException("AES-CFB encryption failed: " + e.getMessage(), e);
                }
                if (produced > 0) {
                    out.write(buffer, 0, produced);
                }
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        /** Encrypts what the cipher still holds (a partial last block) and closes the stream below. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                int produced;
                try {
                    produced = cipher.doFinal(buffer, 0);
                } catch (GeneralSecurityException e) {
                    throw new IOException("AES-CFB encryption failed: " + e.getMessage(), e);
                }
                if (produced > 0) {
                    out.write(buffer, 0, produced);
                }
            } finally {
                out.close();
            }
        }
    }

    /**
     * CFB decryption as AES-ECB over the ciphertext shifted by one block, then XOR. {@code work} holds the previous
     * ciphertext block followed by the ciphertext read; {@code plain} receives the plaintext. A partial block is
     * decrypted only at end of input (CFB needs no padding), so a read that returns bytes in odd sizes costs nothing
     * extra. One reader thread.
     */
    static final class DecryptingStream extends InputStream {
        private final InputStream in;
        private final Cipher ecb;
        /** [0, BLOCK): the previous ciphertext block (zero IV at first); then ciphertext not yet decrypted. */
        private final byte[] work = new byte[BLOCK + BUFFER];
        private final byte[] keystream = new byte[BUFFER + BLOCK];
        private final byte[] plain = new byte[BUFFER + BLOCK];
        private int pending; // ciphertext bytes in work[BLOCK, BLOCK + pending)
        private int plainPos;
        private int plainEnd;
        private boolean inputEnded;
        private boolean closed;

        DecryptingStream(InputStream in, Cipher ecb) {
            this.in = in;
            this.ecb = ecb;
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
            if (len == 0) {
                return 0;
            }
            while (plainPos == plainEnd) {
                if (!refill()) {
                    return -1;
                }
            }
            int n = Math.min(len, plainEnd - plainPos);
            System.arraycopy(plain, plainPos, b, off, n);
            plainPos += n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return plainEnd - plainPos;
        }

        /** Decrypts the next run of ciphertext into {@code plain}; false at the end of the input. */
        private boolean refill() throws IOException {
            while (!inputEnded && pending < BUFFER) {
                int n = in.read(work, BLOCK + pending, BUFFER - pending);
                if (n < 0) {
                    inputEnded = true;
                } else {
                    pending += n;
                    if (pending >= BLOCK && in.available() <= 0) {
                        break; // decrypt what is here rather than wait for a full buffer
                    }
                }
            }
            int full = pending / BLOCK * BLOCK;
            int count = inputEnded ? pending : full;
            if (count == 0) {
                return !inputEnded;
            }
            int blocks = (count + BLOCK - 1) / BLOCK;
            try {
                // keystream block i = AES(ciphertext block i - 1), with the previous block (or the IV) at work[0]
                ecb.update(work, 0, blocks * BLOCK, keystream, 0);
            } catch (GeneralSecurityException e) {
                throw new IOException("AES decryption failed: " + e.getMessage(), e);
            }
            for (int i = 0; i < count; i++) {
                plain[i] = (byte) (work[BLOCK + i] ^ keystream[i]);
            }
            plainPos = 0;
            plainEnd = count;
            // keep the last full ciphertext block as the next IV, and move any partial block behind it
            int rest = pending - count;
            if (count == full && full > 0) {
                System.arraycopy(work, full, work, 0, BLOCK + rest);
            }
            pending = rest;
            return true;
        }

        @Override
        public void close() throws IOException {
            closed = true;
            in.close();
        }
    }

    /** SHA-1 for the modification detection code through the JDK (with the CPU's SHA instructions). */
    static final class Sha1Calculator implements PGPDigestCalculator {
        private final java.security.MessageDigest digest;
        private final OutputStream stream;

        private Sha1Calculator(java.security.MessageDigest digest) {
            this.digest = digest;
            this.stream = new OutputStream() {
                @Override
                public void write(int b) {
                    digest.update((byte) b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    digest.update(b, off, len);
                }
            };
        }

        static Sha1Calculator create() {
            try {
                return new Sha1Calculator(java.security.MessageDigest.getInstance("SHA-1"));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-1", e);
            }
        }

        @Override
        public int getAlgorithm() {
            return org.bouncycastle.bcpg.HashAlgorithmTags.SHA1;
        }

        @Override
        public OutputStream getOutputStream() {
            return stream;
        }

        @Override
        public byte[] getDigest() {
            return digest.digest();
        }

        @Override
        public void reset() {
            digest.reset();
        }
    }
}
