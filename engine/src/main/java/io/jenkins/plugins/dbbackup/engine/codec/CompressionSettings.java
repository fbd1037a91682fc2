package io.jenkins.plugins.dbbackup.engine.codec;

import java.io.Serial;
import java.io.Serializable;

/**
 * How to compress.
 *
 * @param algorithm the algorithm
 * @param level the level (zstd 1..19, gzip 1..9; ignored for none)
 * @param workers zstd worker threads, 0 for compression on the calling thread
 */
public record CompressionSettings(Compression algorithm, int level, int workers) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public static CompressionSettings defaults() {
        return new CompressionSettings(Compression.ZSTD, 3, 0);
    }
}
