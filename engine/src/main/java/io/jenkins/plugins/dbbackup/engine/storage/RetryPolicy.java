package io.jenkins.plugins.dbbackup.engine.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How often and how patiently to retry {@link StorageException.Kind#RETRYABLE} failures: bounded attempts, exponential
 * backoff capped at {@code maxDelay}, with "full jitter" (each wait is uniformly random between zero and the
 * exponential bound) so that many agents hitting a throttled bucket do not retry in lockstep. Any other failure is
 * thrown at once. Immutable and thread-safe.
 *
 * @param maxAttempts attempts in total, at least 1 (1 = no retry)
 * @param baseDelay the bound of the first wait
 * @param maxDelay the largest bound of any wait
 * @param sleeper how to wait; tests pass one that records instead of sleeping
 * @param random a source of uniform numbers in [0, 1) for the jitter
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Sleeper sleeper, DoubleSupplier random) {

    /** Waits; interruptible. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** One storage call that may be tried again. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws IOException;
    }

    /** Sees every failed attempt that will be retried (for logs and tests). */
    @FunctionalInterface
    public interface RetryListener {
        void retrying(String what, int failedAttempt, StorageException failure, Duration wait);
    }

    public static final Sleeper REAL_SLEEP = d -> Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(random, "random");
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= baseDelay <= maxDelay");
        }
    }

    /** 5 attempts, waits bounded by 0.5 s, 1 s, 2 s, 4 s (at most about 7.5 s of waiting in total). */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(20), REAL_SLEEP,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /** Tries once. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, REAL_SLEEP, () -> 0);
    }

    public RetryPolicy withMaxAttempts(int value) {
        return new RetryPolicy(value, baseDelay, maxDelay, sleeper, random);
    }

    public RetryPolicy withSleeper(Sleeper value) {
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, value, random);
    }

    /** The bound of the wait after failed attempt {@code n} (1-based): base * 2^(n-1), capped. */
    public Duration backoffBound(int failedAttempt) {
        int shift = Math.min(failedAttempt - 1, 30);
        long bound = baseDelay.toNanos() << shift;
        if (bound < 0 || bound > maxDelay.toNanos() || (shift > 0 && (bound >> shift) != baseDelay.toNanos())) {
            bound = maxDelay.toNanos();
        }
        return Duration.ofNanos(bound);
    }

    /** The jittered wait after failed attempt {@code n}: uniform in [0, bound]. */
    public Duration backoff(int failedAttempt) {
        return Duration.ofNanos((long) (backoffBound(failedAttempt).toNanos() * random.getAsDouble()));
    }

    public <T> T call(String what, Attempt<T> attempt) throws IOException {
        return call(what, attempt, (w, n, f, d) -> {});
    }

    /**
     * Runs {@code attempt} until it succeeds, fails with anything but a retryable {@link StorageException}, or
     * {@link #maxAttempts()} attempts failed; then the last failure is thrown with the earlier ones suppressed.
     *
     * @throws InterruptedIOException when interrupted while waiting (the interrupt flag is set again)
     */
    public <T> T call(String what, Attempt<T> attempt, RetryListener listener) throws IOException {
        StorageException first = null;
        for (int n = 1; ; n++) {
            try {
                return attempt.run();
            } catch (StorageException e) {
                if (e.kind() != StorageException.Kind.RETRYABLE || n >= maxAttempts) {
                    if (first != null && first != e) {
                        e.addSuppressed(first);
                    }
                    throw n > 1 && e.kind() == StorageException.Kind.RETRYABLE
                            ? new StorageException(e.kind(), e.getMessage() + " (gave up after " + n + " attempts)", e)
                            : e;
                }
                if (first == null) {
                    first = e;
                }
                Duration wait = backoff(n);
                listener.retrying(what, n, e, wait);
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    InterruptedIOException interrupted = new InterruptedIOException("interrupted while retrying " + what);
                    interrupted.addSuppressed(e);
                    throw interrupted;
                }
            }
        }
    }
}
