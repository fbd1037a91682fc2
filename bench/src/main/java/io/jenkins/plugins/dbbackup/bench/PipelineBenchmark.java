package io.jenkins.plugins.dbbackup.bench;

import io.jenkins.plugins.dbbackup.engine.codec.Compression;
import io.jenkins.plugins.dbbackup.engine.codec.CompressionSettings;
import io.jenkins.plugins.dbbackup.engine.codec.PipelineResult;
import io.jenkins.plugins.dbbackup.engine.codec.WritePipeline;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the write pipeline (digest of the original, compression, OpenPGP encryption, digest of the stored
 * bytes) on {@link #totalBytes} of SQL-dump-like text into a null sink, one operation per pass. MB/s is
 * {@code totalBytes / 1e6 / (seconds per operation)}.
 *
 * <p>The text comes from a 64 MiB pool of generated INSERT lines with random words and numbers, read at a rotating
 * offset so that zstd's window never sees a repeat it could not also find in a real dump. Needs {@code gpg} on the
 * PATH to make a throwaway Curve25519 key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx512m"})
@Warmup(iterations = 1)
@Measurement(iterations = 2)
public class PipelineBenchmark {
    private static final int POOL = 64 << 20;
    private static final int WRITE = 256 << 10;

    /** none, gzip-N, zstd-N or zstd-N-wW. */
    @Param({"zstd-3", "zstd-1", "zstd-3-w2", "gzip-6", "none"})
    public String compression;

    /** none, key, passphrase, both. */
    @Param({"key", "none"})
    public String encryption;

    @Param({"1073741824"})
    public long totalBytes;

    private byte[] pool;
    private byte[] publicKey;
    private Path gnupgHome;
    private long offset;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        pool = SqlText.generate(POOL, 1);
        gnupgHome = Files.createTempDirectory("bench-gnupg");
        run(List.of("gpg", "--homedir", gnupgHome.toString(), "--batch", "--passphrase", "",
                "--quick-gen-key", "Bench <bench@example.test>", "future-default", "default", "never"));
        publicKey = run(List.of("gpg", "--homedir", gnupgHome.toString(), "--batch", "--export", "--armor",
                "bench@example.test"));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        run(List.of("gpgconf", "--homedir", gnupgHome.toString(), "--kill", "all"));
        try (Stream<Path> files = Files.walk(gnupgHome)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public PipelineResult writePipeline() throws IOException {
        WritePipeline pipeline = WritePipeline.open(OutputStream.nullOutputStream(), compressionSettings(),
                encryptionSettings());
        try (OutputStream in = pipeline.input()) {
            for (long written = 0; written < totalBytes; ) {
                int n = (int) Math.min(WRITE, totalBytes - written);
                int at = (int) (offset % (POOL - WRITE));
                in.write(pool, at, n);
                offset += n + 4099; // drift so consecutive passes do not line up
                written += n;
            }
        }
        return pipeline.result();
    }

    private CompressionSettings compressionSettings() {
        String[] parts = compression.split("-");
        if (parts[0].equals("none")) {
            return CompressionSettings.none();
        }
        int workers = parts.length > 2 ? Integer.parseInt(parts[2].substring(1)) : 0;
        return new CompressionSettings(Compression.parse(parts[0]), Integer.parseInt(parts[1]), workers);
    }

    private EncryptionSettings encryptionSettings() {
        return switch (encryption) {
            case "none" -> EncryptionSettings.none();
            case "key" -> EncryptionSettings.toKeys(List.of(publicKey));
            case "passphrase" -> EncryptionSettings.toPassphrase(Secret.of("benchmark passphrase"));
            case "both" -> new EncryptionSettings(List.of(publicKey), Secret.of("benchmark passphrase"));
            default -> throw new IllegalArgumentException(encryption);
        };
    }

    private static byte[] run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IOException("failed: " + command);
        }
        return out;
    }

    /** SQL-dump-like text: INSERT lines with random words, amounts, ids and dates. */
    static final class SqlText {
        private static final String[] WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet"
                + " kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee"
                + " zulu order customer invoice shipped pending paid refunded warehouse berlin paris lisbon oslo"
                + " tokyo lagos quantity discount premium standard express returned backorder priority").split(" ");

        static byte[] generate(int size, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            byte[] out = new byte[size];
            int pos = 0;
            StringBuilder line = new StringBuilder(256);
            for (long row = 1; pos < size; row++) {
                line.setLength(0);
                line.append("INSERT INTO public.orders VALUES (").append(row).append(", '");
                for (int i = 0, n = 2 + random.nextInt(4); i < n; i++) {
                    line.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
                }
                line.append("', ").append(random.nextInt(100_000)).append('.').append(10 + random.nextInt(90))
                        .append(", ").append(random.nextLong(1L << 40)).append(", '2026-")
                        .append(1 + random.nextInt(12)).append('-').append(1 + random.nextInt(28)).append("');\n");
                byte[] bytes = line.toString().getBytes(StandardCharsets.US_ASCII);
                int n = Math.min(bytes.length, size - pos);
                System.arraycopy(bytes, 0, out, pos, n);
                pos += n;
            }
            return out;
        }
    }
}
