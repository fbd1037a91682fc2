package io.jenkins.plugins.dbbackup.engine.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadTailInputStreamTest {
    @Test
    void remembersHeadAndTailWhateverTheReadSizes() throws IOException {
        byte[] data = new byte[100_000];
        new Random(1).nextBytes(data);
        for (int chunk : new int[] {1, 7, 100, 4095, 4096, 4097, 65536, 200_000}) {
            HeadTailInputStream in = new HeadTailInputStream(new ByteArrayInputStream(data), 16, 4096);
            byte[] buf = new byte[chunk];
            while (in.read(buf, 0, Math.min(chunk, buf.length)) >= 0) {
                // drain
            }
            assertThat(in.head()).as("chunk %d", chunk).isEqualTo(Arrays.copyOf(data, 16));
            assertThat(in.tail()).as("chunk %d", chunk).isEqualTo(Arrays.copyOfRange(data, data.length - 4096, data.length));
            assertThat(in.count()).isEqualTo(data.length);
        }
    }

    @Test
    void shortStreams() throws IOException {
        HeadTailInputStream in = new HeadTailInputStream(new ByteArrayInputStream(new byte[] {1, 2, 3}), 16, 8);
        assertThat(in.read()).isEqualTo(1);
        assertThat(in.readAllBytes()).containsExactly(2, 3);
        assertThat(in.head()).containsExactly(1, 2, 3);
        assertThat(in.tail()).containsExactly(1, 2, 3);
    }
}
