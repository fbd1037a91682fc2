package io.jenkins.plugins.dbbackup.engine.repository;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads many small objects (manifests, verification records) with a few threads at once. Listing a set of 10,000
 * backups is 10,000 reads; one after the other, each waits a full round trip to S3, so the listing took tens of
 * seconds. The reads are independent, so they overlap; results keep the order of the keys.
 */
final class ParallelReads {
    /** Enough to hide round trips, few enough to stay well inside the S3 client's connection pool. */
    static final int THREADS = 16;
    /** Below this many keys a thread pool costs more than it saves. */
    static final int SERIAL_BELOW = 32;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private ParallelReads() {}

    /** One read, which may fail with an {@link IOException}. */
    @FunctionalInterface
    interface Read<T> {
        T apply(String key) throws IOException;
    }

    /**
     * Applies {@code read} to every key, at most {@link #THREADS} at once, and returns the results in the keys'
     * order. The first failure (in key order) is thrown and the reads not yet started are cancelled.
     *
     * @throws InterruptedIOException when the calling thread is interrupted while waiting
     */
    static <T> List<T> map(List<String> keys, Read<T> read) throws IOException {
        List<T> results = new ArrayList<>(keys.size());
        if (keys.size() < SERIAL_BELOW) {
            for (String key : keys) {
                results.add(read.apply(key));
            }
            return results;
        }
        int pool = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "dbbackup-read-" + pool + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>(keys.size());
            for (String key : keys) {
                futures.add(executor.submit(() -> {
                    try {
                        return read.apply(key);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            }
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + keys.size() + " objects");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        } finally {
            executor.shutdownNow();
        }
    }
}
