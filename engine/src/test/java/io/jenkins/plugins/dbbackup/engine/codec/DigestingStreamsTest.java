package io.jenkins.plugins.dbbackup.engine.codec;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class DigestingStreamsTest {
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void outputDigestsWhatPassesHonouringOffsetsAndSingleBytes() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DigestingOutputStream out = new DigestingOutputStream(sink);
        byte[] padded = "xxabcyy".getBytes(US_ASCII);
        out.write(padded[2]);
        out.write(padded, 3, 2);
        assertThatThrownBy(out::sha256Hex).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(out::bytes).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> out.write(padded, 6, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        out.close();
        out.close();
        assertThat(out.sha256Hex()).isEqualTo(ABC);
        assertThat(out.bytes()).isEqualTo(3);
        assertThat(sink.toString(US_ASCII)).isEqualTo("abc");
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
    }

    @Test
    void emptyOutput() throws IOException {
        DigestingOutputStream out = new DigestingOutputStream(new ByteArrayOutputStream());
        out.close();
        assertThat(out.sha256Hex()).isEqualTo(EMPTY);
        assertThat(out.bytes()).isZero();
    }

    @Test
    void inputDigestsWhatIsReadIncludingSkips() throws IOException {
        DigestingInputStream in = new DigestingInputStream(new ByteArrayInputStream("abc".getBytes(US_ASCII)));
        byte[] target = new byte[10];
        assertThat(in.read()).isEqualTo('a');
        assertThat(in.skip(1)).isEqualTo(1);
        assertThat(in.read(target, 5, 5)).isEqualTo(1);
        assertThat(target[5]).isEqualTo((byte) 'c');
        assertThat(in.read(target, 0, 3)).isEqualTo(-1);
        assertThatThrownBy(() -> in.read(target, 9, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(in::sha256Hex).isInstanceOf(IllegalStateException.class);
        assertThat(in.markSupported()).isFalse();
        in.close();
        in.close();
        assertThat(in.sha256Hex()).isEqualTo(ABC);
        assertThat(in.bytes()).isEqualTo(3);
    }

    @Test
    void closeFailureStillFixesTheDigestAndPropagates() {
        DigestingOutputStream out = new DigestingOutputStream(new ByteArrayOutputStream() {
            @Override
            public void close() throws IOException {
                throw new IOException("sink close failed");
            }
        });
        assertThatThrownBy(out::close).hasMessage("sink close failed");
        assertThat(out.sha256Hex()).isEqualTo(EMPTY);
    }
}
