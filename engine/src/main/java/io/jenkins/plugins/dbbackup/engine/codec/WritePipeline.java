package io.jenkins.plugins.dbbackup.engine.codec;

import io.jenkins.plugins.dbbackup.engine.crypto.EncryptingOutputStream;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import io.jenkins.plugins.dbbackup.engine.crypto.OpenPgp;
import io.jenkins.plugins.dbbackup.engine.crypto.Recipient;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

/**
 * The write side of the data path, one pass: source bytes → SHA-256 and count of the original → compress →
 * encrypt (optional) → SHA-256 and count of the stored bytes → storage sink.
 *
 * <p>Two stages run at the same time: the thread that writes into {@link #input()} digests the original and
 * compresses it (zstd hands the compression itself to its own worker threads when {@link CompressionSettings#workers()}
 * is above 0), and a thread of the pipeline's own ({@code dbbackup-store}) encrypts, digests the stored bytes and
 * writes them to the storage sink. Between them is a {@link StageHandoff} of {@value StageHandoff#BUFFERS} buffers of
 * 1 MiB, so the slower stage sets the pace and neither waits for the other byte by byte. A failure in the second
 * stage is rethrown, as it was thrown, by the next write, flush or close of the input.
 *
 * <p>Write the source into {@link #input()} from one thread. Closing the input ends every format in order
 * (compressed frame, then OpenPGP message), then closes the storage sink; {@link #result()} is then available.
 * When a write or the close fails, no format is ended after the failure (so the sink never receives a complete
 * looking object after an error), every native resource is released, the sink is closed, the failure is thrown and
 * {@code result()} keeps throwing. The caller must then discard the stored object (delete the temporary file, abort
 * the upload): a closed sink is not a committed one.
 *
 * <p>To give up without ending any format, call {@link #abort()}: it releases the codecs and closes the sink.
 *
 * <p>Memory: one 128 KiB input buffer, the hand-off's 4 MiB, and each stage's own fixed buffers (zstd about 128 KiB
 * in and out and its context, and with workers a few jobs of some MiB each outside the Java heap; gzip 64 KiB;
 * OpenPGP two chunks of {@code OpenPgp.CHUNK}), independent of the size of the source.
 */
public final class WritePipeline {
    /** Coalesces small writes so that no stage is called per byte; larger writes go straight through. */
    static final int INPUT_BUFFER = 128 * 1024;

    private final DigestingOutputStream stored;
    private final EncryptingOutputStream encryptor; // null when not encrypting
    private final StageHandoff handoff;
    private final OutputStream compressor;
    private final DigestingOutputStream original;
    private final Compression compression;
    private final List<Streams.CloseShield> shields;
    private final Input input = new Input();
    private PipelineResult result;
    private Throwable failure;

    private WritePipeline(DigestingOutputStream stored, EncryptingOutputStream encryptor, StageHandoff handoff,
                          OutputStream compressor, DigestingOutputStream original, Compression compression,
                          List<Streams.CloseShield> shields) {
        this.stored = stored;
        this.encryptor = encryptor;
        this.handoff = handoff;
        this.compressor = compressor;
        this.original = original;
        this.compression = compression;
        this.shields = shields;
    }

    /**
     * Sets up the stages. Public keys are checked here, before anything is written, so an unusable key fails
     * early. If this method throws, the caller still owns {@code storageSink} and must close it.
     *
     * @param storageSink where the stored bytes go; closed when {@link #input()} is closed
     * @param compression how to compress
     * @param encryption  how to encrypt; {@link EncryptionSettings#none()} for not at all
     */
    public static WritePipeline open(OutputStream storageSink, CompressionSettings compression,
                                     EncryptionSettings encryption) throws IOException {
        Objects.requireNonNull(storageSink, "storageSink");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(encryption, "encryption");
        DigestingOutputStream stored = new DigestingOutputStream(storageSink);
        Streams.CloseShield aboveStored = new Streams.CloseShield(stored);
        EncryptingOutputStream encryptor = null;
        StageHandoff handoff = null;
        OutputStream compressor = null;
        try {
            Streams.CloseShield aboveEncryptor = aboveStored;
            if (encryption.enabled()) {
                encryptor = OpenPgp.encrypting(aboveStored, encryption);
                aboveEncryptor = new Streams.CloseShield(encryptor);
            }
            handoff = new StageHandoff(aboveEncryptor, "dbbackup-store");
            Streams.CloseShield aboveHandoff = new Streams.CloseShield(handoff);
            compressor = Compressors.compressing(aboveHandoff, compression);
            Streams.CloseShield aboveCompressor = new Streams.CloseShield(compressor);
            DigestingOutputStream original = new DigestingOutputStream(aboveCompressor);
            return new WritePipeline(stored, encryptor, handoff, compressor, original, compression.algorithm(),
                    List.of(aboveStored, aboveEncryptor, aboveHandoff, aboveCompressor));
        } catch (IOException | RuntimeException | Error e) {
            // release what was built without writing more; the sink stays the caller's
            aboveStored.discard();
            if (handoff != null) {
                handoff.abort();
            }
            Throwable t = e;
            for (OutputStream stage : new OutputStream[] {compressor, encryptor}) {
                if (stage != null) {
                    try {
                        stage.close();
                    } catch (IOException | RuntimeException suppressed) {
                        t = Streams.chain(t, suppressed);
                    }
                }
            }
            throw e;
        }
    }

    /**
     * Where to write the source bytes. Not thread-safe; closing it finishes the pipeline (see the class comment).
     * {@code flush()} pushes buffered bytes into the stages but ends no compressed block or packet.
     */
    public OutputStream input() {
        return input;
    }

    /**
     * The digests, sizes and encoding of what was written.
     *
     * @throws IllegalStateException before {@link #input()} is closed, or when the pipeline failed
     */
    public PipelineResult result() {
        if (failure != null) {
            throw new IllegalStateException("the write pipeline failed: " + failure, failure);
        }
        if (result == null) {
            throw new IllegalStateException("the result is available only after input() is closed");
        }
        return result;
    }

    /**
     * Gives up: releases every codec without ending its format and closes the storage sink. The stored bytes are
     * an incomplete object the caller must discard. Idempotent; does nothing after a successful close.
     */
    public void abort() throws IOException {
        if (input.closed) {
            return;
        }
        input.closed = true;
        if (failure == null) {
            failure = new IOException("aborted");
        }
        Streams.rethrow(releaseWithoutFinishing(null));
    }

    private Throwable releaseWithoutFinishing(Throwable first) {
        for (Streams.CloseShield shield : shields) {
            shield.discard(); // nothing more reaches the sink
        }
        handoff.abort(); // the store thread has ended (or is stuck in the sink, whose writes are now dropped)
        Throwable t = first;
        for (OutputStream stage : new OutputStream[] {original, compressor, encryptor, stored}) {
            if (stage != null) {
                try {
                    stage.close(); // with the shields discarding, this only releases resources
                } catch (IOException | RuntimeException | Error e) {
                    t = Streams.chain(t, e);
                }
            }
        }
        return t; // closing `stored` closed the sink
    }

    private void finish() throws IOException {
        original.close(); // the compressor stage below is shielded: nothing closes early
        compressor.close(); // ends the frame, frees the native context
        handoff.finish(); // the store thread has written everything, or this rethrows its failure
        if (encryptor != null) {
            encryptor.close(); // ends the message: last chunk and modification detection code
        }
        stored.close(); // closes the storage sink
        List<Recipient> recipients = encryptor == null ? List.of() : encryptor.recipients();
        boolean passphrase = encryptor != null && encryptor.passphraseUsed();
        result = new PipelineResult(original.sha256Hex(), original.bytes(), stored.sha256Hex(), stored.bytes(),
                compression, recipients, passphrase);
    }

    private final class Input extends OutputStream {
        private final byte[] buffer = new byte[INPUT_BUFFER];
        private int count;
        boolean closed;

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            if (count == buffer.length) {
                drain();
            }
            buffer[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            ensureOpen();
            if (len >= buffer.length) {
                drain();
                guarded(b, off, len);
            } else {
                if (len > buffer.length - count) {
                    drain();
                }
                System.arraycopy(b, off, buffer, count, len);
                count += len;
            }
        }

        @Override
        public void flush() throws IOException {
            ensureOpen();
            drain();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (failure != null) {
                return; // released when the failure happened
            }
            try {
                drain0();
                finish();
            } catch (IOException | RuntimeException | Error e) {
                failure = e;
                Streams.rethrow(releaseWithoutFinishing(e));
            }
        }

        private void drain() throws IOException {
            try {
                drain0();
            } catch (IOException | RuntimeException | Error e) {
                fail(e);
            }
        }

        private void drain0() throws IOException {
            if (count > 0) {
                int n = count;
                count = 0;
                original.write(buffer, 0, n);
            }
        }

        private void guarded(byte[] b, int off, int len) throws IOException {
            try {
                original.write(b, off, len);
            } catch (IOException | RuntimeException | Error e) {
                fail(e);
            }
        }

        private void fail(Throwable e) throws IOException {
            failure = e;
            closed = true;
            Streams.rethrow(releaseWithoutFinishing(e));
        }

        private void ensureOpen() throws IOException {
            if (closed) {
                throw failure != null
                        ? new IOException("the write pipeline failed earlier: " + failure, failure)
                        : new IOException("stream closed");
            }
        }
    }
}
