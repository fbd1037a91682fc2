package io.jenkins.plugins.dbbackup.engine.source.redis;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands chunks from one producer thread to one consumer thread with back-pressure: at most {@value #CAPACITY}
 * chunks wait. The producer ends the stream with {@link #end()} or {@link #fail(String)}; the consumer sees end of
 * stream or an {@link IOException} with that message. When the consumer {@linkplain #close() goes away}, the producer's
 * next {@link #write} fails instead of blocking for ever.
 */
final class ChunkPipe {
    private static final int CAPACITY = 16;
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY + 1);
    private volatile boolean closed;
    private final Input input = new Input();

    /** Queues a copy of the bytes; blocks while the pipe is full. Producer thread only. */
    void write(byte[] b, int off, int len) throws IOException {
        put(Arrays.copyOfRange(b, off, off + len));
    }

    /** Ends the stream normally. Producer thread only. */
    void end() throws IOException {
        put(END);
    }

    /** Ends the stream with a failure the consumer will see. Any thread; never blocks. */
    void fail(String message) {
        Failure failure = new Failure(message);
        while (!queue.offer(failure)) {
            queue.poll(); // the data before a failure is worthless
        }
    }

    /** The consumer's end. */
    InputStream input() {
        return input;
    }

    /** The consumer is gone: drop what waits and refuse further writes. Any thread; idempotent. */
    void close() {
        closed = true;
        queue.clear();
    }

    private void put(Object item) throws IOException {
        try {
            while (!queue.offer(item, 200, TimeUnit.MILLISECONDS)) {
                if (closed) {
                    throw new IOException("the reader of the snapshot stream went away");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("snapshot transfer interrupted");
        }
    }

    private record Failure(String message) {}

    private final class Input extends InputStream {
        private byte[] current;
        private int pos;
        private boolean ended;

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
            while (current == null || pos == current.length) {
                if (ended) {
                    return -1;
                }
                Object item;
                try {
                    item = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("snapshot transfer interrupted");
                }
                if (item == END) {
                    ended = true;
                    return -1;
                }
                if (item instanceof Failure failure) {
                    queue.offer(failure); // stays failed for any later read
                    throw new BackupException(failure.message());
                }
                current = (byte[]) item;
                pos = 0;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void close() {
            ChunkPipe.this.close();
        }
    }
}
