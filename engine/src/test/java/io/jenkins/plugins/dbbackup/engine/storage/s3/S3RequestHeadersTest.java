package io.jenkins.plugins.dbbackup.engine.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.dbbackup.engine.storage.ObjectOptions;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectOptions.RetentionLock;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectWriter;
import io.jenkins.plugins.dbbackup.engine.storage.s3.FaultProxy.Request;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Storage class, server-side encryption, Object Lock and checksums are sent as headers. s3proxy does not enforce them,
 * so the requests are captured in a proxy and checked there.
 */
class S3RequestHeadersTest {
    private static final Instant NOW = Instant.parse("2026-11-22T02:00:00Z");
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
        proxy.rule(S3RequestHeadersTest::fakeStore);
    }

    /** s3proxy refuses SSE headers: the proxy answers writes itself, after recording them. */
    private static FaultProxy.Action fakeStore(Request r, int attempt) {
        Map<String, String> etag = Map.of("ETag", "\"0123456789abcdef\"");
        if (r.isPutObject() || r.isUploadPart()) {
            return new FaultProxy.Respond(200, etag, "");
        }
        if (r.isCreateUpload()) {
            return new FaultProxy.Respond(200, Map.of("Content-Type", "application/xml"),
                    "<InitiateMultipartUploadResult><Bucket>backups</Bucket><Key>k</Key>"
                            + "<UploadId>fake-upload</UploadId></InitiateMultipartUploadResult>");
        }
        if (r.isCompleteUpload()) {
            return new FaultProxy.Respond(200, Map.of("Content-Type", "application/xml"),
                    "<CompleteMultipartUploadResult><Bucket>backups</Bucket><Key>k</Key>"
                            + "<ETag>\"0123-2\"</ETag></CompleteMultipartUploadResult>");
        }
        return FaultProxy.FORWARD;
    }

    private static S3Options lockedOptions() {
        return S3TestServer.testOptions()
                .withStorageClass("standard_ia")
                .withEncryption("aws:kms", "arn:aws:kms:eu-west-1:111122223333:key/test-key")
                .withLock(RetentionLock.Mode.GOVERNANCE, 30)
                .withClock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void configuredClassEncryptionAndLockAreSentOnPutAndOnCreateMultipartUpload() throws Exception {
        try (S3Storage storage = S3TestServer.storage(proxy.endpoint(), lockedOptions())) {
            storage.put("set/id/manifest.json", "{}".getBytes());
            try (ObjectWriter writer = storage.create("set/id/data.bin")) {
                writer.write(new byte[5 * 1024 * 1024 + 10]);
                writer.commit();
            }
        }
        Request put = proxy.requests().stream().filter(Request::isPutObject).findFirst().orElseThrow();
        Request create = proxy.requests().stream().filter(Request::isCreateUpload).findFirst().orElseThrow();
        for (Request r : List.of(put, create)) {
            assertThat(r.header("x-amz-storage-class")).isEqualTo("STANDARD_IA");
            assertThat(r.header("x-amz-server-side-encryption")).isEqualTo("aws:kms");
            assertThat(r.header("x-amz-server-side-encryption-aws-kms-key-id"))
                    .isEqualTo("arn:aws:kms:eu-west-1:111122223333:key/test-key");
            assertThat(r.header("x-amz-object-lock-mode")).isEqualTo("GOVERNANCE");
            assertThat(Instant.parse(r.header("x-amz-object-lock-retain-until-date")))
                    .isEqualTo(Instant.parse("2026-12-22T02:00:00Z"));
        }
        assertThat(put.header("x-amz-checksum-crc32c")).isEqualTo(S3Storage.crc32c("{}".getBytes(), 2));
        assertThat(create.header("x-amz-checksum-algorithm")).isEqualTo("CRC32C");
        assertThat(put.header("x-amz-sdk-checksum-algorithm")).isEqualTo("CRC32C");
        assertThat(put.header("x-amz-trailer")).isNull(); // one checksum, ours, in a header
        List<Request> parts = proxy.requests().stream().filter(Request::isUploadPart).toList();
        assertThat(parts).hasSize(2);
        assertThat(parts).allSatisfy(p -> assertThat(p.header("x-amz-checksum-crc32c")).isNotBlank());
        // parts inherit the upload's settings; they carry none of these headers themselves
        assertThat(parts).allSatisfy(p -> assertThat(p.header("x-amz-object-lock-mode")).isNull());
    }

    @Test
    void perObjectOptionsOverrideTheDefaults() throws Exception {
        Instant until = Instant.parse("2036-01-01T00:00:00Z");
        try (S3Storage storage = S3TestServer.storage(proxy.endpoint(), lockedOptions())) {
            storage.put("set/id/manifest.json", new byte[] {1}, ObjectOptions.DEFAULTS.withStorageClass("GLACIER_IR")
                    .withLock(new RetentionLock(RetentionLock.Mode.COMPLIANCE, until)));
        }
        Request put = proxy.requests().stream().filter(Request::isPutObject).findFirst().orElseThrow();
        assertThat(put.header("x-amz-storage-class")).isEqualTo("GLACIER_IR");
        assertThat(put.header("x-amz-object-lock-mode")).isEqualTo("COMPLIANCE");
        assertThat(Instant.parse(put.header("x-amz-object-lock-retain-until-date"))).isEqualTo(until);
        assertThat(put.header("x-amz-server-side-encryption")).isEqualTo("aws:kms");
    }

    @Test
    void withoutSettingsNoneOfTheseHeadersAreSent() throws Exception {
        try (S3Storage storage = S3TestServer.storage(proxy.endpoint(), S3TestServer.testOptions())) {
            storage.put("set/id/manifest.json", new byte[] {1});
        }
        Request put = proxy.requests().stream().filter(Request::isPutObject).findFirst().orElseThrow();
        assertThat(put.headers()).doesNotContainKeys("x-amz-storage-class", "x-amz-server-side-encryption",
                "x-amz-object-lock-mode", "x-amz-object-lock-retain-until-date");
        assertThat(put.header("x-amz-checksum-crc32c")).isNotBlank();
    }
}
