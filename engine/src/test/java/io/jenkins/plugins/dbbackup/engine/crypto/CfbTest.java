package io.jenkins.plugins.dbbackup.engine.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.openpgp.PGPException;
import org.junit.jupiter.api.Test;

/**
 * {@link Cfb}'s streams produce exactly the bytes of standard AES-CFB (the JDK's {@code AES/CFB/NoPadding} from a zero
 * IV, as SEIPD version 1 uses it), whatever the sizes of the writes and of the reads the source returns.
 */
class CfbTest {
    private static final int[] SIZES = {0, 1, 15, 16, 17, 31, 32, 33, 1000, Cfb.BUFFER - 1, Cfb.BUFFER,
        Cfb.BUFFER + 1, Cfb.BUFFER + 16, 3 * Cfb.BUFFER + 7, 1_000_003};

    @Test
    void encryptionEqualsTheJdksCfbForAnyWriteSizes() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        for (int keyBytes : new int[] {16, 24, 32}) {
            byte[] key = bytes(random, keyBytes);
            for (int size : SIZES) {
                byte[] plain = bytes(random, size);
                byte[] expected = jdkCfb(Cipher.ENCRYPT_MODE, key, plain);
                ByteArrayOutputStream sink = new ByteArrayOutputStream();
                try (var out = new Cfb.EncryptorBuilder(aes(keyBytes), new java.security.SecureRandom())
                        .build(key).getOutputStream(sink)) {
                    for (int at = 0; at < size; ) {
                        int n = random.nextInt(4) == 0 ? 1 : Math.min(size - at, 1 + random.nextInt(200_000));
                        if (n == 1) {
                            out.write(plain[at]);
                        } else {
                            out.write(plain, at, n);
                        }
                        at += n;
                    }
                }
                assertThat(sink.toByteArray()).as("AES-%d, %d bytes", keyBytes * 8, size).isEqualTo(expected);
            }
        }
    }

    @Test
    void decryptionEqualsTheJdksCfbForAnyReadSizes() throws Exception {
        SplittableRandom random = new SplittableRandom(12);
        for (int keyBytes : new int[] {16, 24, 32}) {
            byte[] key = bytes(random, keyBytes);
            for (int size : SIZES) {
                byte[] plain = bytes(random, size);
                byte[] cipherText = jdkCfb(Cipher.ENCRYPT_MODE, key, plain);
                long seed = random.nextLong();
                InputStream source = new ChoppyInputStream(cipherText, new SplittableRandom(seed));
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                try (InputStream in = decryptor(key).getInputStream(source)) {
                    byte[] buffer = new byte[300_000];
                    while (true) {
                        if (random.nextInt(5) == 0) {
                            int b = in.read();
                            if (b < 0) {
                                break;
                            }
                            got.write(b);
                        } else {
                            int n = in.read(buffer, 0, 1 + random.nextInt(buffer.length - 1));
                            if (n < 0) {
                                break;
                            }
                            got.write(buffer, 0, n);
                        }
                    }
                    assertThat(in.read()).isEqualTo(-1);
                }
                assertThat(got.toByteArray()).as("AES-%d, %d bytes, seed %d", keyBytes * 8, size, seed)
                        .isEqualTo(plain);
            }
        }
    }

    @Test
    void otherAlgorithmsAndLegacyPacketsGoToTheFallback() throws Exception {
        byte[] key = new byte[32];
        var sessionKey = new org.bouncycastle.openpgp.PGPSessionKey(aes(32), key);
        java.util.List<String> delegated = new java.util.ArrayList<>();
        var fallback = new org.bouncycastle.openpgp.operator.SessionKeyDataDecryptorFactory() {
            @Override
            public org.bouncycastle.openpgp.PGPSessionKey getSessionKey() {
                return sessionKey;
            }

            @Override
            public org.bouncycastle.openpgp.operator.PGPDataDecryptor createDataDecryptor(
                    boolean withIntegrityPacket, int encAlgorithm, byte[] k) {
                delegated.add("cfb " + withIntegrityPacket + " " + encAlgorithm);
                return null;
            }

            @Override
            public org.bouncycastle.openpgp.operator.PGPDataDecryptor createDataDecryptor(
                    org.bouncycastle.bcpg.AEADEncDataPacket packet, org.bouncycastle.openpgp.PGPSessionKey k) {
                delegated.add("aead");
                return null;
            }

            @Override
            public org.bouncycastle.openpgp.operator.PGPDataDecryptor createDataDecryptor(
                    org.bouncycastle.bcpg.SymmetricEncIntegrityPacket packet,
                    org.bouncycastle.openpgp.PGPSessionKey k) {
                delegated.add("seipd v" + packet.getVersion());
                return null;
            }
        };
        var factory = new Cfb.DecryptorFactory(fallback);
        assertThat(factory.getSessionKey()).isSameAs(sessionKey);
        assertThat(factory.createDataDecryptor(true, aes(32), key)).isNotNull(); // ours
        factory.createDataDecryptor(false, aes(32), key); // legacy packet without integrity protection
        factory.createDataDecryptor(true, org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags.CAST5, new byte[16]);
        assertThat(delegated).containsExactly("cfb false 9", "cfb true 3");
    }

    private static org.bouncycastle.openpgp.operator.PGPDataDecryptor decryptor(byte[] key) throws PGPException {
        var sessionKey = new org.bouncycastle.openpgp.PGPSessionKey(aes(key.length), key);
        return new Cfb.DecryptorFactory(new org.bouncycastle.openpgp.operator.jcajce
                .JceSessionKeyDataDecryptorFactoryBuilder().build(sessionKey))
                .createDataDecryptor(true, aes(key.length), key);
    }

    private static int aes(int keyBytes) {
        return switch (keyBytes) {
            case 16 -> org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags.AES_128;
            case 24 -> org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags.AES_192;
            default -> org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags.AES_256;
        };
    }

    private static byte[] jdkCfb(int mode, byte[] key, byte[] data) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/CFB/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
        return cipher.doFinal(data);
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Returns the bytes in reads of random sizes, often shorter than a block, as a pipe or a socket may. */
    private static final class ChoppyInputStream extends ByteArrayInputStream {
        private final SplittableRandom random;

        ChoppyInputStream(byte[] data, SplittableRandom random) {
            super(data);
            this.random = random;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int limit = random.nextInt(3) == 0 ? 1 + random.nextInt(20) : 1 + random.nextInt(Math.max(1, len));
            return super.read(b, off, Math.min(len, limit));
        }

        @Override
        public synchronized int available() {
            return random.nextBoolean() ? 0 : super.available();
        }
    }

    @Test
    void closedStreamsRefuseWork() throws IOException, PGPException {
        byte[] key = new byte[32];
        var out = new Cfb.EncryptorBuilder(aes(32), new java.security.SecureRandom()).build(key)
                .getOutputStream(new ByteArrayOutputStream());
        out.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> out.write(new byte[1], 0, 1))
                .isInstanceOf(IOException.class);
        InputStream in = decryptor(key).getInputStream(new ByteArrayInputStream(new byte[5]));
        in.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> in.read(new byte[1], 0, 1))
                .isInstanceOf(IOException.class);
    }
}
