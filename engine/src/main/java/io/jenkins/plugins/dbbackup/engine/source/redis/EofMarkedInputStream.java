package io.jenkins.plugins.dbbackup.engine.source.redis;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The snapshot of a diskless transfer ({@code $EOF:<40 bytes>}): the data, then the same 40 bytes as terminator.
 * Holds back the last 40 bytes received until more arrive, so the marker is recognised and removed even when it is
 * split across reads, and never passed on. Not thread-safe.
 */
final class EofMarkedInputStream extends InputStream {
    static final int MARKER_LENGTH = 40;

    private final InputStream in;
    private final byte[] marker;
    private final byte[] buf = new byte[64 * 1024 + MARKER_LENGTH];
    private int start;
    private int end;
    private boolean ended;
    private long received;

    /** @param marker the 40 bytes announced in the {@code $EOF:} line */
    EofMarkedInputStream(InputStream in, byte[] marker) {
        if (marker.length != MARKER_LENGTH) {
            throw new IllegalArgumentException("the end marker must have 40 bytes");
        }
        this.in = in;
        this.marker = marker.clone();
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
        if (len == 0) {
            return 0;
        }
        while (true) {
            int releasable = end - start - (ended ? 0 : MARKER_LENGTH);
            if (releasable > 0) {
                int n = Math.min(len, releasable);
                System.arraycopy(buf, start, b, off, n);
                start += n;
                return n;
            }
            if (ended) {
                return -1;
            }
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                throw new EOFException("the server closed the connection after " + Math.max(0, received - MARKER_LENGTH)
                        + " bytes of the snapshot, before its end marker: the server stopped or restarted, or the"
                        + " connection was cut");
            }
            end += n;
            received += n;
            if (end - start >= MARKER_LENGTH
                    && Arrays.equals(buf, end - MARKER_LENGTH, end, marker, 0, MARKER_LENGTH)) {
                ended = true;
                end -= MARKER_LENGTH;
            }
        }
    }
}
