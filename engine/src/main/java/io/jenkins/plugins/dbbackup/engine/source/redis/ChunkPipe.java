package io.jenkins.plugins.dbbackup.engine.source.redis;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands chunks from one producer thread to one consumer thread with back-pressure: at most {@value #CAPACITY}
 * chunks wait. The chunks' buffers ({@value #BUFFER} bytes each, at most {@code CAPACITY + 2} of them) go back to the
 * producer once read, so a snapshot of any size passes through the same few buffers and makes no garbage. The producer ends the stream with {@link #end()} or {@link #fail(String)}; the consumer sees end of
 * stream or an {@link IOException} with that message. When the consumer {@linkplain #close() goes away}, the producer's
 * next {@link #write} fails instead of blocking for ever.
 */
final class ChunkPipe {
    private static final int CAPACITY = 16;
    static final int BUFFER = 128 * 1024;
    private static final int MAX_BUFFERS = CAPACITY + 2; // the queue's, the one being read, the one being filled
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY + 1);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(MAX_BUFFERS);
    private int buffers; // allocated so far; producer thread only
    private volatile boolean closed;
    private volatile boolean failed;
    private final Input input = new Input();

    /** Queues a copy of the bytes; blocks while the pipe is full. Producer thread only. */
    void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            byte[] buffer = freeBuffer();
            int n = Math.min(len, buffer.length);
            System.arraycopy(b, off, buffer, 0, n);
            put(new Chunk(buffer, n));
            off += n;
            len -= n;
        }
    }

    private byte[] freeBuffer() throws IOException {
        byte[] buffer = free.poll();
        if (buffer != null) {
            return buffer;
        }
        if (buffers < MAX_BUFFERS) {
            buffers++;
            return new byte[BUFFER];
        }
        try {
            while ((buffer = free.poll(200, TimeUnit.MILLISECONDS)) == null) {
                if (closed) {
                    throw new IOException("the reader of the snapshot stream went away");
                }
                if (failed) {
                    return new byte[BUFFER]; // a failure dropped queued chunks with their buffers
                }
            }
            return buffer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("snapshot transfer interrupted");
        }
    }

    /** How many chunk buffers were allocated (bounded, whatever the bytes carried). Producer thread only. */
    int buffersAllocated() {
        return buffers;
    }

    /** Ends the stream normally. Producer thread only. */
    void end() throws IOException {
        put(END);
    }

    /** Ends the stream with a failure the consumer will see. Any thread; never blocks. */
    void fail(String message) {
        failed = true;
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

    private record Chunk(byte[] buffer, int length) {}

    private final class Input extends InputStream {
        private Chunk current;
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
            while (current == null || pos == current.length()) {
                if (current != null) {
                    free.offer(current.buffer()); // back to the producer
                    current = null;
                }
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
                current = (Chunk) item;
                pos = 0;
            }
            int n = Math.min(len, current.length() - pos);
            System.arraycopy(current.buffer(), pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void close() {
            ChunkPipe.this.close();
        }
    }
}
