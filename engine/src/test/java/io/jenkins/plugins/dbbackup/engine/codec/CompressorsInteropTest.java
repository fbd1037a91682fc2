package io.jenkins.plugins.dbbackup.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our compressed streams read by the real zstd and gzip binaries, and theirs read by us. */
class CompressorsInteropTest {
    private static byte[] data;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        data = DumpLikeData.bytes(3, 1024 * 1024 + 17);
    }

    @ParameterizedTest
    @CsvSource({"ZSTD,1,0", "ZSTD,3,0", "ZSTD,3,2", "ZSTD,9,0", "GZIP,1,0", "GZIP,6,0", "GZIP,9,0"})
    void binariesReadWhatWeWrite(Compression algorithm, int level, int workers) throws Exception {
        CompressionSettings settings = new CompressionSettings(algorithm, level, workers);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream out = Compressors.compressing(compressed, settings)) {
            out.write(data, 0, 1000);
            out.write(data[1000]);
            out.flush(); // must not end the stream or a block in a harmful way
            out.write(data, 1001, data.length - 1001);
        }
        assertThat(compressed.size()).isLessThan(data.length / 2);
        Path file = dir.resolve("data" + algorithm.suffix());
        Files.write(file, compressed.toByteArray());
        String tool = algorithm == Compression.ZSTD ? "zstd" : "gzip";
        run(List.of(tool, "-t", file.toString()));
        assertThat(runToBytes(List.of(tool, "-dc", file.toString()))).isEqualTo(data);
    }

    @ParameterizedTest
    @CsvSource({"zstd,-3", "zstd,-1 -T2", "zstd,--no-check", "gzip,-6", "gzip,-1"})
    void weReadWhatBinariesWrite(String tool, String flags) throws Exception {
        Path file = dir.resolve("data");
        Files.write(file, data);
        List<String> command = new ArrayList<>(List.of(tool));
        command.addAll(Arrays.asList(flags.split(" ")));
        command.addAll(List.of("-c", file.toString()));
        byte[] compressed = runToBytes(command);
        Compression c = tool.equals("zstd") ? Compression.ZSTD : Compression.GZIP;
        try (InputStream in = Compressors.decompressing(new ByteArrayInputStream(compressed), c)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @ParameterizedTest
    @CsvSource({"ZSTD", "GZIP"})
    void concatenatedFramesOrMembersAreReadWhole(Compression c) throws IOException {
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        for (int part = 0; part < 2; part++) {
            try (OutputStream out = Compressors.compressing(both, new CompressionSettings(c, 3, 0))) {
                out.write(data, part * 1000, 1000);
            }
        }
        // compressing() closes its sink; ByteArrayOutputStream does not mind
        try (InputStream in = Compressors.decompressing(new ByteArrayInputStream(both.toByteArray()), c)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOf(data, 2000));
        }
    }

    @ParameterizedTest
    @CsvSource({"ZSTD", "GZIP"})
    void truncatedStreamsFailInsteadOfEndingShort(Compression c) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream out = Compressors.compressing(compressed, new CompressionSettings(c, 3, 0))) {
            out.write(data);
        }
        byte[] cut = Arrays.copyOf(compressed.toByteArray(), compressed.size() - 5);
        assertThatThrownBy(() -> {
            try (InputStream in = Compressors.decompressing(new ByteArrayInputStream(cut), c)) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void noneIsAPassThroughThatClosesTheSink() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = Compressors.compressing(sink, CompressionSettings.none());
        out.write(data, 5, 10);
        assertThatThrownBy(() -> out.write(data, data.length - 2, 5)).isInstanceOf(IndexOutOfBoundsException.class);
        out.close();
        out.close();
        assertThat(sink.toByteArray()).isEqualTo(Arrays.copyOfRange(data, 5, 15));
    }

    private void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", command, out).isZero();
    }

    private byte[] runToBytes(List<String> command) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".bin");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s", command).isZero();
        return Files.readAllBytes(out);
    }
}
