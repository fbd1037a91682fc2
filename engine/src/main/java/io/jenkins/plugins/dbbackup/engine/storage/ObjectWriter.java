package io.jenkins.plugins.dbbackup.engine.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one object. Bytes become a visible object only on {@link #commit()}; {@link #close()} without a successful
 * commit discards everything written (and is how a failed or cancelled write is cleaned up). Not thread-safe: one
 * writer thread.
 */
public abstract class ObjectWriter extends OutputStream {

    /**
     * Makes the object visible, whole and durable. After commit, further writes fail.
     *
     * @throws IOException when it could not be made durable; then nothing is visible
     */
    public abstract void commit() throws IOException;

    /** Discards the object unless it was committed. Idempotent. */
    @Override
    public abstract void close() throws IOException;
}
