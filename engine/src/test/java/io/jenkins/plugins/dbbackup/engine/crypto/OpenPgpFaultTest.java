package io.jenkins.plugins.dbbackup.engine.crypto;

import static io.jenkins.plugins.dbbackup.engine.crypto.OpenPgpInteropTest.decrypt;
import static io.jenkins.plugins.dbbackup.engine.crypto.OpenPgpInteropTest.encryptBytes;
import static io.jenkins.plugins.dbbackup.engine.crypto.TestKeys.ALICE;
import static io.jenkins.plugins.dbbackup.engine.crypto.TestKeys.BOB;
import static io.jenkins.plugins.dbbackup.engine.crypto.TestKeys.CAROL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.codec.DumpLikeData;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Wrong keys, tampering and truncation end in clear errors, and never in an end of stream. */
class OpenPgpFaultTest {
    private static TestKeys keys;
    private static byte[] plaintext;
    private static byte[] toAlice;
    private static byte[] toPassphrase;

    @BeforeAll
    static void setUp() throws IOException {
        keys = TestKeys.get();
        plaintext = DumpLikeData.bytes(11, 5 * OpenPgp.CHUNK + 999);
        toAlice = encryptBytes(plaintext, EncryptionSettings.toKeys(List.of(keys.publicKey(ALICE))));
        toPassphrase = encryptBytes(plaintext, EncryptionSettings.toPassphrase(Secret.of("right")));
    }

    @Test
    void aKeyThatIsNotARecipientNamesTheRecipients() {
        byte[] message = toTwo();
        String alice = keys.all.encryptionSubkeyIds(ALICE).get(0);
        String bob = keys.all.encryptionSubkeyIds(BOB).get(0);
        assertThatThrownBy(() -> OpenPgp.decrypting(new ByteArrayInputStream(message),
                DecryptionKeys.ofSecretKey(keys.secretKey(CAROL), null)))
                .isInstanceOf(KeyUnavailableException.class)
                .hasMessageContaining(alice).hasMessageContaining(bob)
                .hasMessageContaining("holds none of these keys");
    }

    @Test
    void aWrongKeyPassphraseIsNamedAsSuch() {
        assertThatThrownBy(() -> decrypt(toAlice,
                DecryptionKeys.ofSecretKey(keys.aliceProtectedSecretKey(), Secret.of("not it"))))
                .isInstanceOf(KeyUnavailableException.class)
                .hasMessageContaining("passphrase of secret key")
                .hasMessageContaining("is wrong")
                .hasMessageNotContaining("not it");
        assertThatThrownBy(() -> decrypt(toAlice, DecryptionKeys.ofSecretKey(keys.aliceProtectedSecretKey(), null)))
                .isInstanceOf(KeyUnavailableException.class)
                .hasMessageContaining("protected by a passphrase and none was given");
    }

    @Test
    void aWrongSymmetricPassphraseFailsBeforeAnyPlaintext() {
        CountingSource source = new CountingSource(toPassphrase);
        assertThatThrownBy(() -> OpenPgp.decrypting(source, DecryptionKeys.ofPassphrase(Secret.of("wrong"))))
                .isInstanceOf(KeyUnavailableException.class)
                .hasMessageContaining("passphrase is wrong")
                .hasMessageContaining("and a passphrase");
        assertThat(source.closed).as("source closed after a failed open").isTrue();
    }

    @Test
    void aPassphraseForAPublicKeyMessageSaysSo() {
        assertThatThrownBy(() -> decrypt(toAlice, DecryptionKeys.ofPassphrase(Secret.of("right"))))
                .isInstanceOf(KeyUnavailableException.class)
                .hasMessageContaining("not encrypted to one")
                .hasMessageContaining(keys.all.encryptionSubkeyIds(ALICE).get(0));
    }

    @Test
    void aFlippedByteAnywhereInTheEncryptedDataIsAnIntegrityFailure() {
        for (byte[] message : List.of(toAlice, toPassphrase)) {
            for (int at : new int[] {message.length / 3, message.length / 2, message.length - 30, message.length - 1}) {
                byte[] tampered = message.clone();
                tampered[at] ^= 0x01;
                assertThatThrownBy(() -> decrypt(tampered, keysFor(message)))
                        .as("flipped byte at %d of %d", at, message.length)
                        .isInstanceOf(IntegrityException.class);
            }
        }
    }

    @Test
    void theIntegrityFailureComesInsteadOfTheEndOfStream() throws IOException {
        byte[] tampered = toAlice.clone();
        tampered[tampered.length / 2] ^= 0x40;
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (InputStream in = OpenPgp.decrypting(new ByteArrayInputStream(tampered), keysFor(toAlice))) {
            assertThatThrownBy(() -> in.transferTo(received)).isInstanceOf(IntegrityException.class)
                    .hasMessageContaining("modification detection code");
        }
        assertThat(received.size()).as("plaintext seen before the check failed").isPositive();
    }

    @Test
    void aTruncatedMessageIsAnIntegrityFailureAtEveryLength() {
        for (byte[] message : List.of(toAlice, toPassphrase)) {
            for (int length : new int[] {message.length - 1, message.length - 22, message.length - 23,
                    message.length / 2, OpenPgp.CHUNK + 3, 700}) {
                byte[] truncated = Arrays.copyOf(message, length);
                assertThatThrownBy(() -> decrypt(truncated, keysFor(message)))
                        .as("truncated to %d of %d", length, message.length)
                        .isInstanceOf(IntegrityException.class);
            }
        }
    }

    @Test
    void garbageIsNotAMessage() {
        assertThatThrownBy(() -> decrypt(plaintext, keysFor(toAlice))).isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> decrypt(new byte[0], keysFor(toAlice))).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void aFailingSourceStaysASourceFailure() {
        InputStream broken = new FilterInputStream(new ByteArrayInputStream(toAlice)) {
            private int read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read > 100_000) {
                    throw new IOException("connection reset");
                }
                int n = super.read(b, off, Math.min(len, 4096));
                read += Math.max(n, 0);
                return n;
            }
        };
        assertThatThrownBy(() -> {
            try (InputStream in = OpenPgp.decrypting(broken, keysFor(toAlice))) {
                in.readAllBytes();
            }
        }).isNotInstanceOf(IntegrityException.class).hasMessage("connection reset");
    }

    @Test
    void readsHonourOffsetsAndSingleBytes() throws IOException {
        byte[] target = new byte[plaintext.length + 20];
        try (InputStream in = OpenPgp.decrypting(new ByteArrayInputStream(toAlice), keysFor(toAlice))) {
            int pos = 7;
            int first = in.read();
            target[pos++] = (byte) first;
            while (true) {
                int n = in.read(target, pos, Math.min(1 + pos % 5000, target.length - pos));
                if (n < 0) {
                    break;
                }
                pos += n;
            }
            assertThat(pos - 7).isEqualTo(plaintext.length);
            assertThat(in.read()).isEqualTo(-1);
            assertThatThrownBy(() -> in.read(target, target.length - 1, 2))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
        assertThat(Arrays.copyOfRange(target, 7, 7 + plaintext.length)).isEqualTo(plaintext);
    }

    @Test
    void writesHonourOffsetsAndSingleBytesAndResultsComeAfterClose() throws IOException {
        byte[] padded = new byte[plaintext.length + 10];
        System.arraycopy(plaintext, 0, padded, 5, plaintext.length);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        EncryptingOutputStream out = OpenPgp.encrypting(sink,
                new EncryptionSettings(List.of(keys.publicKey(ALICE)), Secret.of("right")));
        assertThatThrownBy(out::recipients).isInstanceOf(IllegalStateException.class);
        out.write(padded[5]);
        out.write(padded[6]);
        out.write(padded, 7, 1000);
        for (int i = 1007; i < 5 + plaintext.length; i += 3) {
            out.write(padded, i, Math.min(3, 5 + plaintext.length - i));
        }
        assertThatThrownBy(() -> out.write(padded, padded.length - 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        out.close();
        out.close(); // idempotent
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
        assertThat(out.recipients()).extracting(Recipient::fingerprint).containsExactly(keys.all.fingerprint(ALICE));
        assertThat(out.passphraseUsed()).isTrue();
        assertThat(decrypt(sink.toByteArray(), keysFor(toAlice))).isEqualTo(plaintext);
        assertThat(decrypt(sink.toByteArray(), DecryptionKeys.ofPassphrase(Secret.of("right")))).isEqualTo(plaintext);
    }

    @Test
    void afterAFailedWriteCloseDoesNotFinishTheMessage() throws IOException {
        BreakableSink sink = new BreakableSink();
        EncryptingOutputStream out = OpenPgp.encrypting(sink, EncryptionSettings.toKeys(List.of(keys.publicKey(ALICE))));
        out.write(plaintext, 0, OpenPgp.CHUNK * 2);
        sink.broken = true;
        assertThatThrownBy(() -> out.write(plaintext, 0, OpenPgp.CHUNK * 2)).hasMessage("disk full");
        int before = sink.received.size();
        out.close();
        assertThat(sink.closed).isTrue();
        assertThat(sink.received.size()).as("nothing written after the failure").isEqualTo(before);
        assertThatThrownBy(() -> decrypt(sink.received.toByteArray(), keysFor(toAlice)))
                .isInstanceOf(IntegrityException.class);
    }

    /** A sink that fails every write once broken. */
    static final class BreakableSink extends OutputStream {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        volatile boolean broken;
        boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (broken) {
                throw new IOException("disk full");
            }
            received.write(b, off, len);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static byte[] toTwo() {
        try {
            return encryptBytes(plaintext, EncryptionSettings.toKeys(List.of(keys.publicKey(ALICE), keys.publicKey(BOB))));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static DecryptionKeys keysFor(byte[] message) {
        return message == toPassphrase
                ? DecryptionKeys.ofPassphrase(Secret.of("right"))
                : DecryptionKeys.ofSecretKey(keys.secretKey(ALICE), null);
    }

    private static final class CountingSource extends ByteArrayInputStream {
        boolean closed;

        CountingSource(byte[] bytes) {
            super(bytes);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
