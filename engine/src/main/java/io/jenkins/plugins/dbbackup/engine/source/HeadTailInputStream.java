package io.jenkins.plugins.dbbackup.engine.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Passes bytes through and remembers the first {@code headSize} and the last {@code tailSize} of them, and their
 * count, so a source can check a dump's magic number and completion marker without a second pass.
 */
public final class HeadTailInputStream extends FilterInputStream {
    private final byte[] head;
    private int headLength;
    private final byte[] tail;
    private int tailLength;
    private long count;

    public HeadTailInputStream(InputStream in, int headSize, int tailSize) {
        super(in);
        this.head = new byte[headSize];
        this.tail = new byte[tailSize];
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            record(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            record(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip is not supported on a dump stream");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void record(byte[] b, int off, int n) {
        count += n;
        if (headLength < head.length) {
            int h = Math.min(n, head.length - headLength);
            System.arraycopy(b, off, head, headLength, h);
            headLength += h;
        }
        if (n >= tail.length) {
            System.arraycopy(b, off + n - tail.length, tail, 0, tail.length);
            tailLength = tail.length;
            return;
        }
        int overflow = tailLength + n - tail.length;
        if (overflow > 0) {
            // drop the oldest bytes; the tail is small, so the shift is cheap next to the read
            System.arraycopy(tail, overflow, tail, 0, tailLength - overflow);
            tailLength -= overflow;
        }
        System.arraycopy(b, off, tail, tailLength, n);
        tailLength += n;
    }

    /** The first bytes seen (at most {@code headSize}). */
    public byte[] head() {
        return Arrays.copyOf(head, headLength);
    }

    /** The last bytes seen (at most {@code tailSize}), in order. */
    public byte[] tail() {
        return Arrays.copyOf(tail, tailLength);
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }
}
