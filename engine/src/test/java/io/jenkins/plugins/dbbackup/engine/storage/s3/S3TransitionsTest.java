package io.jenkins.plugins.dbbackup.engine.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.storage.ObjectOptions.RetentionLock;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectTransitions;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectTransitions.ObjectState;
import io.jenkins.plugins.dbbackup.engine.storage.StorageException;
import io.jenkins.plugins.dbbackup.engine.storage.s3.FaultProxy.Request;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The S3 side of retention tier settings: HEAD for the state, CopyObject for a class change, PutObjectRetention for a
 * lock. s3proxy copies objects but keeps no retention, so lock requests are captured (and answered) by the proxy.
 */
class S3TransitionsTest {
    private static final RetentionLock LOCK = new RetentionLock(RetentionLock.Mode.GOVERNANCE,
            Instant.parse("2027-12-05T02:00:00Z"));
    private static S3TestServer server;
    private static FaultProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        server = S3TestServer.shared();
        proxy = new FaultProxy(server.endpoint());
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @BeforeEach
    void reset() {
        proxy.reset();
    }

    private static ObjectTransitions transitions(S3Storage storage) {
        return storage.transitions().orElseThrow();
    }

    /** s3proxy refuses a copy onto the same key unless the metadata is replaced: the proxy answers copies. */
    private static FaultProxy.Action fakeCopy(Request r, int attempt) {
        return r.header("x-amz-copy-source") != null
                ? new FaultProxy.Respond(200, Map.of("Content-Type", "application/xml"),
                        "<CopyObjectResult><ETag>\"0123\"</ETag><LastModified>2026-11-30T12:00:00.000Z</LastModified>"
                                + "</CopyObjectResult>")
                : FaultProxy.FORWARD;
    }

    @Test
    void aClassChangeIsAnInPlaceCopyWithTheMetadataCopied() throws Exception {
        proxy.rule(S3TransitionsTest::fakeCopy);
        byte[] content = "a backup's bytes".getBytes(StandardCharsets.UTF_8);
        try (S3Storage storage = S3TestServer.storage(proxy.endpoint(), S3TestServer.testOptions())) {
            storage.put("orders/id/data.bin", content);
            ObjectState before = transitions(storage).state("orders/id/data.bin");
            assertThat(before.storageClass()).isEqualTo("STANDARD");
            assertThat(before.size()).isEqualTo(content.length);
            assertThat(before.lock()).isNull();

            transitions(storage).changeStorageClass("orders/id/data.bin", "STANDARD_IA", null);
            Request copy = proxy.requests().stream().filter(r -> r.header("x-amz-copy-source") != null)
                    .findFirst().orElseThrow();
            assertThat(copy.method()).isEqualTo("PUT");
            assertThat(copy.target()).endsWith("/orders/id/data.bin");
            assertThat(copy.header("x-amz-copy-source")).startsWith("backups/").endsWith("/orders/id/data.bin");
            assertThat(copy.header("x-amz-storage-class")).isEqualTo("STANDARD_IA");
            assertThat(copy.header("x-amz-metadata-directive")).isEqualTo("COPY");
            assertThat(copy.header("x-amz-object-lock-mode")).isNull();
        }
    }

    @Test
    void aCopyCarriesTheLockSoTheNewVersionIsProtectedToo() throws Exception {
        proxy.rule(S3TransitionsTest::fakeCopy);
        try (S3Storage storage = S3TestServer.storage(proxy.endpoint(), S3TestServer.testOptions())) {
            storage.put("orders/id/manifest.json", new byte[] {1});
            transitions(storage).changeStorageClass("orders/id/manifest.json", "GLACIER_IR", LOCK);
        }
        Request copy = proxy.requests().stream().filter(r -> r.header("x-amz-copy-source") != null)
                .findFirst().orElseThrow();
        assertThat(copy.header("x-amz-storage-class")).isEqualTo("GLACIER_IR");
        assertThat(copy.header("x-amz-object-lock-mode")).isEqualTo("GOVERNANCE");
        assertThat(Instant.parse(copy.header("x-amz-object-lock-retain-until-date"))).isEqualTo(LOCK.retainUntil());
    }

    @Test
    void aLockIsExtendedWithPutObjectRetention() throws Exception {
        proxy.rule((r, n) -> r.method().equals("PUT") && r.target().contains("retention")
                ? new FaultProxy.Respond(200, Map.of(), "")
                : FaultProxy.FORWARD);
        try (S3Storage storage = S3TestServer.storage(proxy.endpoint(), S3TestServer.testOptions())) {
            transitions(storage).extendLock("orders/id/data.bin", LOCK);
        }
        Request put = proxy.requests().stream().filter(r -> r.target().contains("retention")).findFirst().orElseThrow();
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.target()).contains("/orders/id/data.bin?retention");
        String body = proxy.body(put);
        assertThat(body).contains("<Mode>GOVERNANCE</Mode>").contains("<RetainUntilDate>2027-12-05T02:00:00Z");
        // Object Lock requests must carry an integrity checksum
        assertThat(put.headers().keySet()).anyMatch(h -> h.equals("content-md5") || h.startsWith("x-amz-checksum-"));
    }

    @Test
    void theStateReadsClassAndLockFromHead() throws Exception {
        proxy.rule((r, n) -> r.method().equals("HEAD") ? new FaultProxy.Respond(200, Map.of(
                "Content-Length", "123", "ETag", "\"0123\"", "Last-Modified", "Mon, 30 Nov 2026 12:00:00 GMT",
                "x-amz-storage-class", "GLACIER_IR", "x-amz-object-lock-mode", "COMPLIANCE",
                "x-amz-object-lock-retain-until-date", "2027-12-05T02:00:00.000Z"), "") : FaultProxy.FORWARD);
        try (S3Storage storage = S3TestServer.storage(proxy.endpoint(), S3TestServer.testOptions())) {
            ObjectState state = transitions(storage).state("orders/id/data.bin");
            assertThat(state.size()).isEqualTo(123);
            assertThat(state.storageClass()).isEqualTo("GLACIER_IR");
            assertThat(state.lock()).isEqualTo(new RetentionLock(RetentionLock.Mode.COMPLIANCE, LOCK.retainUntil()));
        }
    }

    @Test
    void objectsOverFiveGibibytesAreRefusedWithAMessageNotCopied() throws Exception {
        proxy.rule((r, n) -> r.method().equals("HEAD") ? new FaultProxy.Respond(200, Map.of(
                "Content-Length", Long.toString(S3Storage.MAX_COPY_SIZE + 1), "ETag", "\"0123\"",
                "Last-Modified", "Mon, 30 Nov 2026 12:00:00 GMT"), "") : FaultProxy.FORWARD);
        try (S3Storage storage = S3TestServer.storage(proxy.endpoint(), S3TestServer.testOptions())) {
            assertThatThrownBy(() -> transitions(storage).changeStorageClass("orders/id/data.bin", "STANDARD_IA", LOCK))
                    .isInstanceOfSatisfying(StorageException.class,
                            e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.PERMANENT))
                    .hasMessageContaining("orders/id/data.bin")
                    .hasMessageContaining("over 5 GiB need a multipart copy")
                    .hasMessageContaining("lifecycle rule");
        }
        assertThat(proxy.count(r -> r.header("x-amz-copy-source") != null)).isZero();
    }

    @Test
    void aMissingObjectIsNotFound() throws Exception {
        try (S3Storage storage = S3TestServer.storage(server.endpoint(), S3TestServer.testOptions())) {
            assertThatThrownBy(() -> transitions(storage).state("orders/id/none.bin"))
                    .isInstanceOfSatisfying(StorageException.class,
                            e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.NOT_FOUND));
        }
    }
}
