package io.jenkins.plugins.dbbackup.engine.codec;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Counts and SHA-256-hashes the bytes written through it to the stream below.
 *
 * <p>{@link #sha256Hex()} and {@link #bytes()} are readable only after {@link #close()}, which closes the stream
 * below. Not thread-safe: one writer.
 */
public final class DigestingOutputStream extends FilterOutputStream {
    private final MessageDigest sha256 = newSha256();
    private long count;
    private boolean closed;
    private String hex;

    /** Digests what is written and passes it on to {@code out}, which {@link #close()} closes. */
    public DigestingOutputStream(OutputStream out) {
        super(Objects.requireNonNull(out, "out"));
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        out.write(b);
        sha256.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        out.write(b, off, len);
        sha256.update(b, off, len);
        count += len;
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        out.flush();
    }

    /** Flushes and closes the stream below, then fixes the digest. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close(); // closing is expected to flush
        } finally {
            hex = HexFormat.of().formatHex(sha256.digest());
        }
    }

    /** Lower-case hex SHA-256 of every byte written. */
    public String sha256Hex() {
        if (hex == null) {
            throw new IllegalStateException("the digest is available only after close()");
        }
        return hex;
    }

    /** How many bytes were written. */
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

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
