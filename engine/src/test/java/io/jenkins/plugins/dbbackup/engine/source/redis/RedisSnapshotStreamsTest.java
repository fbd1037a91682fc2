package io.jenkins.plugins.dbbackup.engine.source.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The pieces between the socket and the parser: payload framing, the pipe, the value buffer, versions, counts. */
class RedisSnapshotStreamsTest {
    private static final byte[] MARKER = "abcdefghij0123456789ABCDEFGHIJ0123456789".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path temp;

    @Test
    void eofMarkerIsStrippedWhereverTheReadsSplitIt() throws IOException {
        byte[] data = new byte[5000];
        new Random(1).nextBytes(data);
        // the data itself contains most of the marker, which must not end the stream
        System.arraycopy(MARKER, 0, data, 1000, 39);
        byte[] wire = concat(data, MARKER);
        for (int maxChunk : new int[] {1, 2, 3, 7, 39, 40, 41, 1000, 100_000}) {
            for (long seed = 0; seed < 5; seed++) {
                InputStream in = new EofMarkedInputStream(RedisTestData.randomChunks(wire, seed, maxChunk), MARKER);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[1 + (int) seed * 100];
                int n;
                while ((n = in.read(buf, 0, buf.length)) >= 0) {
                    out.write(buf, 0, n);
                }
                assertThat(out.toByteArray()).as("chunks up to %d", maxChunk).isEqualTo(data);
                assertThat(in.read()).isEqualTo(-1);
            }
        }
        InputStream empty = new EofMarkedInputStream(new ByteArrayInputStream(MARKER), MARKER);
        assertThat(empty.read()).isEqualTo(-1);
    }

    @Test
    void missingEofMarkerIsAnError() {
        byte[] wire = concat(new byte[100], Arrays.copyOf(MARKER, 39));
        assertThatThrownBy(() -> new EofMarkedInputStream(new ByteArrayInputStream(wire), MARKER).readAllBytes())
                .isInstanceOf(EOFException.class).hasMessageContaining("before its end marker");
    }

    @Test
    void lengthBoundedStreamStopsAtItsLengthAndReportsACut() throws IOException {
        byte[] wire = new byte[1000];
        InputStream in = new LengthBoundedInputStream(new ByteArrayInputStream(wire), 600);
        assertThat(in.readAllBytes()).hasSize(600);
        assertThatThrownBy(() -> new LengthBoundedInputStream(new ByteArrayInputStream(wire), 2000).readAllBytes())
                .isInstanceOf(EOFException.class).hasMessageContaining("after 1000 of 2000 bytes");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void pipeCarriesBytesInOrderAndFailuresToTheReader() throws Exception {
        ChunkPipe pipe = new ChunkPipe();
        byte[] data = new byte[3_000_000];
        new Random(2).nextBytes(data);
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < data.length; i += 70_000) {
                    pipe.write(data, i, Math.min(70_000, data.length - i));
                }
                pipe.end();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        producer.start();
        assertThat(pipe.input().readAllBytes()).isEqualTo(data);
        producer.join();

        ChunkPipe failing = new ChunkPipe();
        failing.write(data, 0, 10);
        failing.fail("the RDB checksum does not match");
        assertThatThrownBy(() -> failing.input().readAllBytes()).isInstanceOf(BackupException.class)
                .hasMessage("the RDB checksum does not match");

        ChunkPipe abandoned = new ChunkPipe();
        abandoned.input().close();
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                abandoned.write(data, 0, 1000);
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("went away");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void pipeReusesAFewBuffersWhateverItCarries() throws Exception {
        ChunkPipe pipe = new ChunkPipe();
        byte[] data = new byte[1_000_003];
        new Random(3).nextBytes(data);
        int rounds = 64; // 64 MB through the pipe, in writes smaller and larger than one buffer
        Thread producer = new Thread(() -> {
            try {
                Random sizes = new Random(5);
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < data.length; ) {
                        int n = Math.min(data.length - i, 1 + sizes.nextInt(3 * ChunkPipe.BUFFER));
                        pipe.write(data, i, n);
                        i += n;
                    }
                }
                pipe.end();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        producer.start();
        java.security.MessageDigest expected = java.security.MessageDigest.getInstance("SHA-256");
        for (int r = 0; r < rounds; r++) {
            expected.update(data);
        }
        java.security.MessageDigest got = java.security.MessageDigest.getInstance("SHA-256");
        try (InputStream in = pipe.input()) {
            byte[] buffer = new byte[50_000];
            for (int n; (n = in.read(buffer)) > 0; ) {
                got.update(buffer, 0, n);
            }
        }
        producer.join();
        assertThat(got.digest()).isEqualTo(expected.digest());
        assertThat(pipe.buffersAllocated()).isLessThanOrEqualTo(18);
    }

    @Test
    void valueBufferSpillsLargeValuesToAPrivateFileAndDeletesIt() throws IOException {
        byte[] big = new byte[ValueBuffer.MEMORY_LIMIT * 2 + 5];
        new Random(4).nextBytes(big);
        try (ValueBuffer buffer = new ValueBuffer(temp)) {
            buffer.write(big, 0, 1000);
            buffer.write(big, 1000, big.length - 1000);
            assertThat(buffer.length()).isEqualTo(big.length);
            assertThat(buffer.crc()).isEqualTo(Crc64.update(0, big, 0, big.length));
            try (var files = Files.list(temp)) {
                assertThat(files.toList()).singleElement()
                        .satisfies(f -> assertThat(Files.getPosixFilePermissions(f)).hasSize(2));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            buffer.writeTo(out);
            assertThat(out.toByteArray()).isEqualTo(big);
            buffer.reset();
            try (var files = Files.list(temp)) {
                assertThat(files.toList()).isEmpty();
            }
            buffer.write(7);
            assertThat(buffer.length()).isEqualTo(1);
            assertThat(buffer.crc()).isEqualTo(Crc64.update(0, new byte[] {7}, 0, 1));
        }
    }

    @Test
    void rdbVersionsOfServerReleases() {
        assertThat(RdbVersions.newestReadable("7.0.15")).isEqualTo(10);
        assertThat(RdbVersions.newestReadable("7.2.4")).isEqualTo(11);
        assertThat(RdbVersions.newestReadable("7.4.1")).isEqualTo(12);
        assertThat(RdbVersions.newestReadable("8.0.0")).isEqualTo(12);
        assertThat(RdbVersions.newestReadable("6.2.14")).isEqualTo(9);
        assertThat(RdbVersions.newestReadable("5.0.7")).isEqualTo(9);
        assertThat(RdbVersions.newestReadable("4.0.14")).isEqualTo(8);
        assertThat(RdbVersions.newestReadable("3.2.12")).isEqualTo(7);
        assertThat(RdbVersions.newestReadable("2.8.24")).isEqualTo(6);
        assertThatThrownBy(() -> RdbVersions.newestReadable("seven")).isInstanceOf(IllegalArgumentException.class);
        assertThat(RdbVersions.firstRelease(11)).isEqualTo("7.2");
    }

    @Test
    void countComparisonAllowsForKeysThatExpiredMeanwhile() {
        Map<String, Long> recorded = Map.of("db0", 10L, "db0.expires", 3L, "db2", 5L, "db2.expires", 0L);
        assertThat(RedisSource.compareCounts(recorded, Map.of("db0", 10L, "db2", 5L))).isEmpty();
        assertThat(RedisSource.compareCounts(recorded, Map.of("db0", 7L, "db2", 5L))).isEmpty();
        assertThat(RedisSource.compareCounts(recorded, Map.of("db0", 6L, "db2", 5L))).singleElement()
                .asString().startsWith("db0: 10 keys");
        assertThat(RedisSource.compareCounts(recorded, Map.of("db0", 10L, "db2", 4L, "db5", 1L))).hasSize(2);
    }

    @Test
    void printableKeysInMessages() {
        assertThat(KeyReplayer.printable("user:1".getBytes(StandardCharsets.UTF_8))).isEqualTo("'user:1'");
        assertThat(KeyReplayer.printable(new byte[] {0, 'a', (byte) 0xff})).isEqualTo("'\\x00a\\xff'");
        assertThat(KeyReplayer.printable(new byte[500])).endsWith("...'").hasSizeLessThan(100);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
