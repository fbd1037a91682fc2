package io.jenkins.plugins.dbbackup.engine.codec;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Compressing and decompressing streams for each {@link Compression}.
 *
 * <p>zstd output is a standard frame with a content checksum (what the {@code zstd} binary writes by default);
 * gzip output is a single RFC 1952 member. Both read what the binaries write, including several concatenated
 * zstd frames or gzip members.
 */
public final class Compressors {
    /** Buffer for gzip's deflater and inflater; zstd sizes its own buffers (128 KiB) from the library. */
    static final int BUFFER_SIZE = 64 * 1024;

    private Compressors() {
    }

    /**
     * A stream that compresses what is written to it into {@code sink}.
     *
     * <p>Closing the returned stream ends the compressed format, releases the native compressor and closes
     * {@code sink}, also when ending the format fails. {@code flush()} only flushes {@code sink}: it does not end a
     * compressed block, which would cost ratio for nothing in a backup. For {@link Compression#NONE} the returned
     * stream passes writes straight through.
     *
     * @throws IOException when the format header cannot be written to {@code sink}
     */
    public static OutputStream compressing(OutputStream sink, CompressionSettings settings) throws IOException {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(settings, "settings");
        return switch (settings.algorithm()) {
            case NONE -> new PassThroughOutputStream(sink);
            case GZIP -> new LevelledGzipOutputStream(sink, settings.level());
            case ZSTD -> zstd(sink, settings);
        };
    }

    /**
     * A stream that decompresses {@code source}. Closing it releases the native decompressor and closes
     * {@code source}. A truncated or corrupt stream ends in an {@link IOException}, never in a silent short read.
     *
     * @throws IOException when the gzip header cannot be read
     */
    public static InputStream decompressing(InputStream source, Compression compression) throws IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(compression, "compression");
        return switch (compression) {
            case NONE -> source;
            case GZIP -> new GZIPInputStream(source, BUFFER_SIZE);
            case ZSTD -> new ZstdInputStream(source, RecyclingBufferPool.INSTANCE);
        };
    }

    private static OutputStream zstd(OutputStream sink, CompressionSettings settings) throws IOException {
        ZstdOutputStream zstd = new ZstdOutputStream(sink, RecyclingBufferPool.INSTANCE);
        try {
            zstd.setLevel(settings.level());
            zstd.setChecksum(true);
            int workers = settings.resolvedWorkers();
            if (workers > 0) {
                zstd.setWorkers(workers);
            }
        } catch (IOException | RuntimeException e) {
            try {
                zstd.close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new NoBlockFlushOutputStream(zstd);
    }

    /** Forwards everything but {@code flush()}, which in zstd would end a block. */
    private static final class NoBlockFlushOutputStream extends FilterOutputStream {
        NoBlockFlushOutputStream(OutputStream zstd) {
            super(zstd);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() {
            // deliberately nothing: see Compressors.compressing
        }

        @Override
        public void close() throws IOException {
            out.close(); // ZstdOutputStream: idempotent, frees its context and buffer in finally
        }
    }

    /** {@link GZIPOutputStream} with a level, and a close that always ends the deflater and closes the sink. */
    private static final class LevelledGzipOutputStream extends GZIPOutputStream {
        private boolean closed;

        LevelledGzipOutputStream(OutputStream sink, int level) throws IOException {
            super(sink, BUFFER_SIZE, false);
            def.setLevel(level);
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            Throwable failure = null;
            try {
                finish();
            } catch (IOException | RuntimeException | Error e) {
                failure = e;
            } finally {
                def.end();
            }
            try {
                out.close();
            } catch (IOException | RuntimeException | Error e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
            Streams.rethrow(failure);
        }
    }

    /** Compression NONE: forwards writes in bulk, unlike {@link FilterOutputStream}'s byte-at-a-time default. */
    private static final class PassThroughOutputStream extends FilterOutputStream {
        private boolean closed;

        PassThroughOutputStream(OutputStream sink) {
            super(sink);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                out.close();
            }
        }
    }
}
