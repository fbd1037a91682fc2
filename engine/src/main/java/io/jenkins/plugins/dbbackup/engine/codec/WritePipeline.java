package io.jenkins.plugins.dbbackup.engine.codec;

import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** source → digest(original) → compress → digest(stored) → sink. (Placeholder until encryption lands.) */
public final class WritePipeline {
    private final DigestingOutputStream original;
    private final DigestingOutputStream stored;
    private final CompressionSettings compression;
    private final OutputStream input;
    private boolean closed;

    private WritePipeline(OutputStream sink, CompressionSettings c) throws IOException {
        this.compression = c;
        this.stored = new DigestingOutputStream(sink);
        this.original = new DigestingOutputStream(Compressors.compressing(stored, c));
        this.input = new FilterOutputStream(original) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    super.close();
                }
            }
        };
    }

    public static WritePipeline open(OutputStream storageSink, CompressionSettings c, EncryptionSettings e)
            throws IOException {
        if (e != null && e.enabled()) {
            throw new UnsupportedOperationException("encryption is not available yet");
        }
        return new WritePipeline(storageSink, c);
    }

    public OutputStream input() {
        return input;
    }

    public PipelineResult result() {
        if (!closed) {
            throw new IllegalStateException("pipeline not closed");
        }
        return new PipelineResult(original.sha256Hex(), original.bytes(), stored.sha256Hex(), stored.bytes(),
                compression.algorithm(), List.of(), false);
    }
}
