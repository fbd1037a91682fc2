package io.jenkins.plugins.dbbackup.engine.codec;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 and count of the bytes written through; results valid after close. */
public final class DigestingOutputStream extends FilterOutputStream {
    private final MessageDigest digest;
    private long bytes;
    private String hex;

    public DigestingOutputStream(OutputStream out) {
        super(out);
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        digest.update((byte) b);
        bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        digest.update(b, off, len);
        bytes += len;
    }

    @Override
    public void close() throws IOException {
        if (hex == null) {
            hex = HexFormat.of().formatHex(digest.digest());
            super.close();
        }
    }

    public String sha256Hex() {
        if (hex == null) {
            throw new IllegalStateException("not closed");
        }
        return hex;
    }

    public long bytes() {
        return bytes;
    }
}
