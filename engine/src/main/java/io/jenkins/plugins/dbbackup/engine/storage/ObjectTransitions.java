package io.jenkins.plugins.dbbackup.engine.storage;

import io.jenkins.plugins.dbbackup.engine.storage.ObjectOptions.RetentionLock;
import java.io.IOException;

/**
 * An optional capability of a {@link Storage} ({@link Storage#transitions()}): read an object's storage class and
 * retention lock, change the class in place, and extend the lock. Retention tiers use it to move the backups they keep
 * for long to a colder class and a longer lock after the upload.
 *
 * <p>A lock is only ever extended, never shortened or removed (COMPLIANCE locks cannot be anyway), and never by
 * bypassing a governance lock. Implementations are thread-safe.
 */
public interface ObjectTransitions {

    /**
     * The state of an object, as the store reports it now.
     *
     * @throws StorageException of kind {@link StorageException.Kind#NOT_FOUND} when the object does not exist
     */
    ObjectState state(String key) throws IOException;

    /**
     * Rewrites an object in place in another storage class (a server-side copy: the bytes do not pass through this
     * machine), keeping its content and metadata. On a versioned bucket the copy is a new version; it carries
     * {@code lock} (pass the lock the object has, extended if wanted, so the new version is protected as well).
     *
     * @param lock the lock of the new version, or null for none (the bucket's default retention may still apply)
     * @throws StorageException of kind {@link StorageException.Kind#PERMANENT} for objects the store cannot copy in
     *     one request (S3: over 5 GiB), naming the object and what to do instead
     */
    void changeStorageClass(String key, String storageClass, RetentionLock lock) throws IOException;

    /**
     * Sets an object's retention to {@code lock}, which must not end before the lock it has (the caller checks with
     * {@link #state}); the store refuses to shorten a COMPLIANCE lock anyway.
     */
    void extendLock(String key, RetentionLock lock) throws IOException;

    /**
     * What the store says about an object.
     *
     * @param key the storage key
     * @param size its length in bytes
     * @param storageClass its storage class ({@code STANDARD} when the store names none)
     * @param lock its retention lock, or null when it has none (or the store does not report one)
     */
    record ObjectState(String key, long size, String storageClass, RetentionLock lock) {}
}
