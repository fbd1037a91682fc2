package io.jenkins.plugins.dbbackup.engine.codec;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Counts and SHA-256-hashes the bytes read through it.
 *
 * <p>{@link #sha256Hex()} and {@link #bytes()} are readable only after {@link #close()}, which closes the stream
 * below, and cover exactly the bytes that were read (read to the end first for a whole-object digest).
 * {@code skip} reads and digests the skipped bytes; {@code mark}/{@code reset} are not supported.
 * Not thread-safe: one reader.
 */
public final class DigestingInputStream extends FilterInputStream {
    private final MessageDigest sha256 = DigestingOutputStream.newSha256();
    private final byte[] skipBuffer = new byte[8192];
    private long count;
    private boolean closed;
    private String hex;

    /** Digests what is read from {@code in}, which {@link #close()} closes. */
    public DigestingInputStream(InputStream in) {
        super(Objects.requireNonNull(in, "in"));
    }

    @Override
    public int read() throws IOException {
        ensureOpen();
        int b = in.read();
        if (b >= 0) {
            sha256.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        if (len == 0) {
            return 0;
        }
        int n = in.read(b, off, len);
        if (n > 0) {
            sha256.update(b, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n) {
            int r = read(skipBuffer, 0, (int) Math.min(skipBuffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported: a reset would digest bytes twice
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    /** Closes the stream below and fixes the digest. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            in.close();
        } finally {
            hex = HexFormat.of().formatHex(sha256.digest());
        }
    }

    /** Lower-case hex SHA-256 of every byte read. */
    public String sha256Hex() {
        if (hex == null) {
            throw new IllegalStateException("the digest is available only after close()");
        }
        return hex;
    }

    /** How many bytes were read. */
    public long bytes() {
        if (hex == null) {
            throw new IllegalStateException("the byte count is available only after close()");
        }
        return count;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
    }
}
