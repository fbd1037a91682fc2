package io.jenkins.plugins.dbbackup.engine.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where bytes are kept: a flat namespace of objects named by keys such as {@code orders/20261122T020000Z-3f9a/manifest.json}.
 * Keys use {@code /} as separator, never start with {@code /} and never contain {@code ..}.
 *
 * <p>The contract every implementation meets (the storage contract test suite checks it):
 * <ul>
 *   <li>An object becomes visible only when its {@link ObjectWriter} is {@linkplain ObjectWriter#commit() committed},
 *       whole; closing a writer without commit leaves nothing behind (temp file deleted, multipart upload aborted).
 *   <li>{@link #list(String)} returns every committed object under a prefix, completely (pagination is the
 *       implementation's business), sorted by key.
 *   <li>Failures are {@link StorageException}s that say whether the object was missing, the failure is permanent
 *       or a retry may help.
 * </ul>
 * Implementations are thread-safe.
 */
public interface Storage extends Closeable {

    /** Where this storage is, for messages; never a secret. */
    String describe();

    /**
     * Starts writing an object. The caller writes, then commits; closing without commit aborts.
     *
     * @throws StorageException when the object cannot be created
     */
    ObjectWriter create(String key) throws IOException;

    /**
     * Starts writing an object with per-object options (storage class, retention lock). A storage that cannot honour
     * a non-default option refuses with a {@link StorageException} of kind {@link StorageException.Kind#PERMANENT}
     * rather than silently writing an unprotected object.
     */
    default ObjectWriter create(String key, ObjectOptions options) throws IOException {
        requireDefault(options);
        return create(key);
    }

    /** Writes a small object in one go (manifests, verification records, leases). */
    default void put(String key, byte[] content) throws IOException {
        try (ObjectWriter writer = create(key)) {
            writer.write(content);
            writer.commit();
        }
    }

    /** {@link #put(String, byte[])} with per-object options; see {@link #create(String, ObjectOptions)}. */
    default void put(String key, byte[] content, ObjectOptions options) throws IOException {
        try (ObjectWriter writer = create(key, options)) {
            writer.write(content);
            writer.commit();
        }
    }

    /**
     * Creates a small object only if no object exists under {@code key}.
     *
     * <p>Atomic where the backend allows it (local files: yes). The default checks then writes, which two writers
     * can race; callers that need mutual exclusion re-read what they wrote (see the prune lease).
     *
     * @return true when this call created the object, false when one already existed
     */
    default boolean putIfAbsent(String key, byte[] content) throws IOException {
        if (stat(key).isPresent()) {
            return false;
        }
        put(key, content);
        return true;
    }

    /**
     * Opens an object for reading. The caller closes the stream.
     *
     * @throws StorageException of kind {@link StorageException.Kind#NOT_FOUND} when it does not exist
     */
    InputStream open(String key) throws IOException;

    /** Reads a small object whole. */
    default byte[] read(String key) throws IOException {
        try (InputStream in = open(key)) {
            return in.readAllBytes();
        }
    }

    /** Size and time of an object, or empty when it does not exist. */
    Optional<ObjectInfo> stat(String key) throws IOException;

    /** Every committed object whose key starts with {@code prefix} ("" for all), sorted by key. */
    List<ObjectInfo> list(String prefix) throws IOException;

    /**
     * Deletes an object; deleting a missing object is not an error.
     *
     * @throws StorageException of kind {@link StorageException.Kind#LOCKED} when a retention lock forbids it
     */
    void delete(String key) throws IOException;

    /**
     * The optional capability to change storage classes and extend retention locks of stored objects (retention tier
     * settings); empty when this storage has no such thing (a directory).
     */
    default java.util.Optional<ObjectTransitions> transitions() {
        return java.util.Optional.empty();
    }

    @Override
    default void close() throws IOException {}

    private void requireDefault(ObjectOptions options) throws StorageException {
        if (options != null && !options.isDefault()) {
            throw new StorageException(StorageException.Kind.PERMANENT, describe()
                    + " does not support per-object storage classes or retention locks (asked for " + options + ")");
        }
    }
}
