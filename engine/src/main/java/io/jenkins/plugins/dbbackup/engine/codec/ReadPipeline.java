package io.jenkins.plugins.dbbackup.engine.codec;

import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import java.io.IOException;
import java.io.InputStream;

/** stored → decompress. (Placeholder until encryption lands.) */
public final class ReadPipeline {
    private final InputStream output;

    private ReadPipeline(InputStream output) {
        this.output = output;
    }

    public static ReadPipeline open(InputStream stored, Compression c, DecryptionKeys keys) throws IOException {
        return new ReadPipeline(Compressors.decompressing(stored, c));
    }

    public InputStream output() {
        return output;
    }
}
