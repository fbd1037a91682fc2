package io.jenkins.plugins.dbbackup.engine.codec;

import static io.jenkins.plugins.dbbackup.engine.crypto.TestKeys.ALICE;
import static io.jenkins.plugins.dbbackup.engine.crypto.TestKeys.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import io.jenkins.plugins.dbbackup.engine.crypto.IntegrityException;
import io.jenkins.plugins.dbbackup.engine.crypto.KeyUnavailableException;
import io.jenkins.plugins.dbbackup.engine.crypto.TestKeys;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every compression with every encryption, written and read back, with the digests both sides agree on. */
class PipelineRoundTripTest {
    static final Secret PASSPHRASE = Secret.of("pipeline passphrase");
    private static TestKeys keys;
    private static byte[] data;

    enum Encryption { NONE, PUBLIC_KEY, PASSPHRASE, BOTH, TWO_RECIPIENTS }

    @BeforeAll
    static void setUp() {
        keys = TestKeys.get();
        data = DumpLikeData.bytes(42, 300_001);
    }

    static Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        for (CompressionSettings c : List.of(CompressionSettings.none(), new CompressionSettings(Compression.GZIP, 6, 0),
                CompressionSettings.defaults(), new CompressionSettings(Compression.ZSTD, 3, 0),
                new CompressionSettings(Compression.ZSTD, 1, 2))) {
            for (Encryption e : Encryption.values()) {
                all.add(Arguments.of(c, e));
            }
        }
        return all.stream();
    }

    static EncryptionSettings settings(Encryption e) {
        return switch (e) {
            case NONE -> EncryptionSettings.none();
            case PUBLIC_KEY -> EncryptionSettings.toKeys(List.of(keys.publicKey(ALICE)));
            case PASSPHRASE -> EncryptionSettings.toPassphrase(PASSPHRASE);
            case BOTH -> new EncryptionSettings(List.of(keys.publicKey(ALICE)), PASSPHRASE);
            case TWO_RECIPIENTS -> EncryptionSettings.toKeys(List.of(keys.publicKey(ALICE), keys.publicKey(BOB)));
        };
    }

    static DecryptionKeys decryption(Encryption e) {
        return switch (e) {
            case NONE -> null;
            case PUBLIC_KEY, BOTH -> DecryptionKeys.ofSecretKey(keys.secretKey(ALICE), null);
            case PASSPHRASE -> DecryptionKeys.ofPassphrase(PASSPHRASE);
            case TWO_RECIPIENTS -> DecryptionKeys.ofSecretKey(keys.secretKey(BOB), null);
        };
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("combinations")
    void roundTrip(CompressionSettings c, Encryption e) throws IOException {
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        WritePipeline write = WritePipeline.open(stored, c, settings(e));
        assertThatThrownBy(write::result).isInstanceOf(IllegalStateException.class);
        try (OutputStream in = write.input()) {
            // a 1-byte write, a write at an offset, then the rest in odd pieces
            in.write(data[0]);
            in.write(data, 1, 4096);
            for (int pos = 4097; pos < data.length; pos += 100_000) {
                in.write(data, pos, Math.min(100_000, data.length - pos));
            }
        }
        PipelineResult result = write.result();
        assertThat(result.originalBytes()).isEqualTo(data.length);
        assertThat(result.originalSha256()).isEqualTo(sha256(data));
        assertThat(result.storedBytes()).isEqualTo(stored.size());
        assertThat(result.storedSha256()).isEqualTo(sha256(stored.toByteArray()));
        assertThat(result.compression()).isEqualTo(c.algorithm());
        assertThat(result.passphraseUsed()).isEqualTo(e == Encryption.PASSPHRASE || e == Encryption.BOTH);
        assertThat(result.recipients()).hasSize(switch (e) {
            case PUBLIC_KEY, BOTH -> 1;
            case TWO_RECIPIENTS -> 2;
            default -> 0;
        });
        if (c.algorithm() != Compression.NONE) {
            assertThat(result.storedBytes()).isLessThan(data.length / 2);
        }

        ReadPipeline read = ReadPipeline.open(new ByteArrayInputStream(stored.toByteArray()), c.algorithm(),
                decryption(e));
        byte[] back = readAtOffsets(read.output(), data.length);
        assertThat(back).isEqualTo(data);
        assertThat(read.originalSha256()).isEqualTo(result.originalSha256());
        assertThat(read.originalBytes()).isEqualTo(result.originalBytes());
        assertThat(read.storedSha256()).isEqualTo(result.storedSha256());
        assertThat(read.storedBytes()).isEqualTo(result.storedBytes());
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("combinations")
    void zeroLength(CompressionSettings c, Encryption e) throws IOException {
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        WritePipeline write = WritePipeline.open(stored, c, settings(e));
        write.input().close();
        write.input().close(); // idempotent
        assertThat(write.result().originalBytes()).isZero();
        ReadPipeline read = ReadPipeline.open(new ByteArrayInputStream(stored.toByteArray()), c.algorithm(),
                decryption(e));
        try (InputStream out = read.output()) {
            assertThat(out.read()).isEqualTo(-1);
        }
        assertThat(read.originalSha256()).isEqualTo(sha256(new byte[0]));
        assertThat(read.storedBytes()).isEqualTo(stored.size());
    }

    @Test
    void singleByteWritesAndReads() throws IOException {
        byte[] small = Arrays.copyOf(data, 200_000);
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        WritePipeline write = WritePipeline.open(stored, CompressionSettings.defaults(), settings(Encryption.BOTH));
        try (OutputStream in = write.input()) {
            for (byte b : small) {
                in.write(b);
            }
        }
        ReadPipeline read = ReadPipeline.open(new ByteArrayInputStream(stored.toByteArray()), Compression.ZSTD,
                DecryptionKeys.ofPassphrase(PASSPHRASE));
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        try (InputStream out = read.output()) {
            for (int b; (b = out.read()) >= 0; ) {
                back.write(b);
            }
        }
        assertThat(back.toByteArray()).isEqualTo(small);
        assertThat(read.originalSha256()).isEqualTo(write.result().originalSha256());
    }

    @Test
    void writeBoundsAreChecked() throws IOException {
        WritePipeline write = WritePipeline.open(new ByteArrayOutputStream(), CompressionSettings.defaults(),
                EncryptionSettings.none());
        assertThatThrownBy(() -> write.input().write(new byte[10], 8, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> write.input().write(new byte[10], -1, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        write.input().close();
        assertThatThrownBy(() -> write.input().write(1)).isInstanceOf(IOException.class);
    }

    @Test
    void theWrongKeyFailsAtOpenBeforeAnyOutput() throws IOException {
        byte[] stored = write(CompressionSettings.defaults(), settings(Encryption.TWO_RECIPIENTS));
        assertThatThrownBy(() -> ReadPipeline.open(new ByteArrayInputStream(stored), Compression.ZSTD,
                DecryptionKeys.ofSecretKey(keys.secretKey(TestKeys.CAROL), null)))
                .isInstanceOf(KeyUnavailableException.class)
                .hasMessageContaining(keys.all.encryptionSubkeyIds(ALICE).get(0))
                .hasMessageContaining(keys.all.encryptionSubkeyIds(BOB).get(0));
        byte[] symmetric = write(CompressionSettings.defaults(), settings(Encryption.PASSPHRASE));
        assertThatThrownBy(() -> ReadPipeline.open(new ByteArrayInputStream(symmetric), Compression.ZSTD,
                DecryptionKeys.ofPassphrase(Secret.of("nope"))))
                .isInstanceOf(KeyUnavailableException.class).hasMessageContaining("passphrase is wrong");
    }

    @Test
    void tamperingNeverEndsInEndOfStreamAndLeavesNoDigests() throws IOException {
        for (CompressionSettings c : List.of(CompressionSettings.none(), new CompressionSettings(Compression.GZIP, 6, 0),
                CompressionSettings.defaults())) {
            byte[] stored = write(c, settings(Encryption.PUBLIC_KEY));
            for (int variant = 0; variant < 2; variant++) {
                byte[] bad = variant == 0 ? stored.clone() : Arrays.copyOf(stored, stored.length - 10);
                if (variant == 0) {
                    bad[bad.length - 40] ^= 0x10; // near the end: the decompressor may have finished already
                }
                ReadPipeline read = ReadPipeline.open(new ByteArrayInputStream(bad), c.algorithm(),
                        decryption(Encryption.PUBLIC_KEY));
                assertThatThrownBy(() -> read.output().transferTo(OutputStream.nullOutputStream()))
                        .as("%s variant %d", c, variant).isInstanceOf(IntegrityException.class);
                assertThatThrownBy(read::originalSha256).isInstanceOf(IllegalStateException.class);
            }
        }
    }

    @Test
    void aFailingSinkFailsThePipelineAndLeavesNoResult() throws IOException {
        OutputStream sink = new OutputStream() {
            int written;
            boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (closed || written + len > 100_000) {
                    throw new IOException("disk full");
                }
                written += len;
            }

            @Override
            public void close() {
                closed = true;
            }
        };
        WritePipeline write = WritePipeline.open(sink, new CompressionSettings(Compression.ZSTD, 1, 0),
                settings(Encryption.PUBLIC_KEY));
        byte[] random = new byte[1 << 20];
        new java.util.SplittableRandom(1).nextBytes(random); // incompressible, so the sink fills
        assertThatThrownBy(() -> {
            try (OutputStream in = write.input()) {
                for (int i = 0; i < 5; i++) {
                    in.write(random);
                }
            }
        }).hasMessageContaining("disk full");
        assertThatThrownBy(write::result).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("disk full");
        write.abort(); // harmless afterwards
    }

    @Test
    void abortEndsNoFormat() throws IOException {
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        WritePipeline write = WritePipeline.open(stored, CompressionSettings.defaults(), settings(Encryption.PUBLIC_KEY));
        write.input().write(data);
        write.abort();
        assertThatThrownBy(write::result).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> write.input().write(1)).isInstanceOf(IOException.class);
        // depending on how much reached the sink, the incomplete object fails at open or while reading
        assertThatThrownBy(() -> ReadPipeline.open(new ByteArrayInputStream(stored.toByteArray()), Compression.ZSTD,
                decryption(Encryption.PUBLIC_KEY)).output().transferTo(OutputStream.nullOutputStream()))
                .isInstanceOf(IntegrityException.class);
    }

    static byte[] write(CompressionSettings c, EncryptionSettings e) throws IOException {
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        WritePipeline write = WritePipeline.open(stored, c, e);
        try (OutputStream in = write.input()) {
            in.write(data);
        }
        return stored.toByteArray();
    }

    private static byte[] readAtOffsets(InputStream in, int expected) throws IOException {
        byte[] target = new byte[expected + 13];
        int pos = 13;
        try (in) {
            while (true) {
                int n = in.read(target, pos, Math.min(1 + (pos * 7) % 70_000, target.length - pos));
                if (n < 0) {
                    break;
                }
                if (pos == target.length) {
                    assertThat(in.read()).isEqualTo(-1);
                    break;
                }
                pos += n;
            }
        }
        return Arrays.copyOfRange(target, 13, pos);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
