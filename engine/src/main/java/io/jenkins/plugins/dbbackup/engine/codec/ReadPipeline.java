package io.jenkins.plugins.dbbackup.engine.codec;

import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import io.jenkins.plugins.dbbackup.engine.crypto.IntegrityException;
import io.jenkins.plugins.dbbackup.engine.crypto.KeyUnavailableException;
import io.jenkins.plugins.dbbackup.engine.crypto.OpenPgp;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The read side of the data path, mirroring {@link WritePipeline}: stored bytes → SHA-256 and count of the stored
 * bytes → decrypt (optional) → decompress → SHA-256 and count of the original.
 *
 * <p>Read {@link #output()} to the end from one thread. At the end of the data, before {@code output()} reports
 * end of stream, the pipeline reads the rest of the decrypted stream (so the OpenPGP integrity check runs even when
 * a decompressor stops early, as gzip may) and the rest of the stored bytes (so the stored digest covers the whole
 * object), then closes the chain and the stored source. So: end of stream from {@code output()} means every check
 * passed; an {@link java.io.IOException} (an {@link io.jenkins.plugins.dbbackup.engine.crypto.IntegrityException}
 * for tampering, also when the decompressor trips over tampered plaintext first: the pipeline then checks the
 * integrity code before reporting) means the data must be discarded. The digests are readable once the end was reached.
 */
public final class ReadPipeline {
    private final DigestingInputStream stored;
    private final InputStream decrypted;
    private final DigestingInputStream original;
    private final Output output = new Output();
    private boolean complete;

    private ReadPipeline(DigestingInputStream stored, InputStream decrypted, DigestingInputStream original) {
        this.stored = stored;
        this.decrypted = decrypted;
        this.original = original;
    }

    /**
     * Sets up the stages. A wrong key fails here, before any output. If this method throws, {@code stored} has
     * been closed.
     *
     * @param stored      the stored object; closed when the output is closed or read to the end
     * @param compression how the object is compressed
     * @param keys        how to decrypt it; null when it is not encrypted
     */
    public static ReadPipeline open(InputStream stored, Compression compression, DecryptionKeys keys)
            throws IOException {
        Objects.requireNonNull(stored, "stored");
        Objects.requireNonNull(compression, "compression");
        DigestingInputStream storedDigest = new DigestingInputStream(stored);
        InputStream decrypted = storedDigest;
        try {
            if (keys != null) {
                decrypted = OpenPgp.decrypting(storedDigest, keys);
            }
            InputStream decompressed = Compressors.decompressing(decrypted, compression);
            return new ReadPipeline(storedDigest, decrypted, new DigestingInputStream(decompressed));
        } catch (IOException | RuntimeException | Error e) {
            try {
                decrypted.close();
                storedDigest.close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The original bytes. Closing it early closes the stored source and checks nothing. */
    public InputStream output() {
        return output;
    }

    /** Lower-case hex SHA-256 of all stored bytes. @throws IllegalStateException before the end was reached */
    public String storedSha256() {
        ensureComplete();
        return stored.sha256Hex();
    }

    /** Number of stored bytes. @throws IllegalStateException before the end was reached */
    public long storedBytes() {
        ensureComplete();
        return stored.bytes();
    }

    /** Lower-case hex SHA-256 of the original bytes. @throws IllegalStateException before the end was reached */
    public String originalSha256() {
        ensureComplete();
        return original.sha256Hex();
    }

    /** Number of original bytes. @throws IllegalStateException before the end was reached */
    public long originalBytes() {
        ensureComplete();
        return original.bytes();
    }

    private void ensureComplete() {
        if (!complete) {
            throw new IllegalStateException("digests are available only after output() was read to the end");
        }
    }

    private final class Output extends InputStream {
        private final byte[] drain = new byte[64 * 1024];
        private boolean closed;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (complete) {
                return -1;
            }
            if (closed) {
                throw new IOException("stream closed");
            }
            if (len == 0) {
                return 0;
            }
            try {
                int n = original.read(b, off, len);
                if (n < 0) {
                    end();
                }
                return n;
            } catch (IOException e) {
                IOException reported = diagnose(e);
                closeAfter(reported);
                throw reported;
            } catch (RuntimeException | Error e) {
                closeAfter(e);
                throw e;
            }
        }

        /**
         * A decompressor that fails on encrypted data most likely saw tampered plaintext: check the OpenPGP
         * integrity code by reading the rest of the message, and report an integrity failure if that is what it was.
         */
        private IOException diagnose(IOException e) {
            if (decrypted == stored || e instanceof IntegrityException || e instanceof KeyUnavailableException) {
                return e;
            }
            try {
                skipToEnd(decrypted);
            } catch (IntegrityException integrity) {
                integrity.addSuppressed(e);
                return integrity;
            } catch (IOException | RuntimeException other) {
                e.addSuppressed(other);
            }
            return e;
        }

        @Override
        public int available() throws IOException {
            return closed || complete ? 0 : original.available();
        }

        private void end() throws IOException {
            if (decrypted != stored) {
                skipToEnd(decrypted); // runs the integrity check if the decompressor stopped before it
            }
            skipToEnd(stored); // the stored digest covers every byte of the object
            closed = true;
            original.close(); // closes the whole chain and the stored source
            stored.close();
            complete = true;
        }

        private void skipToEnd(InputStream in) throws IOException {
            while (in.read(drain, 0, drain.length) >= 0) {
                // discard
            }
        }

        private void closeAfter(Throwable e) {
            closed = true;
            try {
                original.close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            try {
                stored.close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            Throwable t = null;
            try {
                original.close();
            } catch (IOException | RuntimeException | Error e) {
                t = e;
            }
            try {
                stored.close();
            } catch (IOException | RuntimeException | Error e) {
                t = Streams.chain(t, e);
            }
            Streams.rethrow(t);
        }
    }
}
