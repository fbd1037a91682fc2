package io.jenkins.plugins.dbbackup.engine.source.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The byte source of {@link RdbParser}: buffers the underlying stream in fixed chunks, hands every chunk to a
 * {@link ChunkSink} as it arrives (so the bytes can go on to storage or a file while they are parsed), keeps the
 * CRC-64 of the bytes consumed, and can copy consumed bytes to a capture stream (a key's value for
 * {@code RESTORE}). Memory is the one chunk buffer, whatever the sizes in the data. Not thread-safe.
 */
final class RdbInput {
    /** Receives every chunk read from the underlying stream, before it is parsed. */
    @FunctionalInterface
    interface ChunkSink {
        void accept(byte[] b, int off, int len) throws IOException;
    }

    private static final int CHUNK = 128 * 1024;

    private final InputStream in;
    private final ChunkSink sink;
    private final byte[] buf = new byte[CHUNK];
    private int pos;
    private int limit;
    /** Start of the bytes of {@link #buf} not yet added to {@link #crc}. */
    private int crcFrom;
    private long crc;
    /** Bytes consumed before the current buffer. */
    private long before;
    private OutputStream capture;

    RdbInput(InputStream in, ChunkSink sink) {
        this.in = in;
        this.sink = sink;
    }

    /** Bytes consumed so far. */
    long position() {
        return before + pos;
    }

    /** Copies consumed bytes to {@code out} from now on; null stops. */
    void capture(OutputStream out) {
        this.capture = out;
    }

    /** The CRC-64 of every byte consumed so far. */
    long crc() {
        crc = Crc64.update(crc, buf, crcFrom, pos - crcFrom);
        crcFrom = pos;
        return crc;
    }

    int u8() throws IOException {
        if (pos == limit) {
            fill();
        }
        int b = buf[pos++] & 0xff;
        if (capture != null) {
            capture.write(b);
        }
        return b;
    }

    void readFully(byte[] dst, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            if (pos == limit) {
                fill();
            }
            int n = Math.min(len - done, limit - pos);
            System.arraycopy(buf, pos, dst, off + done, n);
            if (capture != null) {
                capture.write(buf, pos, n);
            }
            pos += n;
            done += n;
        }
    }

    /** Consumes {@code n} bytes without keeping them (they still reach the sink, the CRC and a capture). */
    void skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            if (pos == limit) {
                fill();
            }
            int k = (int) Math.min(left, limit - pos);
            if (capture != null) {
                capture.write(buf, pos, k);
            }
            pos += k;
            left -= k;
        }
    }

    long i64le() throws IOException {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) u8() << (8 * i);
        }
        return v;
    }

    long u32le() throws IOException {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (long) u8() << (8 * i);
        }
        return v;
    }

    /** Whether the underlying stream has no byte left after those consumed. */
    boolean atEnd() throws IOException {
        if (pos < limit) {
            return false;
        }
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        return n < 0;
    }

    private void fill() throws IOException {
        crc = Crc64.update(crc, buf, crcFrom, limit - crcFrom);
        before += limit;
        pos = 0;
        limit = 0;
        crcFrom = 0;
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            throw new RdbFormatException("the RDB data ends early, after " + before
                    + " bytes: the snapshot is truncated (incomplete transfer or a cut file)");
        }
        if (sink != null) {
            sink.accept(buf, 0, n);
        }
        limit = n;
    }
}
