package io.jenkins.plugins.dbbackup.engine.storage.s3;

import io.jenkins.plugins.dbbackup.engine.storage.ObjectOptions;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectWriter;
import io.jenkins.plugins.dbbackup.engine.storage.StorageException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Streams one object into S3: fills a part buffer on the producer's thread and hands full buffers to the storage's
 * upload pool, at most {@code partsInFlight} at a time (the producer blocks for a free slot: back-pressure). A writer
 * never holds more than {@code partsInFlight + 1} buffers. The multipart upload is created with the first full
 * part; an object that never fills a part is one PutObject at commit.
 *
 * <p>Each request (create, part, complete, abort) is retried by the storage's retry policy from the buffered bytes.
 * Any failure that remains, an interrupt of the producer, or {@link #close()} without {@link #commit()} aborts the
 * upload after the parts in flight have stopped, so the store keeps no parts.
 *
 * <p>One producer thread; the upload pool's threads only touch the concurrent fields.
 */
final class MultipartWriter extends ObjectWriter {
    private static final int FIRST_BUFFER = 64 * 1024;
    private static final long ABORT_WAIT_MINUTES = 5;

    private final S3Storage storage;
    private final String objectKey;
    private final ObjectOptions effective;
    private final int partSize;
    private final int partsInFlight;
    private final Semaphore slots;
    private final ArrayBlockingQueue<byte[]> free;
    private final ConcurrentSkipListMap<Integer, CompletedPart> done = new ConcurrentSkipListMap<>();
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private final List<PartTask> inFlight = new ArrayList<>();

    /** A submitted part; {@code started} decides once whether the task or an abort owns its slot and buffer. */
    private record PartTask(Future<?> future, AtomicBoolean started, byte[] buffer) {}

    private byte[] current;
    private int filled;
    private int buffersAllocated;
    private String uploadId;
    private int nextPart = 1;
    private long total;
    private volatile boolean aborted;
    private boolean committed;
    private boolean closed;

    MultipartWriter(S3Storage storage, String objectKey, ObjectOptions effective) {
        this.storage = storage;
        this.objectKey = objectKey;
        this.effective = effective;
        this.partSize = (int) storage.options().partSize();
        this.partsInFlight = storage.options().partsInFlight();
        this.slots = new Semaphore(partsInFlight);
        this.free = new ArrayBlockingQueue<>(partsInFlight + 1);
    }

    /** How many part buffers this writer allocated; never more than {@code partsInFlight + 1}. */
    int buffersAllocated() {
        return buffersAllocated;
    }

    /** The multipart upload id, or null while the object fits in one part. */
    String uploadId() {
        return uploadId;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (current == null || filled == current.length) {
            makeRoom();
        }
        current[filled++] = (byte) b;
        total++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        while (len > 0) {
            if (current == null || filled == current.length) {
                makeRoom();
            }
            int n = Math.min(len, current.length - filled);
            System.arraycopy(b, off, current, filled, n);
            filled += n;
            total += n;
            off += n;
            len -= n;
        }
    }

    /** Grows the first buffer up to a part, or sends the full part and takes a fresh buffer. */
    private void makeRoom() throws IOException {
        if (current == null) {
            current = takeBuffer();
            return;
        }
        if (current.length < partSize) {
            byte[] bigger = new byte[(int) Math.min((long) current.length * 4, partSize)];
            System.arraycopy(current, 0, bigger, 0, filled);
            current = bigger;
            return;
        }
        sendPart();
        current = takeBuffer();
    }

    private byte[] takeBuffer() throws IOException {
        if (uploadId == null && buffersAllocated == 0) {
            buffersAllocated = 1;
            return new byte[Math.min(FIRST_BUFFER, partSize)];
        }
        byte[] buffer = free.poll();
        if (buffer != null) {
            return buffer;
        }
        if (buffersAllocated < partsInFlight + 1) {
            buffersAllocated++;
            return new byte[partSize];
        }
        try {
            return free.take(); // not reached while the slot invariant holds; blocks rather than over-allocating
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /** Hands the current (full or last) buffer to the upload pool, creating the upload first if needed. */
    private void sendPart() throws IOException {
        checkFailure();
        if (nextPart > S3Options.MAX_PARTS) {
            throw fail(new StorageException(StorageException.Kind.PERMANENT, "object " + objectKey
                    + " is larger than " + S3Options.MAX_PARTS + " parts of " + partSize / S3Options.MIB
                    + " MiB allow: raise the part size (partSizeMiB) of the repository"));
        }
        if (uploadId == null) {
            try {
                uploadId = storage.retry().call("CreateMultipartUpload " + objectKey,
                        () -> storage.createUpload(objectKey, effective));
            } catch (IOException e) {
                throw fail(e);
            }
        }
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
        int partNumber = nextPart++;
        byte[] buffer = current;
        int length = filled;
        current = null;
        filled = 0;
        String upload = uploadId;
        AtomicBoolean started = new AtomicBoolean();
        try {
            Future<?> future = storage.uploadPool().submit(() -> {
                if (started.compareAndSet(false, true)) {
                    uploadPart(upload, partNumber, buffer, length);
                }
            });
            inFlight.removeIf(t -> t.future().isDone());
            inFlight.add(new PartTask(future, started, buffer));
        } catch (RuntimeException e) { // pool shut down: the storage was closed
            slots.release();
            throw fail(new StorageException(StorageException.Kind.PERMANENT, "storage closed while writing " + objectKey, e));
        }
    }

    /** Runs on the upload pool. Records the part or the failure; always frees the buffer and the slot. */
    private void uploadPart(String upload, int partNumber, byte[] buffer, int length) {
        try {
            if (aborted) {
                return;
            }
            String crc = S3Storage.crc32c(buffer, length);
            CompletedPart part = storage.retry().call("UploadPart " + partNumber + " of " + objectKey, () -> {
                if (aborted) {
                    throw new StorageException(StorageException.Kind.PERMANENT, "upload of " + objectKey + " aborted");
                }
                return storage.uploadPart(objectKey, upload, partNumber, buffer, length, crc);
            });
            done.put(partNumber, part);
        } catch (IOException e) {
            failure.compareAndSet(null, e);
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, new StorageException(StorageException.Kind.PERMANENT,
                    "UploadPart " + partNumber + " of " + objectKey + " failed: " + e, e));
        } finally {
            free.offer(buffer);
            slots.release();
        }
    }

    @Override
    public void commit() throws IOException {
        ensureOpen();
        checkFailure();
        if (uploadId == null) {
            byte[] buffer = current == null ? new byte[0] : current;
            int length = filled;
            try {
                storage.retry().call("PUT " + objectKey, () -> {
                    storage.putObject(objectKey, buffer, length, effective);
                    return null;
                });
            } catch (IOException e) {
                throw fail(e);
            }
        } else {
            if (filled > 0) {
                sendPart();
            }
            try {
                slots.acquire(partsInFlight);
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
            slots.release(partsInFlight);
            checkFailure();
            List<CompletedPart> parts = new ArrayList<>(done.values());
            if (parts.size() != nextPart - 1) {
                throw fail(new StorageException(StorageException.Kind.PERMANENT, "upload of " + objectKey + " has "
                        + parts.size() + " of " + (nextPart - 1) + " parts"));
            }
            int[] attempts = {0};
            try {
                storage.retry().call("CompleteMultipartUpload " + objectKey, () -> {
                    attempts[0]++;
                    try {
                        storage.completeUpload(objectKey, uploadId, parts);
                    } catch (StorageException e) {
                        // an earlier attempt completed it but its answer was lost: the upload id is gone and the
                        // object is there, whole
                        if (attempts[0] == 1 || !S3Errors.isNoSuchUpload(e) || storage.sizeOf(objectKey) != total) {
                            throw e;
                        }
                    }
                    return null;
                });
            } catch (IOException e) {
                throw fail(e);
            }
        }
        committed = true;
        current = null;
        free.clear();
    }

    /** Discards the object unless committed: waits for parts in flight, then aborts the multipart upload. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (!committed) {
            IOException abortFailure = abort();
            if (abortFailure != null) {
                throw abortFailure;
            }
        }
        current = null;
        free.clear();
    }

    private void ensureOpen() throws IOException {
        if (committed || closed || aborted) {
            throw new IOException("writer for " + objectKey + " is "
                    + (committed ? "committed" : aborted ? "aborted after a failure" : "closed"));
        }
    }

    private void checkFailure() throws IOException {
        IOException f = failure.get();
        if (f != null) {
            StorageException.Kind kind = f instanceof StorageException s ? s.kind() : StorageException.Kind.PERMANENT;
            throw fail(new StorageException(kind, f.getMessage(), f));
        }
    }

    private InterruptedIOException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException interrupted = new InterruptedIOException("interrupted while writing " + objectKey);
        interrupted.initCause(e);
        fail(interrupted);
        return interrupted;
    }

    /** Aborts the upload because of {@code cause}; returns the cause (with an abort failure attached) to throw. */
    private <E extends IOException> E fail(E cause) {
        IOException abortFailure = abort();
        if (abortFailure != null) {
            cause.addSuppressed(abortFailure);
        }
        return cause;
    }

    /**
     * Stops the parts in flight and aborts the multipart upload (retried). Runs once; the interrupt flag is cleared
     * for the abort requests (the SDK refuses to start a request on an interrupted thread) and set again after.
     *
     * @return null, or why the upload could not be aborted (its parts then stay until a lifecycle rule removes them)
     */
    private IOException abort() {
        if (aborted) {
            return null;
        }
        aborted = true;
        boolean interrupted = Thread.interrupted();
        try {
            for (PartTask task : inFlight) {
                task.future().cancel(true);
                if (task.started().compareAndSet(false, true)) {
                    // cancelled before it ran: its finally will never free the slot and the buffer
                    free.offer(task.buffer());
                    slots.release();
                }
            }
            boolean stopped = false;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(ABORT_WAIT_MINUTES);
            while (!stopped && System.nanoTime() < deadline) {
                try {
                    stopped = slots.tryAcquire(partsInFlight, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (stopped) {
                slots.release(partsInFlight);
            }
            if (uploadId == null) {
                return null;
            }
            try {
                storage.retry().call("AbortMultipartUpload " + objectKey, () -> {
                    storage.abortUpload(objectKey, uploadId);
                    return null;
                });
                return null;
            } catch (IOException e) {
                return new StorageException(StorageException.Kind.PERMANENT, "could not abort the multipart upload "
                        + uploadId + " of " + objectKey + "; its parts stay billed until an"
                        + " AbortIncompleteMultipartUpload lifecycle rule removes them: " + e.getMessage(), e);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
