package io.jenkins.plugins.dbbackup.engine.codec;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Compressing and decompressing streams. */
public final class Compressors {
    private Compressors() {}

    public static OutputStream compressing(OutputStream sink, CompressionSettings s) throws IOException {
        return switch (s.algorithm()) {
            case NONE -> sink;
            case GZIP -> new GZIPOutputStream(sink, 64 * 1024);
            case ZSTD -> {
                ZstdOutputStream z = new ZstdOutputStream(sink, s.level());
                if (s.workers() > 0) {
                    z.setWorkers(s.workers());
                }
                yield z;
            }
        };
    }

    public static InputStream decompressing(InputStream source, Compression c) throws IOException {
        return switch (c) {
            case NONE -> source;
            case GZIP -> new GZIPInputStream(source, 64 * 1024);
            case ZSTD -> new ZstdInputStream(source);
        };
    }
}
