package io.jenkins.plugins.dbbackup.engine.storage.s3;

import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec.S3Settings;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectInfo;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectOptions;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectOptions.RetentionLock;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectTransitions;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectWriter;
import io.jenkins.plugins.dbbackup.engine.storage.RetryPolicy;
import io.jenkins.plugins.dbbackup.engine.storage.Storage;
import io.jenkins.plugins.dbbackup.engine.storage.StorageException;
import io.jenkins.plugins.dbbackup.engine.storage.StorageKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Objects in an S3 bucket (or an S3-compatible store) under a key prefix.
 *
 * <p>{@link #transitions()} changes storage classes (in-place CopyObject, metadata copied; at most 5 GiB, larger
 * objects are refused with a message) and extends Object Lock retention (PutObjectRetention), for retention tiers.
 *
 * <ul>
 *   <li>{@link #create} streams an object of unknown length as a multipart upload with bounded memory: parts of
 *       {@link S3Options#partSize()} bytes, at most {@link S3Options#partsInFlight()} uploading at once on a small
 *       pool while the producer fills the next buffer. Each part carries a CRC32C checksum. The upload is completed
 *       only by {@link ObjectWriter#commit()}; close without commit, a failure or an interrupt aborts it, so no parts
 *       are left behind. An object that fits in one part is sent as one PUT at commit.
 *   <li>Every part, and the create/complete/abort requests of an upload, are retried here by
 *       {@link S3Options#retry()}: the part's bytes are in its buffer, so a retry re-sends exactly the same bytes.
 *       Single-request operations ({@link #put}, {@link #open}, {@link #stat}, {@link #list}, {@link #delete}) are
 *       not retried here; wrap this storage in a {@code RetryingStorage} (as {@code StorageFactory} does).
 *   <li>{@link #open} resumes a body cut short by a ranged GET of the same ETag, from where it stopped.
 *   <li>Storage class, server-side encryption and Object Lock retention are set when an object is written, from
 *       {@link S3Options} or per object through {@link #create(String, ObjectOptions)}.
 *   <li>{@link #delete} is a plain DeleteObject. On a versioned bucket (which Object Lock requires) it adds a delete
 *       marker: the object disappears from listings, its locked version stays until its retention ends and a
 *       lifecycle rule expires noncurrent versions. A delete the store refuses because of a lock is a
 *       {@link StorageException.Kind#LOCKED} failure.
 * </ul>
 * Thread-safe. Owns its {@link S3Client} and closes it in {@link #close()}.
 */
public final class S3Storage implements Storage {
    private static final String CONTENT_TYPE = "application/octet-stream";
    private static final AtomicInteger POOLS = new AtomicInteger();
    /**
     * Bodies carry our precomputed CRC32C as an {@code x-amz-checksum-crc32c} header. Naming the algorithm in the
     * request's model field would make the SDK compute it again into an aws-chunked trailer (two checksums); the
     * {@code x-amz-sdk-checksum-algorithm} header alone is what Object Lock uploads require besides the checksum.
     */
    private static final AwsRequestOverrideConfiguration CHECKSUM_ALGORITHM_HEADER =
            AwsRequestOverrideConfiguration.builder().putHeader("x-amz-sdk-checksum-algorithm", "CRC32C").build();

    private final S3Client client;
    private final S3Location location;
    private final S3Options options;
    private final S3Errors errors;
    private final String description;
    private final ExecutorService uploads;

    /**
     * @param client the client; this storage closes it
     * @param location bucket and prefix
     * @param options how to write
     * @param endpoint the endpoint for messages, or null for AWS
     * @param secrets values never to print (the secret key and session token), for scrubbing messages; may be empty
     */
    public S3Storage(S3Client client, S3Location location, S3Options options, String endpoint, List<String> secrets) {
        this.client = Objects.requireNonNull(client, "client");
        this.location = Objects.requireNonNull(location, "location");
        this.options = Objects.requireNonNull(options, "options");
        this.description = location + (endpoint == null || endpoint.isBlank() ? "" : " at " + endpoint);
        this.errors = new S3Errors("bucket '" + location.bucket() + "'"
                + (endpoint == null || endpoint.isBlank() ? "" : " at " + endpoint), secrets);
        int pool = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "s3-upload-" + pool + "-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.uploads = executor;
    }

    /** The storage of an {@code s3://bucket/prefix} repository, with a client built from its settings. */
    public static S3Storage open(RepositorySpec spec) {
        if (!spec.isS3()) {
            throw new IllegalArgumentException("not an S3 repository: " + spec.uri());
        }
        S3Settings s = spec.s3();
        S3Options options = S3Options.from(s);
        S3Location location = S3Location.parse(spec.uri());
        S3Client client;
        try {
            client = S3Clients.create(s, options.partsInFlight() * 4 + 8);
        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
            // e.g. no region anywhere in the default chain; never carries a secret
            throw new IllegalArgumentException("cannot set up the S3 client for " + location + ": " + e.getMessage()
                    + " (set the region, or AWS_REGION on the machine that runs the backup)", e);
        }
        List<String> secrets = new ArrayList<>();
        if (s.secretAccessKey() != null) {
            secrets.add(s.secretAccessKey().reveal());
        }
        if (s.sessionToken() != null) {
            secrets.add(s.sessionToken().reveal());
        }
        return new S3Storage(client, location, options, s.endpoint(), secrets);
    }

    public S3Location location() {
        return location;
    }

    public S3Options options() {
        return options;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public ObjectWriter create(String key) throws IOException {
        return create(key, ObjectOptions.DEFAULTS);
    }

    /** Starts a streamed write with a per-object storage class and/or retention lock; null parts use the defaults. */
    @Override
    public ObjectWriter create(String key, ObjectOptions objectOptions) throws IOException {
        return new MultipartWriter(this, location.objectKey(key), options.effective(objectOptions));
    }

    @Override
    public void put(String key, byte[] content) throws IOException {
        put(key, content, ObjectOptions.DEFAULTS);
    }

    /** One PutObject (not retried here) when the content fits in a part, else a multipart upload. */
    @Override
    public void put(String key, byte[] content, ObjectOptions objectOptions) throws IOException {
        String objectKey = location.objectKey(key);
        if (content.length > options.partSize()) {
            Storage.super.put(key, content, objectOptions);
            return;
        }
        putObject(objectKey, content, content.length, options.effective(objectOptions));
    }

    /**
     * Streams an object. A connection that fails in the middle of the body is resumed where it stopped (a ranged GET
     * of the same version, checked by ETag), up to {@link S3Options#retry()}'s attempts in a row, so a long restore
     * survives a network blip without starting over.
     */
    @Override
    public InputStream open(String key) throws IOException {
        String objectKey = location.objectKey(key);
        return new ResumingInputStream(objectKey, get(objectKey, 0, null));
    }

    private ResponseInputStream<GetObjectResponse> get(String objectKey, long from, String etag) throws IOException {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(location.bucket()).key(objectKey);
        if (from > 0) {
            request.range("bytes=" + from + "-");
        }
        if (etag != null) {
            request.ifMatch(etag);
        }
        try {
            return client.getObject(request.build());
        } catch (RuntimeException e) {
            throw errors.classify("GET " + objectKey + (from > 0 ? " from byte " + from : ""), e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        String objectKey = location.objectKey(key);
        try {
            HeadObjectResponse head = client.headObject(b -> b.bucket(location.bucket()).key(objectKey));
            return Optional.of(new ObjectInfo(key, head.contentLength(), head.lastModified()));
        } catch (RuntimeException e) {
            StorageException classified = errors.classify("HEAD " + objectKey, e);
            if (classified.kind() == StorageException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw classified;
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        String full = location.prefix() + StorageKeys.checkPrefix(prefix);
        List<ObjectInfo> result = new ArrayList<>();
        String token = null;
        int pages = 0;
        try {
            do {
                ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(location.bucket());
                if (!full.isEmpty()) {
                    request.prefix(full);
                }
                if (token != null) {
                    request.continuationToken(token);
                }
                ListObjectsV2Response page = client.listObjectsV2(request.build());
                pages++;
                for (S3Object object : page.contents()) {
                    String relative = relative(object.key());
                    if (relative != null) {
                        result.add(new ObjectInfo(relative, object.size(), object.lastModified()));
                    }
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (RuntimeException e) {
            throw errors.classify("LIST " + full + " (page " + (pages + 1) + ")", e);
        }
        result.sort(Comparator.comparing(ObjectInfo::key));
        return result;
    }

    /** The repository key of an object key, or null for keys that are not valid repository keys ("folders"). */
    private String relative(String objectKey) {
        if (!objectKey.startsWith(location.prefix())) {
            return null;
        }
        String relative = objectKey.substring(location.prefix().length());
        try {
            return StorageKeys.check(relative);
        } catch (IllegalArgumentException notARepositoryKey) {
            return null;
        }
    }

    @Override
    public void delete(String key) throws IOException {
        String objectKey = location.objectKey(key);
        try {
            client.deleteObject(b -> b.bucket(location.bucket()).key(objectKey));
        } catch (RuntimeException e) {
            StorageException classified = errors.classify("DELETE " + objectKey, e);
            if (classified.kind() != StorageException.Kind.NOT_FOUND) {
                throw classified;
            }
        }
    }

    /** Storage class changes by server-side CopyObject, lock extensions by PutObjectRetention, state by HEAD. */
    @Override
    public Optional<ObjectTransitions> transitions() {
        return Optional.of(transitions);
    }

    /** S3's largest CopyObject source; larger objects need a multipart copy (UploadPartCopy). */
    public static final long MAX_COPY_SIZE = 5L * 1024 * 1024 * 1024;

    private final ObjectTransitions transitions = new ObjectTransitions() {
        @Override
        public ObjectState state(String key) throws IOException {
            String objectKey = location.objectKey(key);
            HeadObjectResponse head;
            try {
                head = client.headObject(b -> b.bucket(location.bucket()).key(objectKey));
            } catch (RuntimeException e) {
                throw errors.classify("HEAD " + objectKey, e);
            }
            String cls = head.storageClassAsString();
            RetentionLock lock = null;
            String mode = head.objectLockModeAsString();
            if (mode != null && !mode.isBlank() && head.objectLockRetainUntilDate() != null) {
                lock = new RetentionLock(RetentionLock.Mode.parse(mode), head.objectLockRetainUntilDate());
            }
            return new ObjectState(key, head.contentLength(), cls == null || cls.isBlank() ? "STANDARD" : cls, lock);
        }

        @Override
        public void changeStorageClass(String key, String storageClass, RetentionLock lock) throws IOException {
            String objectKey = location.objectKey(key);
            ObjectState now = state(key);
            if (now.size() > MAX_COPY_SIZE) {
                throw new StorageException(StorageException.Kind.PERMANENT, errors.scrub("cannot move " + objectKey
                        + " on " + describe() + " to storage class " + storageClass + ": it has " + now.size()
                        + " bytes, and objects over 5 GiB need a multipart copy, which this version does not do;"
                        + " use a bucket lifecycle rule to transition large backups"));
            }
            CopyObjectRequest.Builder request = CopyObjectRequest.builder()
                    .sourceBucket(location.bucket()).sourceKey(objectKey)
                    .destinationBucket(location.bucket()).destinationKey(objectKey)
                    .storageClass(storageClass)
                    .metadataDirective(MetadataDirective.COPY);
            if (options.serverSideEncryption() != null) {
                request.serverSideEncryption(options.serverSideEncryption());
            }
            if (options.kmsKeyId() != null) {
                request.ssekmsKeyId(options.kmsKeyId());
            }
            if (lock != null) {
                request.objectLockMode(ObjectLockMode.fromValue(lock.mode().name()));
                request.objectLockRetainUntilDate(lock.retainUntil());
            }
            try {
                client.copyObject(request.build());
            } catch (RuntimeException e) {
                throw errors.classify("CopyObject " + objectKey + " to storage class " + storageClass, e);
            }
        }

        @Override
        public void extendLock(String key, RetentionLock lock) throws IOException {
            String objectKey = location.objectKey(key);
            try {
                client.putObjectRetention(b -> b.bucket(location.bucket()).key(objectKey)
                        .retention(r -> r.mode(ObjectLockRetentionMode.fromValue(lock.mode().name()))
                                .retainUntilDate(lock.retainUntil())));
            } catch (RuntimeException e) {
                throw errors.classify("PutObjectRetention " + objectKey + " until " + lock.retainUntil(), e);
            }
        }
    };

    @Override
    public void close() {
        uploads.shutdown();
        client.close();
    }

    @Override
    public String toString() {
        return "S3Storage[" + description + "]";
    }

    // ---- requests used by the writer ----

    ExecutorService uploadPool() {
        return uploads;
    }

    RetryPolicy retry() {
        return options.retry();
    }

    void putObject(String objectKey, byte[] buffer, int length, ObjectOptions effective) throws IOException {
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(location.bucket())
                .key(objectKey)
                .contentType(CONTENT_TYPE)
                .contentLength((long) length)
                .checksumCRC32C(crc32c(buffer, length))
                .overrideConfiguration(CHECKSUM_ALGORITHM_HEADER);
        if (effective.storageClass() != null) {
            request.storageClass(effective.storageClass());
        }
        if (options.serverSideEncryption() != null) {
            request.serverSideEncryption(options.serverSideEncryption());
        }
        if (options.kmsKeyId() != null) {
            request.ssekmsKeyId(options.kmsKeyId());
        }
        if (effective.lock() != null) {
            request.objectLockMode(ObjectLockMode.fromValue(effective.lock().mode().name()));
            request.objectLockRetainUntilDate(effective.lock().retainUntil());
        }
        try {
            client.putObject(request.build(), body(buffer, length));
        } catch (RuntimeException e) {
            throw errors.classify("PUT " + objectKey, e);
        }
    }

    String createUpload(String objectKey, ObjectOptions effective) throws IOException {
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder()
                .bucket(location.bucket())
                .key(objectKey)
                .contentType(CONTENT_TYPE)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C);
        if (effective.storageClass() != null) {
            request.storageClass(effective.storageClass());
        }
        if (options.serverSideEncryption() != null) {
            request.serverSideEncryption(options.serverSideEncryption());
        }
        if (options.kmsKeyId() != null) {
            request.ssekmsKeyId(options.kmsKeyId());
        }
        if (effective.lock() != null) {
            request.objectLockMode(ObjectLockMode.fromValue(effective.lock().mode().name()));
            request.objectLockRetainUntilDate(effective.lock().retainUntil());
        }
        try {
            return client.createMultipartUpload(request.build()).uploadId();
        } catch (RuntimeException e) {
            throw errors.classify("CreateMultipartUpload " + objectKey, e);
        }
    }

    CompletedPart uploadPart(String objectKey, String uploadId, int partNumber, byte[] buffer, int length,
            String crc32c) throws IOException {
        UploadPartRequest request = UploadPartRequest.builder()
                .bucket(location.bucket())
                .key(objectKey)
                .uploadId(uploadId)
                .partNumber(partNumber)
                .contentLength((long) length)
                .checksumCRC32C(crc32c)
                .overrideConfiguration(CHECKSUM_ALGORITHM_HEADER)
                .build();
        try {
            UploadPartResponse response = client.uploadPart(request, body(buffer, length));
            return CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).checksumCRC32C(crc32c).build();
        } catch (RuntimeException e) {
            throw errors.classify("UploadPart " + partNumber + " of " + objectKey, e);
        }
    }

    /** Size of an object by its full key, or -1 when missing. */
    long sizeOf(String objectKey) throws IOException {
        try {
            return client.headObject(b -> b.bucket(location.bucket()).key(objectKey)).contentLength();
        } catch (RuntimeException e) {
            StorageException classified = errors.classify("HEAD " + objectKey, e);
            if (classified.kind() == StorageException.Kind.NOT_FOUND) {
                return -1;
            }
            throw classified;
        }
    }

    void completeUpload(String objectKey, String uploadId, List<CompletedPart> parts) throws IOException {
        try {
            client.completeMultipartUpload(CompleteMultipartUploadRequest.builder()
                    .bucket(location.bucket())
                    .key(objectKey)
                    .uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())
                    .build());
        } catch (RuntimeException e) {
            throw errors.classify("CompleteMultipartUpload " + objectKey, e);
        }
    }

    void abortUpload(String objectKey, String uploadId) throws IOException {
        try {
            client.abortMultipartUpload(AbortMultipartUploadRequest.builder()
                    .bucket(location.bucket()).key(objectKey).uploadId(uploadId).build());
        } catch (RuntimeException e) {
            StorageException classified = errors.classify("AbortMultipartUpload " + objectKey, e);
            if (!S3Errors.isNoSuchUpload(e) && classified.kind() != StorageException.Kind.NOT_FOUND) {
                throw classified; // NoSuchUpload: already gone, which is what abort wants
            }
        }
    }

    /** The body of a part: re-readable from the buffer, without copying it, for every attempt and signing pass. */
    private static RequestBody body(byte[] buffer, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length, CONTENT_TYPE);
    }

    static String crc32c(byte[] buffer, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buffer, 0, length);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * The body of a GET: read failures are resumed by a ranged GET from the current position (same ETag), else
     * reported as {@link StorageException}s; closing before the end aborts the connection instead of draining it.
     */
    private final class ResumingInputStream extends InputStream {
        private final String objectKey;
        private final String etag;
        private ResponseInputStream<GetObjectResponse> current;
        private long position;
        private int failuresInARow;
        private boolean eof;
        private boolean closed;

        ResumingInputStream(String objectKey, ResponseInputStream<GetObjectResponse> first) {
            this.objectKey = objectKey;
            this.current = first;
            this.etag = first.response().eTag();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (closed) {
                throw new IOException("stream of " + objectKey + " is closed");
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                try {
                    int n = current.read(b, off, len);
                    if (n < 0) {
                        eof = true;
                    } else {
                        position += n;
                        failuresInARow = 0;
                    }
                    return n;
                } catch (IOException | RuntimeException e) {
                    StorageException failure = errors.classify("reading " + objectKey + " at byte " + position, e);
                    if (failure.kind() == StorageException.Kind.PERMANENT && e instanceof IOException
                            && !(e instanceof java.io.InterruptedIOException)) {
                        failure = new StorageException(StorageException.Kind.RETRYABLE, failure.getMessage(), e);
                    }
                    if (failure.kind() != StorageException.Kind.RETRYABLE
                            || ++failuresInARow >= options.retry().maxAttempts()) {
                        throw failure;
                    }
                    current.abort();
                    try {
                        options.retry().sleeper().sleep(options.retry().backoff(failuresInARow));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("interrupted while resuming " + objectKey);
                    }
                    current = options.retry().call("resume GET " + objectKey, () -> get(objectKey, position, etag));
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (!eof) {
                current.abort();
            }
            current.close();
        }
    }
}
