package io.jenkins.plugins.dbbackup.engine.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Retries {@link StorageException.Kind#RETRYABLE} failures of any {@link Storage} by a {@link RetryPolicy}; every
 * other failure passes through at once.
 *
 * <p>What can be retried here is what can be replayed: {@link #put}, {@link #read}, {@link #stat}, {@link #list},
 * {@link #delete}, opening a stream and starting a writer. {@link #put} re-sends the same byte array. A streamed
 * write cannot be replayed once the producer's bytes are consumed, so the writer returned by {@link #create} is the
 * delegate's own: a backend that uploads in parts retries each part itself, from the part's buffered bytes (as
 * {@code S3Storage} does).
 */
public final class RetryingStorage implements Storage {
    private final Storage delegate;
    private final RetryPolicy policy;
    private final RetryPolicy.RetryListener listener;

    public RetryingStorage(Storage delegate, RetryPolicy policy) {
        this(delegate, policy, (what, n, failure, wait) -> {});
    }

    /**
     * @param listener told of every retry (for a build log, say); called on the calling thread
     */
    public RetryingStorage(Storage delegate, RetryPolicy policy, RetryPolicy.RetryListener listener) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** The wrapped storage. */
    public Storage delegate() {
        return delegate;
    }

    public RetryPolicy policy() {
        return policy;
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public ObjectWriter create(String key) throws IOException {
        return policy.call("create " + key, () -> delegate.create(key), listener);
    }

    @Override
    public ObjectWriter create(String key, ObjectOptions options) throws IOException {
        return policy.call("create " + key, () -> delegate.create(key, options), listener);
    }

    @Override
    public void put(String key, byte[] content) throws IOException {
        policy.call("put " + key, () -> {
            delegate.put(key, content);
            return null;
        }, listener);
    }

    @Override
    public void put(String key, byte[] content, ObjectOptions options) throws IOException {
        policy.call("put " + key, () -> {
            delegate.put(key, content, options);
            return null;
        }, listener);
    }

    @Override
    public InputStream open(String key) throws IOException {
        return policy.call("open " + key, () -> delegate.open(key), listener);
    }

    /** Reads the whole object again from the start when a retryable failure interrupts the read. */
    @Override
    public byte[] read(String key) throws IOException {
        return policy.call("read " + key, () -> delegate.read(key), listener);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        return policy.call("stat " + key, () -> delegate.stat(key), listener);
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        return policy.call("list " + prefix, () -> delegate.list(prefix), listener);
    }

    @Override
    public void delete(String key) throws IOException {
        policy.call("delete " + key, () -> {
            delegate.delete(key);
            return null;
        }, listener);
    }

    /** The delegate's transitions, each request retried like the others. */
    @Override
    public Optional<ObjectTransitions> transitions() {
        return delegate.transitions().map(t -> new ObjectTransitions() {
            @Override
            public ObjectState state(String key) throws IOException {
                return policy.call("state " + key, () -> t.state(key), listener);
            }

            @Override
            public void changeStorageClass(String key, String storageClass, ObjectOptions.RetentionLock lock)
                    throws IOException {
                policy.call("copy " + key + " to " + storageClass, () -> {
                    t.changeStorageClass(key, storageClass, lock);
                    return null;
                }, listener);
            }

            @Override
            public void extendLock(String key, ObjectOptions.RetentionLock lock) throws IOException {
                policy.call("extend the lock of " + key, () -> {
                    t.extendLock(key, lock);
                    return null;
                }, listener);
            }
        });
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    @Override
    public String toString() {
        return "RetryingStorage[" + delegate.describe() + ", " + policy.maxAttempts() + " attempts]";
    }
}
