package io.jenkins.plugins.dbbackup.engine.codec;

import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Pushes generated dump-like data through a full write pipeline into a null sink and prints one line:
 * {@code ok <original bytes> <stored bytes> <MB/s> <original sha256>}. Run in a forked JVM by
 * {@link BoundedMemoryTest}; also handy by hand.
 *
 * <p>Arguments: total bytes, zstd level, zstd workers, public key file or "-", passphrase or "-".
 * The data: a 1 MiB block of dump-like text regenerated every few blocks with a counter stamped into every
 * block, so it is neither free to compress nor expensive to make.
 */
public final class PipelineStress {
    private PipelineStress() {
    }

    public static void main(String[] args) throws IOException {
        long total = Long.parseLong(args[0]);
        CompressionSettings compression = new CompressionSettings(
                Integer.parseInt(args[1]) == 0 ? Compression.NONE : Compression.ZSTD,
                Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        List<byte[]> keys = args[3].equals("-") ? List.of() : List.of(Files.readAllBytes(Path.of(args[3])));
        Secret passphrase = args[4].equals("-") ? null : Secret.of(args[4]);
        long start = System.nanoTime();
        WritePipeline pipeline = WritePipeline.open(OutputStream.nullOutputStream(), compression,
                new EncryptionSettings(keys, passphrase));
        feed(pipeline.input(), total);
        double seconds = (System.nanoTime() - start) / 1e9;
        PipelineResult r = pipeline.result();
        System.out.printf("ok %d %d %.1f %s%n", r.originalBytes(), r.storedBytes(),
                r.originalBytes() / 1e6 / seconds, r.originalSha256());
    }

    /** Writes {@code total} bytes of cheap, realistic-ish data and closes {@code out}. */
    static void feed(OutputStream out, long total) throws IOException {
        DumpLikeData generator = new DumpLikeData(1);
        byte[] block = generator.fill(new byte[1 << 20]);
        try (out) {
            long written = 0;
            for (long i = 0; written < total; i++) {
                if (i % 8 == 7) {
                    generator.fill(block); // fresh text now and then, so the window never sees a pure repeat
                }
                for (int j = 0; j < 8; j++) {
                    block[(int) ((i * 7919 + j * 131_071) & (block.length - 1))] = (byte) ('0' + (i + j) % 10);
                }
                int n = (int) Math.min(block.length, total - written);
                out.write(block, 0, n);
                written += n;
            }
        }
    }
}
