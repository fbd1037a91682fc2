package io.jenkins.plugins.dbbackup.engine.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.dbbackup.engine.BackupEngine;
import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.BackupResult;
import io.jenkins.plugins.dbbackup.engine.CheckResult;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.ProgressListener;
import io.jenkins.plugins.dbbackup.engine.PruneRequest;
import io.jenkins.plugins.dbbackup.engine.PruneResult;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.RestoreRequest;
import io.jenkins.plugins.dbbackup.engine.VerifyRequest;
import io.jenkins.plugins.dbbackup.engine.codec.CompressionSettings;
import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionPolicy;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.engine.verify.VerifyLevel;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole life of a backup in an S3 repository: PostgreSQL → s3:// → list, verify, prune, check, restore. */
@ExtendWith(ThrowawayServers.class)
class S3EndToEndTest {
    @Test
    void backupVerifyPruneRestoreThroughS3(PostgresServer pg) throws Exception {
        S3TestServer s3 = S3TestServer.shared();
        RepositorySpec repo = new RepositorySpec("s3://" + S3TestServer.BUCKET + "/" + S3TestServer.freshPrefix(),
                S3TestServer.settings(s3.endpoint(), 5));
        String db = "s3e2e_" + System.nanoTime();
        pg.createDatabase(db);
        // enough rows for a multipart upload (over one 5 MiB part after compression and encryption)
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, payload text)",
                "INSERT INTO t SELECT g, md5(g::text) || md5((g*31)::text) || md5((g*17)::text) FROM generate_series(1, 200000) g");
        DatabaseConnection source = new DatabaseConnection(DatabaseType.POSTGRESQL, pg.host(), pg.port(), db, pg.user(),
                Secret.of(pg.password()));
        BackupEngine engine = new BackupEngine(ProgressListener.NONE);
        EncryptionSettings encryption = new EncryptionSettings(List.of(), Secret.of("s3 passphrase"));
        BackupResult first = engine.backup(new BackupRequest(source, repo, "orders", CompressionSettings.defaults(), encryption));
        BackupResult second = engine.backup(new BackupRequest(source, repo, "orders", CompressionSettings.defaults(), encryption));
        assertThat(first.storedBytes()).isGreaterThan(5L * 1024 * 1024);
        assertThat(engine.list(repo, "orders")).extracting(BackupManifest::id).containsExactly(first.id(), second.id());

        DecryptionKeys keys = DecryptionKeys.ofPassphrase(Secret.of("s3 passphrase"));
        VerificationRecord verified = engine.verify(new VerifyRequest(repo, "orders", second.id(), VerifyLevel.STRUCTURE,
                keys, null, true));
        assertThat(verified.outcome()).isEqualTo("OK");

        PruneResult pruned = engine.prune(new PruneRequest(repo, "orders", RetentionPolicy.builder().keepLast(1).build(),
                false, "test", null));
        assertThat(pruned.deleted()).containsExactly(first.id());
        CheckResult check = engine.check(repo, null, false, Duration.ofHours(1));
        assertThat(check.healthy()).as(check.findings().toString()).isTrue();

        engine.restore(new RestoreRequest(repo, "orders", "latest", null, source.withDatabase(db + "_restored"), true,
                false, true, keys, 1));
        assertThat(pg.queryLong(db + "_restored", "SELECT count(*) FROM t")).isEqualTo(200000);
        try (var client = s3.rawClient()) {
            assertThat(client.listMultipartUploads(b -> b.bucket(S3TestServer.BUCKET)).uploads()).isEmpty();
        }
    }
}
