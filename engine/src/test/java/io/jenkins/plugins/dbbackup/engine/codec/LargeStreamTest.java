package io.jenkins.plugins.dbbackup.engine.codec;

import static io.jenkins.plugins.dbbackup.engine.crypto.TestKeys.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import io.jenkins.plugins.dbbackup.engine.crypto.TestKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A multi-gigabyte stream written and read back at the same time through a pipe, never stored: the digests of both
 * sides must agree. Slow on a shared machine, so it runs only with {@code -Ddbbackup.largeTests=true}.
 */
@Tag("large")
@EnabledIfSystemProperty(named = "dbbackup.largeTests", matches = "true")
class LargeStreamTest {
    @Test
    void fiveGigabytesRoundTripThroughAPipe() throws Exception {
        long total = 5_000_000_007L;
        TestKeys keys = TestKeys.get();
        PipedInputStream pipeIn = new PipedInputStream(1 << 20);
        PipedOutputStream pipeOut = new PipedOutputStream(pipeIn);
        CompletableFuture<ReadPipeline> reader = CompletableFuture.supplyAsync(() -> {
            try {
                ReadPipeline read = ReadPipeline.open(pipeIn, Compression.ZSTD,
                        DecryptionKeys.ofSecretKey(keys.secretKey(ALICE), null));
                try (InputStream out = read.output()) {
                    out.transferTo(OutputStream.nullOutputStream());
                }
                return read;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        WritePipeline write = WritePipeline.open(pipeOut, new CompressionSettings(Compression.ZSTD, 1, 0),
                EncryptionSettings.toKeys(List.of(keys.publicKey(ALICE))));
        PipelineStress.feed(write.input(), total);
        ReadPipeline read = reader.get();
        PipelineResult result = write.result();
        assertThat(result.originalBytes()).isEqualTo(total);
        assertThat(read.originalBytes()).isEqualTo(total);
        assertThat(read.originalSha256()).isEqualTo(result.originalSha256());
        assertThat(read.storedSha256()).isEqualTo(result.storedSha256());
        assertThat(read.storedBytes()).isEqualTo(result.storedBytes());
    }
}
