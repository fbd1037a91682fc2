package io.jenkins.plugins.dbbackup.engine.source.redis;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** The snapshot of a disk-based transfer ({@code $<length>}): exactly that many bytes. Not thread-safe. */
final class LengthBoundedInputStream extends InputStream {
    private final InputStream in;
    private final long length;
    private long remaining;

    LengthBoundedInputStream(InputStream in, long length) {
        this.in = in;
        this.length = length;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (remaining == 0) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("the server closed the connection after " + (length - remaining) + " of "
                    + length + " bytes of the snapshot: the server stopped or restarted, or the connection was cut");
        }
        remaining -= n;
        return n;
    }
}
