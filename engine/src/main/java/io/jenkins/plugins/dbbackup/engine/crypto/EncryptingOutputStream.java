package io.jenkins.plugins.dbbackup.engine.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

/**
 * Encrypts what is written to it into an OpenPGP message on the sink. Created by
 * {@link OpenPgp#encrypting(OutputStream, EncryptionSettings)}.
 *
 * <p>{@link #finish()} ends the message (literal data, modification detection code) without closing the sink;
 * {@link #close()} finishes and then closes the sink, also when finishing fails. After a failed write the message is
 * never finished: {@code close()} only closes the sink, so a broken stream cannot end in a well-formed message.
 * {@link #recipients()} and {@link #passphraseUsed()} are readable only after {@code close()}. One writer thread.
 */
public final class EncryptingOutputStream extends OutputStream {
    private final OutputStream sink;
    private final OutputStream encrypted;
    private final OutputStream literal;
    private final List<Recipient> recipients;
    private final boolean passphraseUsed;
    private boolean failed;
    private boolean finished;
    private boolean closed;

    EncryptingOutputStream(OutputStream sink, OutputStream encrypted, OutputStream literal,
                           List<Recipient> recipients, boolean passphraseUsed) {
        this.sink = sink;
        this.encrypted = encrypted;
        this.literal = literal;
        this.recipients = List.copyOf(recipients);
        this.passphraseUsed = passphraseUsed;
    }

    @Override
    public void write(int b) throws IOException {
        ensureWritable();
        try {
            literal.write(b);
        } catch (IOException | RuntimeException | Error e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureWritable();
        try {
            literal.write(b, off, len);
        } catch (IOException | RuntimeException | Error e) {
            failed = true;
            throw e;
        }
    }

    /** Flushes the sink. Does not end a partial-length packet: OpenPGP has no flush point short of the end. */
    @Override
    public void flush() throws IOException {
        ensureWritable();
        sink.flush();
    }

    /** Ends the OpenPGP message without closing the sink. Idempotent. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        ensureWritable();
        try {
            literal.close(); // last literal chunk; does not close what is below
            encrypted.close(); // modification detection code and the last encrypted chunk; does not close the sink
            finished = true;
        } catch (IOException | RuntimeException | Error e) {
            failed = true;
            throw e;
        }
    }

    /** Finishes the message (unless a write failed) and closes the sink. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        Throwable failure = null;
        try {
            if (!failed) {
                finish();
            }
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
        } finally {
            closed = true;
        }
        try {
            sink.close();
        } catch (IOException | RuntimeException | Error e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure instanceof IOException e) {
            throw e;
        } else if (failure instanceof RuntimeException e) {
            throw e;
        } else if (failure instanceof Error e) {
            throw e;
        }
    }

    /** The public keys the message was encrypted to, in the order given. */
    public List<Recipient> recipients() {
        ensureClosed();
        return recipients;
    }

    /** Whether the message can also be decrypted with the passphrase. */
    public boolean passphraseUsed() {
        ensureClosed();
        return passphraseUsed;
    }

    /** Whether the message was completely written (closed without a failure). */
    boolean completed() {
        return closed && finished;
    }

    private void ensureWritable() throws IOException {
        if (closed || finished) {
            throw new IOException("stream " + (closed ? "closed" : "finished"));
        }
        if (failed) {
            throw new IOException("an earlier write failed; the message cannot be completed");
        }
    }

    private void ensureClosed() {
        if (!closed) {
            throw new IllegalStateException("available only after close()");
        }
    }
}
