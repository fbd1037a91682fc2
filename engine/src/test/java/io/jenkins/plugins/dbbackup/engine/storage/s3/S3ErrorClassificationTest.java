package io.jenkins.plugins.dbbackup.engine.storage.s3;

import static io.jenkins.plugins.dbbackup.engine.storage.s3.FaultProxy.FORWARD;
import static io.jenkins.plugins.dbbackup.engine.storage.s3.FaultProxy.fail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec.S3Settings;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.engine.storage.RetryPolicy;
import io.jenkins.plugins.dbbackup.engine.storage.RetryingStorage;
import io.jenkins.plugins.dbbackup.engine.storage.Storage;
import io.jenkins.plugins.dbbackup.engine.storage.StorageException;
import io.jenkins.plugins.dbbackup.engine.storage.StorageException.Kind;
import io.jenkins.plugins.dbbackup.engine.storage.StorageFactory;
import io.jenkins.plugins.dbbackup.engine.storage.s3.FaultProxy.Request;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Failures become the right {@link Kind} with a message that names the bucket and never the secret. */
class S3ErrorClassificationTest {
    private static final String WRONG_SECRET = "wrong-secret-Kx81PqZ";
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

    private static S3Storage storage(String bucket, String accessKey, String secret, URI endpoint) {
        S3Settings s = new S3Settings("us-east-1", endpoint.toString(), true, accessKey, Secret.of(secret), null, null,
                null, null, null, 0, 5);
        return new S3Storage(S3Clients.create(s, 8), new S3Location(bucket, "p"), S3TestServer.testOptions(),
                endpoint.toString(), List.of(secret));
    }

    private static String everything(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void wrongSecretIsPermanentAndNeverPrinted() {
        try (S3Storage storage = storage(S3TestServer.BUCKET, S3TestServer.ACCESS_KEY, WRONG_SECRET, server.endpoint())) {
            StorageException e = catchThrowableOfType(StorageException.class, () -> storage.put("a/b", new byte[] {1}));
            assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
            assertThat(e.getMessage()).contains("bucket 'backups'").contains("SignatureDoesNotMatch")
                    .contains("check the secret access key");
            assertThat(everything(e)).doesNotContain(WRONG_SECRET).doesNotContain(S3TestServer.SECRET_KEY);
        }
    }

    @Test
    void unknownAccessKeyIsPermanent() {
        try (S3Storage storage = storage(S3TestServer.BUCKET, "nobody", S3TestServer.SECRET_KEY, server.endpoint())) {
            StorageException e = catchThrowableOfType(StorageException.class, () -> storage.list(""));
            assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
            assertThat(e.getMessage()).contains("InvalidAccessKeyId").contains("bucket 'backups'");
            assertThat(everything(e)).doesNotContain(S3TestServer.SECRET_KEY);
        }
    }

    @Test
    void missingBucketIsPermanent() {
        try (S3Storage storage = storage("no-such-bucket", S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY,
                server.endpoint())) {
            StorageException e = catchThrowableOfType(StorageException.class, () -> storage.put("a/b", new byte[] {1}));
            assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
            assertThat(e.getMessage()).contains("NoSuchBucket").contains("bucket 'no-such-bucket'")
                    .contains("check the bucket name");
        }
    }

    @Test
    void refusedConnectionIsRetryable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (S3Storage storage = storage(S3TestServer.BUCKET, S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY,
                URI.create("http://127.0.0.1:" + port))) {
            StorageException e = catchThrowableOfType(StorageException.class, () -> storage.stat("a/b"));
            assertThat(e.kind()).isEqualTo(Kind.RETRYABLE);
            assertThat(e.getMessage()).contains("cannot connect");
        }
    }

    @Test
    void throttlingIsRetriedByTheDecoratorAndAccessDeniedIsNot() throws Exception {
        List<Duration> sleeps = new ArrayList<>();
        RetryPolicy policy = RetryPolicy.defaults().withSleeper(sleeps::add);
        try (Storage storage = new RetryingStorage(S3TestServer.storage(proxy.endpoint(), S3TestServer.testOptions()),
                policy)) {
            proxy.rule((r, attempt) -> r.isPutObject() && attempt <= 2 ? fail(503, "SlowDown", "slow down") : FORWARD);
            storage.put("set/id/manifest.json", new byte[] {1});
            assertThat(proxy.count(Request::isPutObject)).isEqualTo(3);
            assertThat(sleeps).hasSize(2);
            assertThat(sleeps.get(0)).isLessThanOrEqualTo(Duration.ofMillis(500));
            assertThat(sleeps.get(1)).isLessThanOrEqualTo(Duration.ofSeconds(1));

            proxy.reset();
            proxy.rule((r, attempt) -> r.isPutObject() ? fail(403, "AccessDenied", "Access Denied") : FORWARD);
            StorageException denied = catchThrowableOfType(StorageException.class,
                    () -> storage.put("set/id2/manifest.json", new byte[] {1}));
            assertThat(denied.kind()).isEqualTo(Kind.PERMANENT);
            assertThat(denied.getMessage()).contains("bucket 'backups'").contains("IAM policy");
            assertThat(proxy.count(Request::isPutObject)).isEqualTo(1);
        }
    }

    @Test
    void deleteRefusedByObjectLockIsLocked() throws Exception {
        try (S3Storage storage = S3TestServer.storage(proxy.endpoint(), S3TestServer.testOptions())) {
            proxy.rule((r, attempt) -> r.method().equals("DELETE")
                    ? fail(403, "AccessDenied", "Access Denied because object protected by object lock.") : FORWARD);
            StorageException e = catchThrowableOfType(StorageException.class, () -> storage.delete("set/id/data"));
            assertThat(e.kind()).isEqualTo(Kind.LOCKED);
            assertThat(e.getMessage()).contains("Object Lock").contains("set/id/data");

            proxy.rule((r, attempt) -> r.method().equals("DELETE")
                    ? fail(400, "ObjectLocked", "Object is WORM protected and cannot be overwritten") : FORWARD);
            e = catchThrowableOfType(StorageException.class, () -> storage.delete("set/id/data"));
            assertThat(e.kind()).isEqualTo(Kind.LOCKED);
        }
    }

    @Test
    void aLockOnABucketWithoutObjectLockIsAPermanentErrorThatSaysSo() throws Exception {
        try (S3Storage storage = S3TestServer.storage(proxy.endpoint(), S3TestServer.testOptions())) {
            proxy.rule((r, attempt) -> r.target().contains("retention")
                    ? fail(400, "InvalidRequest", "Bucket is missing Object Lock Configuration") : FORWARD);
            StorageException e = catchThrowableOfType(StorageException.class, () -> storage.transitions().orElseThrow()
                    .extendLock("set/id/data", new io.jenkins.plugins.dbbackup.engine.storage.ObjectOptions.RetentionLock(
                            io.jenkins.plugins.dbbackup.engine.storage.ObjectOptions.RetentionLock.Mode.GOVERNANCE,
                            java.time.Instant.parse("2027-01-01T00:00:00Z"))));
            assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
            assertThat(e.getMessage()).contains("PutObjectRetention").contains("set/id/data")
                    .contains("the bucket has no Object Lock");
        }
    }

    @Test
    void storageFactoryRoutesS3ToARetryingS3Storage() throws Exception {
        S3Settings settings = S3TestServer.settings(server.endpoint(), 5);
        try (Storage storage = StorageFactory.open(new RepositorySpec("s3://backups/factory/repo", settings))) {
            assertThat(storage).isInstanceOf(RetryingStorage.class);
            assertThat(((RetryingStorage) storage).delegate()).isInstanceOf(S3Storage.class);
            assertThat(storage.describe()).startsWith("s3://backups/factory/repo/").doesNotContain(S3TestServer.SECRET_KEY);
            storage.put("set/id/manifest.json", new byte[] {42});
            assertThat(storage.read("set/id/manifest.json")).containsExactly(42);
        }
    }
}
