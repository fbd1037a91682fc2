package io.jenkins.plugins.dbbackup.engine.storage.s3;

import static io.jenkins.plugins.dbbackup.engine.storage.s3.FaultProxy.DROP_AFTER_FORWARD;
import static io.jenkins.plugins.dbbackup.engine.storage.s3.FaultProxy.DROP_MID_BODY;
import static io.jenkins.plugins.dbbackup.engine.storage.s3.FaultProxy.DROP_MID_RESPONSE;
import static io.jenkins.plugins.dbbackup.engine.storage.s3.FaultProxy.FORWARD;
import static io.jenkins.plugins.dbbackup.engine.storage.s3.FaultProxy.fail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.dbbackup.engine.BackupEngine;
import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.BackupResult;
import io.jenkins.plugins.dbbackup.engine.CheckResult;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.ProgressListener;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.VerifyRequest;
import io.jenkins.plugins.dbbackup.engine.codec.Compression;
import io.jenkins.plugins.dbbackup.engine.codec.CompressionSettings;
import io.jenkins.plugins.dbbackup.engine.faults.FaultMatrix;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.engine.storage.s3.FaultProxy.Request;
import io.jenkins.plugins.dbbackup.engine.verify.VerifyLevel;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Whole backups and verifications of a real PostgreSQL database into an S3 repository, with the faults injected by
 * a proxy between the engine and a real S3 server: error responses, connections cut mid-part and answers lost. Each
 * row asserts the request counts (a retry really happened, with the part sent again) and the end state: a complete,
 * verified backup, or a clean abort with nothing listed and no multipart upload left. Rows go to
 * target/reliability/fault-matrix-s3.md, with the storage-level rows of {@link S3FaultInjectionTest}.
 */
@Tag("faults")
@ExtendWith(ThrowawayServers.class)
class FaultMatrixS3Test {
    static final FaultMatrix MATRIX = FaultMatrix.named("s3");
    private static final CompressionSettings UNCOMPRESSED = new CompressionSettings(Compression.NONE, 0, 0);
    static S3TestServer server;
    static FaultProxy proxy;
    static DatabaseConnection source;

    RepositorySpec repo;

    @BeforeAll
    static void start(PostgresServer pg) throws Exception {
        server = S3TestServer.shared();
        proxy = new FaultProxy(server.endpoint());
        String db = "s3faults_" + System.nanoTime();
        pg.createDatabase(db);
        // about 14 MB uncompressed: three 5 MiB parts
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, payload text)",
                "INSERT INTO t SELECT g, md5(g::text) || md5((g*31)::text) || md5((g*17)::text)"
                        + " FROM generate_series(1, 130000) g");
        source = new DatabaseConnection(DatabaseType.POSTGRESQL, pg.host(), pg.port(), db, pg.user(),
                Secret.of(pg.password()));
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        MATRIX.write();
    }

    @BeforeEach
    void freshRepository() {
        proxy.reset();
        repo = new RepositorySpec("s3://" + S3TestServer.BUCKET + "/" + S3TestServer.freshPrefix(),
                S3TestServer.settings(proxy.endpoint(), 5));
    }

    static BackupEngine engine() {
        return new BackupEngine(ProgressListener.NONE);
    }

    BackupResult backup() throws Exception {
        return engine().backup(new BackupRequest(source, repo, "set", UNCOMPRESSED, null));
    }

    static long parts(int partNumber) {
        return proxy.count(r -> r.isUploadPart() && r.partNumber() == partNumber);
    }

    void assertNoUploadsLeft() {
        try (S3Client raw = server.rawClient()) {
            assertThat(raw.listMultipartUploads(b -> b.bucket(S3TestServer.BUCKET)
                    .prefix(repo.uri().substring(("s3://" + S3TestServer.BUCKET + "/").length()))).uploads()).isEmpty();
        }
    }

    VerificationRecord verify(String id) throws Exception {
        return engine().verify(new VerifyRequest(repo, "set", id, VerifyLevel.STRUCTURE, null, null, false));
    }

    @Test
    void partsThatFailOnceAreSentAgainAndTheBackupCompletes() throws Exception {
        proxy.rule((r, attempt) -> {
            if (r.isCompleteUpload()) {
                return attempt == 1 ? fail(500, "InternalError", "We encountered an internal error.") : FORWARD;
            }
            if (!r.isUploadPart() || attempt > 1) {
                return FORWARD;
            }
            return switch (r.partNumber()) {
                case 1 -> fail(503, "SlowDown", "Please reduce your request rate.");
                case 2 -> DROP_MID_BODY;
                case 3 -> DROP_AFTER_FORWARD;
                default -> FORWARD;
            };
        });
        BackupResult b = backup();
        assertThat(parts(1)).isEqualTo(2);
        assertThat(parts(2)).isEqualTo(2);
        assertThat(parts(3)).isEqualTo(2);
        assertThat(proxy.count(Request::isCompleteUpload)).isEqualTo(2);
        assertThat(proxy.count(Request::isAbortUpload)).isZero();
        assertThat(engine().list(repo, "set")).extracting(BackupManifest::id).containsExactly(b.id());
        VerificationRecord v = verify(b.id());
        assertThat(v.outcome()).isEqualTo("OK");
        assertNoUploadsLeft();
        String observed = "complete; parts 1-3 sent twice each, CompleteMultipartUpload twice, no abort; verify "
                + v.outcome();
        MATRIX.row("S3 503 SlowDown on part 1", "backup", "part retried with the same bytes, backup complete", observed);
        MATRIX.row("connection cut in the middle of part 2's body", "backup",
                "part retried with the same bytes, backup complete", observed);
        MATRIX.row("part 3 stored but its answer lost (connection reset)", "backup",
                "part retried, backup complete", observed);
        MATRIX.row("S3 500 InternalError on CompleteMultipartUpload", "backup", "complete retried, backup complete",
                observed);
    }

    @Test
    void aPartThatKeepsFailingAbortsCleanlyAndTheNextBackupWorks() throws Exception {
        proxy.rule((r, attempt) -> r.isUploadPart() && r.partNumber() == 2
                ? fail(503, "ServiceUnavailable", "Service is unable to handle request.") : FORWARD);
        Throwable thrown = catchThrowable(this::backup);
        assertThat(thrown).isInstanceOf(BackupException.class).hasMessageContaining("UploadPart 2")
                .hasMessageContaining("5 attempts").hasMessageNotContaining(S3TestServer.SECRET_KEY)
                .hasMessageNotContaining(source.password().reveal());
        assertThat(parts(2)).isEqualTo(5);
        assertThat(proxy.count(Request::isAbortUpload)).isEqualTo(1);
        assertThat(proxy.count(Request::isCompleteUpload)).isZero();
        assertThat(engine().list(repo, null)).isEmpty();
        assertNoUploadsLeft();
        proxy.reset();
        BackupResult next = backup();
        assertThat(engine().list(repo, "set")).extracting(BackupManifest::id).containsExactly(next.id());
        assertThat(engine().check(repo, null, false, Duration.ofHours(1)).healthy()).isTrue();
        MATRIX.row("S3 503 on every attempt of part 2", "backup",
                "clean abort after 5 attempts: multipart upload aborted, nothing listed, next backup works",
                "BackupException: " + thrown.getMessage());
    }

    @Test
    void aManifestWriteThatFailsOnceIsRetried() throws Exception {
        proxy.rule((r, attempt) -> r.isPutObject() && r.target().endsWith("/manifest.json") && attempt == 1
                ? fail(503, "SlowDown", "Please reduce your request rate.") : FORWARD);
        BackupResult b = backup();
        assertThat(proxy.count(r -> r.isPutObject() && r.target().endsWith("/manifest.json"))).isEqualTo(2);
        assertThat(engine().list(repo, "set")).extracting(BackupManifest::id).containsExactly(b.id());
        MATRIX.row("S3 503 on the manifest PUT, once", "backup", "whole PUT retried, backup complete",
                "complete; manifest PUT sent twice");
    }

    @Test
    void aManifestWriteThatKeepsFailingLeavesNothingBehind() throws Exception {
        proxy.rule((r, attempt) -> r.isPutObject() && r.target().endsWith("/manifest.json")
                ? fail(500, "InternalError", "We encountered an internal error.") : FORWARD);
        Throwable thrown = catchThrowable(this::backup);
        assertThat(thrown).isInstanceOf(BackupException.class).hasMessageContaining("manifest could not be written")
                .hasMessageNotContaining(S3TestServer.SECRET_KEY);
        proxy.reset();
        assertThat(engine().list(repo, null)).isEmpty();
        CheckResult check = engine().check(repo, null, false, Duration.ZERO);
        assertThat(check.findings()).as("objects left behind").isEmpty();
        assertNoUploadsLeft();
        MATRIX.row("S3 500 on every attempt of the manifest PUT", "backup",
                "clear error; the stored data object removed, nothing listed, check finds nothing",
                "BackupException: " + thrown.getMessage());
    }

    @Test
    void aReadCutShortDuringVerifyResumes() throws Exception {
        BackupResult b = backup();
        proxy.reset();
        proxy.rule((r, attempt) -> r.method().equals("GET") && r.target().contains("/data.")
                && r.header("range") == null ? DROP_MID_RESPONSE : FORWARD);
        VerificationRecord v = verify(b.id());
        assertThat(v.outcome()).isEqualTo("OK");
        List<Request> ranged = proxy.requests().stream()
                .filter(r -> r.method().equals("GET") && r.target().contains("/data.") && r.header("range") != null)
                .toList();
        assertThat(ranged).isNotEmpty();
        MATRIX.row("connection cut in the middle of reading the stored object", "verify",
                "read resumed where it stopped (Range, If-Match), verify OK",
                "OK; resumed with " + ranged.get(0).header("range"));
    }

    @Test
    void s3UnreachableIsOneClearLine() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RepositorySpec nowhere = new RepositorySpec("s3://" + S3TestServer.BUCKET + "/x",
                S3TestServer.settings(java.net.URI.create("http://127.0.0.1:" + port), 5));
        Throwable thrown = catchThrowable(() -> engine().list(nowhere, null));
        assertThat(thrown).isInstanceOf(IOException.class).hasMessageNotContaining(S3TestServer.SECRET_KEY);
        assertThat(thrown.getMessage()).doesNotContain("\n");
        MATRIX.row("S3 endpoint refuses connections", "list", "clear error after the retries, no secret in it",
                thrown.getClass().getSimpleName() + ": " + thrown.getMessage());
    }
}
