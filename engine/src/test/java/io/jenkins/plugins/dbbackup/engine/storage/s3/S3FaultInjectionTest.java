package io.jenkins.plugins.dbbackup.engine.storage.s3;

import static io.jenkins.plugins.dbbackup.engine.storage.s3.FaultProxy.DROP_AFTER_FORWARD;
import static io.jenkins.plugins.dbbackup.engine.storage.s3.FaultProxy.DROP_MID_BODY;
import static io.jenkins.plugins.dbbackup.engine.storage.s3.FaultProxy.FORWARD;
import static io.jenkins.plugins.dbbackup.engine.storage.s3.FaultProxy.fail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.storage.ObjectInfo;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectWriter;
import io.jenkins.plugins.dbbackup.engine.storage.StorageException;
import io.jenkins.plugins.dbbackup.engine.storage.s3.FaultProxy.Request;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** Faults at the HTTP level, between the storage and a real S3 server; request counts prove retries and aborts. */
@org.junit.jupiter.api.Tag("faults")
class S3FaultInjectionTest {
    private static final int MIB = 1024 * 1024;
    /** The storage-level rows of the S3 fault matrix (the engine-level ones come from {@link FaultMatrixS3Test}). */
    static final io.jenkins.plugins.dbbackup.engine.faults.FaultMatrix MATRIX =
            io.jenkins.plugins.dbbackup.engine.faults.FaultMatrix.named("s3");
    private static S3TestServer server;
    private static FaultProxy proxy;

    private S3Storage storage;

    @BeforeAll
    static void start() throws Exception {
        server = S3TestServer.shared();
        proxy = new FaultProxy(server.endpoint());
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        MATRIX.write();
    }

    @BeforeEach
    void open() {
        proxy.reset();
        storage = S3TestServer.storage(proxy.endpoint(), S3TestServer.testOptions());
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private static byte[] data(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Writes in odd-sized chunks so part boundaries fall inside writes. */
    private static void writeAll(ObjectWriter writer, byte[] content) throws IOException {
        int chunk = 700_001;
        for (int off = 0; off < content.length; off += chunk) {
            writer.write(content, off, Math.min(chunk, content.length - off));
        }
    }

    private static long parts(int partNumber) {
        return proxy.count(r -> r.isUploadPart() && r.partNumber() == partNumber);
    }

    private void assertNoUploadsLeft() {
        try (S3Client raw = server.rawClient()) {
            assertThat(raw.listMultipartUploads(b -> b.bucket(S3TestServer.BUCKET)
                    .prefix(storage.location().prefix())).uploads()).isEmpty();
        }
    }

    @Test
    void failedPartsAreRetriedWithTheSameBytes() throws Exception {
        proxy.rule((r, attempt) -> {
            if (!r.isUploadPart() || attempt > 1) {
                return FORWARD;
            }
            return switch (r.partNumber()) {
                case 1 -> DROP_AFTER_FORWARD; // stored by the server, answer lost
                case 2 -> fail(503, "SlowDown", "Please reduce your request rate.");
                case 3 -> DROP_MID_BODY; // connection cut in the middle of the part
                default -> FORWARD;
            };
        });
        byte[] content = data(3 * 5 * MIB + MIB + 3, 1);
        try (ObjectWriter writer = storage.create("set/id/data.bin")) {
            writeAll(writer, content);
            writer.commit();
        }

        assertThat(parts(1)).isEqualTo(2);
        assertThat(parts(2)).isEqualTo(2);
        assertThat(parts(3)).isEqualTo(2);
        assertThat(parts(4)).isEqualTo(1);
        assertThat(proxy.count(Request::isCreateUpload)).isEqualTo(1);
        assertThat(proxy.count(Request::isCompleteUpload)).isEqualTo(1);
        assertThat(proxy.count(Request::isAbortUpload)).isZero();
        for (int part = 1; part <= 3; part++) {
            int n = part;
            List<Request> attempts = proxy.requests().stream().filter(r -> r.isUploadPart() && r.partNumber() == n)
                    .toList();
            // the same bytes again: same length, same checksum
            assertThat(attempts).extracting(r -> r.header("x-amz-checksum-crc32c")).doesNotContainNull()
                    .containsOnly(attempts.get(0).header("x-amz-checksum-crc32c"));
            // over plain http the SDK signs the payload in aws-chunked frames: the decoded length is the part's
            assertThat(attempts).extracting(r -> r.header("x-amz-decoded-content-length") != null
                    ? Long.parseLong(r.header("x-amz-decoded-content-length")) : r.bodyLength())
                    .containsOnly(5L * MIB);
            assertThat(attempts).as(attempts.get(0).headers().toString())
                    .extracting(r -> r.header("x-amz-trailer")).containsOnlyNulls(); // checksum in a header
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertThat(sha.digest(storage.read("set/id/data.bin"))).isEqualTo(sha.digest(content));
        assertNoUploadsLeft();
    }

    @Test
    void aPartThatKeepsFailingAbortsTheUpload() throws Exception {
        proxy.rule((r, attempt) -> r.isUploadPart() && r.partNumber() == 2 ? fail(500, "InternalError", "boom") : FORWARD);
        byte[] content = data(4 * 5 * MIB, 2);
        StorageException failure;
        try (ObjectWriter writer = storage.create("set/id/data.bin")) {
            failure = (StorageException) org.assertj.core.api.Assertions.catchThrowable(() -> {
                writeAll(writer, content);
                writer.commit();
            });
        }
        assertThat(failure).isNotNull();
        assertThat(failure.kind()).isEqualTo(StorageException.Kind.RETRYABLE);
        assertThat(failure.getMessage()).contains("UploadPart 2").contains("InternalError").contains("5 attempts");
        assertThat(parts(2)).isEqualTo(5); // RetryPolicy.defaults(): 5 attempts
        assertThat(proxy.count(Request::isCompleteUpload)).isZero();
        assertThat(proxy.count(Request::isAbortUpload)).isEqualTo(1);
        assertNoUploadsLeft();
        assertThat(storage.stat("set/id/data.bin")).isEmpty();
        MATRIX.row("S3 500 on every attempt of one part", "upload (storage)",
                "5 attempts, then the multipart upload aborted, no object", failure.getMessage());
    }

    @Test
    void closeWithoutCommitAbortsTheUpload() throws Exception {
        try (ObjectWriter writer = storage.create("set/id/data.bin")) {
            writeAll(writer, data(2 * 5 * MIB + 100, 3));
        }
        assertThat(proxy.count(Request::isCreateUpload)).isEqualTo(1);
        assertThat(proxy.count(Request::isAbortUpload)).isEqualTo(1);
        assertThat(proxy.count(Request::isCompleteUpload)).isZero();
        assertNoUploadsLeft();
        assertThat(storage.list("")).isEmpty();
    }

    @Test
    void interruptingTheProducerAbortsTheUpload() throws Exception {
        proxy.partDelayMillis(400);
        storage.close();
        storage = S3TestServer.storage(proxy.endpoint(), S3TestServer.testOptions().withPartsInFlight(1));
        AtomicReference<Thread> producer = new AtomicReference<>();
        CompletableFuture<Throwable> result = CompletableFuture.supplyAsync(() -> {
            producer.set(Thread.currentThread());
            try (ObjectWriter writer = storage.create("set/id/data.bin")) {
                writeAll(writer, data(10 * 5 * MIB, 4)); // blocks on the single slot while a part is held
                writer.commit();
                return null;
            } catch (Throwable t) {
                return t.getClass().getSimpleName().equals("InterruptedIOException") && Thread.currentThread().isInterrupted()
                        ? t : new AssertionError("unexpected", t);
            }
        }, r -> new Thread(r, "producer").start());
        while (proxy.count(Request::isUploadPart) < 1) {
            Thread.sleep(20);
        }
        producer.get().interrupt();
        Throwable thrown = result.get(30, TimeUnit.SECONDS);
        assertThat(thrown).isInstanceOf(InterruptedIOException.class);
        assertThat(proxy.count(Request::isAbortUpload)).isEqualTo(1);
        assertThat(proxy.count(Request::isCompleteUpload)).isZero();
        assertNoUploadsLeft();
        MATRIX.row("the writing thread interrupted mid-upload", "upload (storage)",
                "InterruptedIOException, multipart upload aborted", thrown.getClass().getSimpleName()
                        + "; 1 abort, no complete");
    }

    @Test
    void completeIsRetried() throws Exception {
        proxy.rule((r, attempt) -> r.isCompleteUpload() && attempt == 1 ? fail(503, "ServiceUnavailable", "later") : FORWARD);
        try (ObjectWriter writer = storage.create("set/id/data.bin")) {
            writeAll(writer, data(5 * MIB + 1, 5));
            writer.commit();
        }
        assertThat(proxy.count(Request::isCompleteUpload)).isEqualTo(2);
        assertThat(storage.stat("set/id/data.bin")).get().extracting(ObjectInfo::size).isEqualTo(5L * MIB + 1);
    }

    @Test
    void completeWhoseAnswerWasLostIsRecognised() throws Exception {
        proxy.rule((r, attempt) -> r.isCompleteUpload() && attempt == 1 ? DROP_AFTER_FORWARD : FORWARD);
        byte[] content = data(5 * MIB + 77, 7);
        try (ObjectWriter writer = storage.create("set/id/data.bin")) {
            writeAll(writer, content);
            writer.commit();
        }
        assertThat(proxy.count(Request::isCompleteUpload)).isEqualTo(2);
        assertThat(proxy.count(Request::isAbortUpload)).isZero();
        assertThat(storage.read("set/id/data.bin")).isEqualTo(content);
        MATRIX.row("CompleteMultipartUpload processed but its answer lost", "upload (storage)",
                "the retry recognises the completed upload, object whole", "object whole; complete sent twice, no abort");
    }

    @Test
    void aReadCutShortResumesWhereItStopped() throws Exception {
        byte[] content = data(3 * MIB + 5, 8);
        storage.put("set/id/data.bin", content);
        proxy.reset();
        proxy.rule((r, attempt) -> r.method().equals("GET") && r.target().contains("set/id/data.bin")
                && r.header("range") == null ? FaultProxy.DROP_MID_RESPONSE : FORWARD);
        byte[] read;
        try (java.io.InputStream in = storage.open("set/id/data.bin")) {
            read = in.readAllBytes();
        }
        assertThat(read).isEqualTo(content);
        List<Request> gets = proxy.requests().stream().filter(r -> r.method().equals("GET")).toList();
        assertThat(gets).hasSize(2);
        assertThat(gets.get(1).header("range")).startsWith("bytes=").endsWith("-").isNotEqualTo("bytes=0-");
        assertThat(gets.get(1).header("if-match")).isNotBlank();
    }

    @Test
    void partsInFlightAndBuffersAreBounded() throws Exception {
        proxy.partDelayMillis(150);
        MultipartWriter writer = (MultipartWriter) storage.create("set/id/data.bin");
        try (writer) {
            writeAll(writer, data(8 * 5 * MIB, 6));
            writer.commit();
        }
        int inFlight = storage.options().partsInFlight();
        assertThat(proxy.count(Request::isUploadPart)).isEqualTo(8);
        assertThat(proxy.peakPartsInProgress()).isEqualTo(inFlight); // overlapped, never more
        assertThat(writer.buffersAllocated()).isLessThanOrEqualTo(inFlight + 1);
    }

    @Test
    void singlePutFailsCleanlyWithoutRetryInsideTheStorage() {
        proxy.rule((r, attempt) -> r.isPutObject() ? fail(503, "SlowDown", "slow down") : FORWARD);
        assertThatThrownBy(() -> storage.put("set/id/manifest.json", new byte[] {1}))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.RETRYABLE));
        assertThat(proxy.count(Request::isPutObject)).isEqualTo(1); // RetryingStorage retries whole puts
    }

    @Test
    void aStaleKeepAliveConnectionIsReplacedWithoutSpendingARetry() throws Exception {
        storage.put("set/id/manifest.json", new byte[] {1, 2, 3});
        proxy.reset();
        proxy.rule((r, attempt) -> r.method().equals("GET") && attempt == 1 ? FaultProxy.CLOSE_WITHOUT_RESPONSE
                : FORWARD);
        assertThat(storage.read("set/id/manifest.json")).containsExactly(1, 2, 3);
        assertThat(proxy.count(r -> r.method().equals("GET"))).isEqualTo(2);
        MATRIX.row("a pooled keep-alive connection closed by the server", "read (storage)",
                "re-sent at once on a new connection", "read whole; GET sent twice");
    }

    @Test
    void aServerThatNeverAnswersIsAFailureAfterOneResend() {
        proxy.rule((r, attempt) -> r.method().equals("GET") ? FaultProxy.CLOSE_WITHOUT_RESPONSE : FORWARD);
        assertThatThrownBy(() -> storage.read("set/id/manifest.json"))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.RETRYABLE));
        assertThat(proxy.count(r -> r.method().equals("GET"))).isEqualTo(2);
    }
}
