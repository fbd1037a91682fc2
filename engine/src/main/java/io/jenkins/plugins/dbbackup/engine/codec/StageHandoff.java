package io.jenkins.plugins.dbbackup.engine.codec;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The boundary between two stages of the {@link WritePipeline}: what the producer thread writes here is copied into
 * one of a fixed number of large buffers, and a consumer thread started here writes each full buffer to
 * {@code downstream}. So the stages above (digest of the original, compression) and the stages below (encryption,
 * digest of the stored bytes, storage) run at the same time, and the hand-off holds at most
 * {@code buffers × bufferSize} bytes, whatever the size of the source.
 *
 * <p>Threads: one producer thread calls {@code write}, {@code flush}, {@link #finish()} and {@link #abort()}; only
 * the consumer thread touches {@code downstream} until {@code finish()} or {@code abort()} returns, after which the
 * consumer has ended and the producer thread may use {@code downstream} itself (to end its formats or release it).
 *
 * <p>Failures: an exception thrown by {@code downstream} on the consumer thread is kept, the consumer discards all
 * later data, and the producer's next {@code write}, {@code flush} or {@code finish} rethrows that same exception.
 * An interrupt of the producer while it waits for a free buffer or for the consumer ends the wait with an
 * {@link InterruptedIOException}; the caller then aborts. Closing does nothing: {@code finish()} or {@code abort()}
 * decides how the hand-off ends.
 */
final class StageHandoff extends OutputStream {
    /** Bytes per buffer: large, so each hand-off (a queue operation and a wake-up) is amortised over much data. */
    static final int BUFFER_SIZE = 1 << 20;
    /** Buffers in circulation: one being filled, one being written downstream, and slack for uneven stages. */
    static final int BUFFERS = 4;
    /** How long {@link #abort()} waits for the consumer to leave a blocked write after interrupting it. */
    private static final long ABORT_WAIT_MILLIS = 30_000;

    private static final int DATA = 0;
    private static final int FLUSH = 1;
    private static final int END = 2;

    private record Chunk(int kind, byte[] buffer, int length, CountDownLatch done) {}

    private final OutputStream downstream;
    private final BlockingQueue<byte[]> free;
    private final BlockingQueue<Chunk> full = new LinkedBlockingQueue<>();
    private final Thread consumer;
    private volatile Throwable failure;
    private volatile boolean aborted;
    private byte[] current;
    private int count;
    private boolean ended;

    /**
     * Starts the consumer thread.
     *
     * @param downstream the next stage; written only by the consumer thread until {@link #finish()} or
     *                   {@link #abort()} returns; never closed here
     * @param name       the consumer thread's name
     */
    StageHandoff(OutputStream downstream, String name, int buffers, int bufferSize) {
        this.downstream = Objects.requireNonNull(downstream, "downstream");
        if (buffers < 2 || bufferSize < 1) {
            throw new IllegalArgumentException("need at least two buffers of at least one byte");
        }
        this.free = new ArrayBlockingQueue<>(buffers);
        for (int i = 0; i < buffers; i++) {
            free.add(new byte[bufferSize]);
        }
        consumer = new Thread(this::consume, name);
        consumer.setDaemon(true);
        consumer.start();
    }

    StageHandoff(OutputStream downstream, String name) {
        this(downstream, name, BUFFERS, BUFFER_SIZE);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureWritable();
        while (len > 0) {
            if (current == null) {
                current = takeFreeBuffer();
                count = 0;
            }
            int n = Math.min(len, current.length - count);
            System.arraycopy(b, off, current, count, n);
            count += n;
            off += n;
            len -= n;
            if (count == current.length) {
                handOffCurrent();
            }
        }
    }

    /** Hands off what is buffered and waits until the consumer has written it and flushed {@code downstream}. */
    @Override
    public void flush() throws IOException {
        ensureWritable();
        handOffCurrent();
        CountDownLatch done = new CountDownLatch(1);
        full.add(new Chunk(FLUSH, null, 0, done));
        await(done);
        rethrowFailure();
    }

    /**
     * Hands off what is buffered, waits until the consumer has written everything to {@code downstream} and ended,
     * and rethrows its failure if it had one. {@code downstream} is not flushed or closed: the caller ends it.
     */
    void finish() throws IOException {
        if (ended) {
            throw new IOException("stream closed");
        }
        ended = true;
        if (current != null && count > 0) {
            full.add(new Chunk(DATA, current, count, null)); // dropped by the consumer if it has failed
            current = null;
        }
        full.add(new Chunk(END, null, 0, null)); // the consumer ends, also after a failure
        try {
            consumer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the pipeline's last stage was writing");
        }
        rethrowFailure();
    }

    /**
     * Stops the consumer without writing what is still queued: it drops queued buffers, is interrupted if it is
     * blocked in {@code downstream}, and this method waits (a bounded time) for it to end. Idempotent; the caller
     * should first make {@code downstream} discard writes, so that nothing more reaches the sink either way.
     */
    void abort() {
        ended = true;
        if (!consumer.isAlive()) {
            return;
        }
        aborted = true;
        full.add(new Chunk(END, null, 0, null));
        consumer.interrupt();
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ABORT_WAIT_MILLIS);
        while (consumer.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break; // a sink that ignores interrupts; the shields above it discard whatever it still gets
            }
            try {
                consumer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                interrupted = true; // finish releasing first, then keep the interrupt for the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Does nothing: {@link #finish()} or {@link #abort()} ends the hand-off. */
    @Override
    public void close() {
    }

    /** Whether the consumer thread is still running (for tests). */
    boolean consumerRunning() {
        return consumer.isAlive();
    }

    private void consume() {
        try {
            while (true) {
                Chunk chunk = full.take();
                if (chunk.kind == END) {
                    return;
                }
                if (failure == null && !aborted) {
                    try {
                        if (chunk.kind == DATA) {
                            downstream.write(chunk.buffer, 0, chunk.length);
                        } else {
                            downstream.flush();
                        }
                    } catch (IOException | RuntimeException | Error e) {
                        failure = e; // from now on, drain and drop, so the producer never waits for a buffer
                    }
                }
                if (chunk.buffer != null) {
                    free.add(chunk.buffer);
                }
                if (chunk.done != null) {
                    chunk.done.countDown();
                }
            }
        } catch (InterruptedException e) {
            if (failure == null && !aborted) {
                failure = new InterruptedIOException("the pipeline's last stage was interrupted");
            }
        }
    }

    private void handOffCurrent() throws IOException {
        if (current != null && count > 0) {
            full.add(new Chunk(DATA, current, count, null));
            current = null;
            count = 0;
        }
        rethrowFailure();
    }

    private byte[] takeFreeBuffer() throws IOException {
        try {
            while (true) {
                byte[] buffer = free.poll(100, TimeUnit.MILLISECONDS);
                if (buffer != null) {
                    return buffer;
                }
                rethrowFailure();
                if (!consumer.isAlive()) {
                    throw new IOException("the pipeline's last stage ended unexpectedly");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the pipeline's last stage");
        }
    }

    private void await(CountDownLatch done) throws IOException {
        try {
            while (!done.await(100, TimeUnit.MILLISECONDS)) {
                if (!consumer.isAlive()) {
                    rethrowFailure();
                    throw new IOException("the pipeline's last stage ended unexpectedly");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the pipeline's last stage");
        }
    }

    private void rethrowFailure() throws IOException {
        Streams.rethrow(failure);
    }

    private void ensureWritable() throws IOException {
        if (ended) {
            throw new IOException("stream closed");
        }
        rethrowFailure();
    }
}
