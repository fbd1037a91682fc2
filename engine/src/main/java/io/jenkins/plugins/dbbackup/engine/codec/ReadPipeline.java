package io.jenkins.plugins.dbbackup.engine.codec;

import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import java.io.IOException;
import java.io.InputStream;

/** stored → digest(stored) → decompress → digest(original). (Placeholder until encryption lands.) */
public final class ReadPipeline {
    private final DigestingInputStream stored;
    private final DigestingInputStream original;

    private ReadPipeline(InputStream source, Compression c) throws IOException {
        this.stored = new DigestingInputStream(source);
        this.original = new DigestingInputStream(Compressors.decompressing(stored, c));
    }

    public static ReadPipeline open(InputStream stored, Compression c, DecryptionKeys keys) throws IOException {
        return new ReadPipeline(stored, c);
    }

    public InputStream output() {
        return original;
    }

    public String storedSha256() {
        return stored.sha256Hex();
    }

    public long storedBytes() {
        return stored.bytes();
    }

    public String originalSha256() {
        return original.sha256Hex();
    }

    public long originalBytes() {
        return original.bytes();
    }
}
