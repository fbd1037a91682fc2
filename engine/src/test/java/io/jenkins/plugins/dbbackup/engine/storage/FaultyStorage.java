package io.jenkins.plugins.dbbackup.engine.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A storage that forwards to a real one and injects faults a real disk or server cannot produce on demand: a write
 * that fails after N bytes, deletes refused by a retention lock.
 */
public final class FaultyStorage implements Storage {
    private final Storage delegate;
    private volatile long failWritesAfterBytes = Long.MAX_VALUE;
    private volatile Predicate<String> lockedKeys = key -> false;

    public FaultyStorage(Storage delegate) {
        this.delegate = delegate;
    }

    /** Every object writer fails (like a full disk) once it has accepted {@code bytes} bytes. */
    public FaultyStorage failWritesAfter(long bytes) {
        this.failWritesAfterBytes = bytes;
        return this;
    }

    /** Deletes of matching keys fail as if an Object Lock held them. */
    public FaultyStorage lock(Predicate<String> keys) {
        this.lockedKeys = keys;
        return this;
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public ObjectWriter create(String key) throws IOException {
        ObjectWriter real = delegate.create(key);
        AtomicLong written = new AtomicLong();
        return new ObjectWriter() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written.addAndGet(len) > failWritesAfterBytes) {
                    throw new StorageException(StorageException.Kind.PERMANENT, "injected: no space left on device");
                }
                real.write(b, off, len);
            }

            @Override
            public void commit() throws IOException {
                real.commit();
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        };
    }

    @Override
    public InputStream open(String key) throws IOException {
        return delegate.open(key);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        return delegate.stat(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        return delegate.list(prefix);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] content) throws IOException {
        return delegate.putIfAbsent(key, content);
    }

    @Override
    public void delete(String key) throws IOException {
        if (lockedKeys.test(key)) {
            throw new StorageException(StorageException.Kind.LOCKED, "injected: object " + key + " is locked");
        }
        delegate.delete(key);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
