package io.jenkins.plugins.dbbackup.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hand-off between the write pipeline's stages, with tiny buffers so that every path (a full pool, a write
 * spanning buffers, a failure while buffers are queued) is taken. The timeouts only turn a hang into a failure.
 */
@Timeout(120)
class StageHandoffTest {
    private static final byte[] DATA = new byte[10_007];

    static {
        new SplittableRandom(7).nextBytes(DATA);
    }

    @Test
    void bytesArriveInOrderWhateverTheWriteSizes() throws IOException {
        ByteArrayOutputStream downstream = new ByteArrayOutputStream();
        StageHandoff handoff = new StageHandoff(downstream, "test-store", 3, 64);
        SplittableRandom random = new SplittableRandom(1);
        for (int at = 0; at < DATA.length; ) {
            int n = Math.min(DATA.length - at, random.nextInt(4) == 0 ? 1 : random.nextInt(300));
            if (n == 1) {
                handoff.write(DATA[at]);
            } else {
                byte[] padded = new byte[n + 5];
                System.arraycopy(DATA, at, padded, 3, n);
                handoff.write(padded, 3, n); // a non-zero offset is honoured
            }
            at += n;
        }
        handoff.finish();
        assertThat(handoff.consumerRunning()).isFalse();
        assertThat(downstream.toByteArray()).isEqualTo(DATA);
        assertThatThrownBy(() -> handoff.write(1)).isInstanceOf(IOException.class);
    }

    @Test
    void flushWaitsUntilTheBytesAreDownstreamAndFlushed() throws IOException {
        FlushCounting downstream = new FlushCounting();
        StageHandoff handoff = new StageHandoff(downstream, "test-store", 2, 1024);
        handoff.write(DATA, 0, 5);
        handoff.flush();
        assertThat(downstream.size()).isEqualTo(5);
        assertThat(downstream.flushes).isEqualTo(1);
        handoff.finish();
        assertThat(downstream.flushes).isEqualTo(1); // finishing leaves flushing and closing to the caller
    }

    @Test
    void aDownstreamFailureReachesTheProducerAsItWasThrown() throws IOException {
        IOException diskFull = new IOException("disk full");
        OutputStream downstream = new OutputStream() {
            int written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 200) {
                    throw diskFull;
                }
            }
        };
        StageHandoff handoff = new StageHandoff(downstream, "test-store", 2, 64);
        // keeps writing after the failure: the consumer drains, so the producer never waits forever for a buffer
        Throwable thrown = catchThrowable(() -> {
            for (int i = 0; i < 1000; i++) {
                handoff.write(DATA, 0, 1000);
            }
        });
        assertThat(thrown).isSameAs(diskFull);
        assertThatThrownBy(handoff::finish).isSameAs(diskFull);
        assertThat(handoff.consumerRunning()).isFalse();
    }

    @Test
    void anInterruptedProducerStopsWaitingAndAbortStopsABlockedConsumer() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        OutputStream downstream = new OutputStream() {
            @Override
            public void write(int b) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                received.write(b, off, len);
                entered.countDown();
                try {
                    never.await(); // a sink stuck in a write, until interrupted
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("sink interrupted");
                }
            }
        };
        StageHandoff handoff = new StageHandoff(downstream, "test-store", 2, 64);
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < 100; i++) {
                    handoff.write(DATA, 0, 64); // the third buffer waits for the stuck consumer
                }
            } catch (Throwable t) {
                producerFailure.set(t);
            }
        });
        producer.start();
        entered.await();
        producer.interrupt();
        producer.join();
        assertThat(producerFailure.get()).isInstanceOf(InterruptedIOException.class);

        handoff.abort();
        assertThat(handoff.consumerRunning()).isFalse();
        assertThat(received.size()).isEqualTo(64); // the queued buffer was dropped, not written
        handoff.abort(); // idempotent
        assertThatThrownBy(() -> handoff.write(1)).isInstanceOf(IOException.class);
    }

    @Test
    void abortWithNothingQueuedEndsTheConsumer() {
        StageHandoff handoff = new StageHandoff(OutputStream.nullOutputStream(), "test-store", 2, 64);
        handoff.abort();
        assertThat(handoff.consumerRunning()).isFalse();
    }

    private static final class FlushCounting extends ByteArrayOutputStream {
        volatile int flushes;

        @Override
        public void flush() {
            flushes++;
        }
    }
}
