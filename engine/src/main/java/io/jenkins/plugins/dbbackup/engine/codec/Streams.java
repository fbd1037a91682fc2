package io.jenkins.plugins.dbbackup.engine.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/** Small stream helpers shared by the pipelines. */
final class Streams {
    private Streams() {
    }

    /** Throws {@code failure} as it is (IOException, RuntimeException or Error); does nothing for null. */
    static void rethrow(Throwable failure) throws IOException {
        if (failure == null) {
            return;
        }
        if (failure instanceof IOException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        throw new IOException(failure);
    }

    /** Remembers the first failure and attaches later ones to it as suppressed. */
    static Throwable chain(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        if (next != null && next != first) {
            first.addSuppressed(next);
        }
        return first;
    }

    /**
     * Forwards writes and flushes to a stage further down the pipeline but not {@code close()}: the pipeline
     * closes every stage itself, in order, so one stage ending its format never closes the next one early.
     */
    static final class CloseShield extends OutputStream {
        private final OutputStream out;
        private volatile boolean discarding;

        CloseShield(OutputStream out) {
            this.out = out;
        }

        /** From now on drop everything: a stage above is being released after a failure, not finished. */
        void discard() {
            discarding = true;
        }

        @Override
        public void write(int b) throws IOException {
            if (!discarding) {
                out.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (!discarding) {
                out.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            if (!discarding) {
                out.flush();
            }
        }

        @Override
        public void close() {
            // the pipeline closes the stage below
        }
    }
}
