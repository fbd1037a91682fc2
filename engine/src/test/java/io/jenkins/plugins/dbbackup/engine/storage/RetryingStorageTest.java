package io.jenkins.plugins.dbbackup.engine.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.storage.StorageException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetryingStorageTest {
    @TempDir
    Path dir;

    /** A local storage whose next calls fail with the queued exceptions. */
    private static final class Flaky implements Storage {
        final Storage real;
        final Deque<StorageException> failures = new ArrayDeque<>();
        int calls;

        Flaky(Storage real) {
            this.real = real;
        }

        private void maybeFail() throws StorageException {
            calls++;
            StorageException next = failures.poll();
            if (next != null) {
                throw next;
            }
        }

        @Override
        public String describe() {
            return "flaky";
        }

        @Override
        public ObjectWriter create(String key) throws IOException {
            maybeFail();
            return real.create(key);
        }

        @Override
        public void put(String key, byte[] content) throws IOException {
            maybeFail();
            real.put(key, content);
        }

        @Override
        public InputStream open(String key) throws IOException {
            maybeFail();
            return real.open(key);
        }

        @Override
        public Optional<ObjectInfo> stat(String key) throws IOException {
            maybeFail();
            return real.stat(key);
        }

        @Override
        public List<ObjectInfo> list(String prefix) throws IOException {
            maybeFail();
            return real.list(prefix);
        }

        @Override
        public void delete(String key) throws IOException {
            maybeFail();
            real.delete(key);
        }
    }

    private static StorageException retryable() {
        return new StorageException(Kind.RETRYABLE, "503 SlowDown");
    }

    @Test
    void retryableFailuresAreRetriedWithGrowingJitteredWaits() throws IOException {
        Flaky flaky = new Flaky(new LocalStorage(dir));
        List<Duration> sleeps = new ArrayList<>();
        RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1), sleeps::add, () -> 0.5);
        Storage storage = new RetryingStorage(flaky, policy);
        flaky.failures.add(retryable());
        flaky.failures.add(retryable());
        flaky.failures.add(retryable());
        storage.put("a/b", new byte[] {7});
        assertThat(flaky.calls).isEqualTo(4);
        assertThat(sleeps).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(storage.read("a/b")).containsExactly(7);
    }

    @Test
    void waitsAreCappedAndJitterStaysWithinTheBound() {
        RetryPolicy policy = new RetryPolicy(40, Duration.ofMillis(500), Duration.ofSeconds(20), d -> {}, Math::random);
        assertThat(policy.backoffBound(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.backoffBound(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.backoffBound(7)).isEqualTo(Duration.ofSeconds(20));
        assertThat(policy.backoffBound(40)).isEqualTo(Duration.ofSeconds(20));
        for (int i = 0; i < 1000; i++) {
            assertThat(policy.backoff(3)).isBetween(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastFailure() throws IOException {
        Flaky flaky = new Flaky(new LocalStorage(dir));
        for (int i = 0; i < 10; i++) {
            flaky.failures.add(retryable());
        }
        Storage storage = new RetryingStorage(flaky, RetryPolicy.defaults().withMaxAttempts(3).withSleeper(d -> {}));
        assertThatThrownBy(() -> storage.list(""))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.RETRYABLE);
                    assertThat(e.getMessage()).contains("gave up after 3 attempts");
                });
        assertThat(flaky.calls).isEqualTo(3);
    }

    @Test
    void permanentAndNotFoundFailAtOnce() throws IOException {
        Flaky flaky = new Flaky(new LocalStorage(dir));
        Storage storage = new RetryingStorage(flaky, RetryPolicy.defaults().withSleeper(d -> {}));
        flaky.failures.add(new StorageException(Kind.PERMANENT, "AccessDenied"));
        assertThatThrownBy(() -> storage.delete("x")).hasMessage("AccessDenied");
        assertThat(flaky.calls).isEqualTo(1);
        assertThatThrownBy(() -> storage.open("missing"))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThat(flaky.calls).isEqualTo(2);
        flaky.failures.add(new StorageException(Kind.LOCKED, "locked"));
        assertThatThrownBy(() -> storage.delete("x")).hasMessage("locked");
        assertThat(flaky.calls).isEqualTo(3);
    }

    @Test
    void interruptDuringTheWaitStopsRetrying() throws IOException {
        Flaky flaky = new Flaky(new LocalStorage(dir));
        flaky.failures.add(retryable());
        Storage storage = new RetryingStorage(flaky, RetryPolicy.defaults().withSleeper(d -> {
            throw new InterruptedException();
        }));
        assertThatThrownBy(() -> storage.stat("x")).isInstanceOf(InterruptedIOException.class);
        assertThat(Thread.interrupted()).isTrue();
        assertThat(flaky.calls).isEqualTo(1);
    }

    @Test
    void localStorageRefusesPerObjectLocks() throws IOException {
        Storage storage = new LocalStorage(dir);
        ObjectOptions locked = ObjectOptions.DEFAULTS.withLock(new ObjectOptions.RetentionLock(
                ObjectOptions.RetentionLock.Mode.COMPLIANCE, java.time.Instant.parse("2030-01-01T00:00:00Z")));
        assertThatThrownBy(() -> storage.put("a", new byte[] {1}, locked))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.PERMANENT));
        storage.put("a", new byte[] {1}, ObjectOptions.DEFAULTS);
        assertThat(storage.read("a")).containsExactly(1);
    }
}
