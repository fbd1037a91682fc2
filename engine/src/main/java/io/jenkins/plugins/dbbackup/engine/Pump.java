package io.jenkins.plugins.dbbackup.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Copies a stream on a worker thread while the calling thread waits, so that interrupting the caller (as Jenkins
 * does on abort) can stop a copy blocked in a read: the caller then runs {@code abort} (which kills the producing
 * process, ending the read), waits for the worker and rethrows the interrupt.
 */
final class Pump {
    static final int BUFFER = 256 * 1024;
    private static final long PROGRESS_EVERY_MILLIS = 10_000;

    private Pump() {}

    /**
     * @return bytes copied
     * @throws IOException what the copy threw
     * @throws InterruptedException when the caller was interrupted; {@code abort} has run and the worker ended
     */
    static long run(String stage, InputStream in, OutputStream out, Runnable abort, ProgressListener listener,
            Clock clock) throws IOException, InterruptedException {
        FutureTask<Long> task = new FutureTask<>(() -> copy(stage, in, out, listener, clock));
        Thread worker = new Thread(task, "dbbackup-" + stage);
        worker.setDaemon(true);
        worker.start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            abort.run();
            worker.interrupt();
            worker.join(30_000);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }

    private static long copy(String stage, InputStream in, OutputStream out, ProgressListener listener, Clock clock)
            throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        long start = clock.millis();
        long nextReport = start + PROGRESS_EVERY_MILLIS;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException(stage + " interrupted");
            }
            out.write(buffer, 0, n);
            total += n;
            long now = clock.millis();
            if (now >= nextReport) {
                listener.progress(stage, total, now - start);
                nextReport = now + PROGRESS_EVERY_MILLIS;
            }
        }
        return total;
    }

    static String humanBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
