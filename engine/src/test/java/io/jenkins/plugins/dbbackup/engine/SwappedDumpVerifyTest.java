package io.jenkins.plugins.dbbackup.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.engine.verify.VerifyLevel;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup whose data object was replaced by a valid, equally encoded backup of another database, with the manifest's
 * sizes and checksums made to match: only the {@code restore} level can tell, by the counts.
 */
@ExtendWith(ThrowawayServers.class)
class SwappedDumpVerifyTest {
    private static final Secret PASSPHRASE = Secret.of("swapped-dump-test-passphrase");

    @TempDir
    Path dir;

    final BackupEngine engine = new BackupEngine(ProgressListener.NONE);
    final ObjectMapper json = new ObjectMapper();

    RepositorySpec repo() {
        return RepositorySpec.local(dir.resolve("repo"));
    }

    DatabaseConnection connection(PostgresServer pg, String database) {
        return new DatabaseConnection(DatabaseType.POSTGRESQL, pg.host(), pg.port(), database, pg.user(),
                Secret.of(pg.password()));
    }

    /** The same tables in both databases, with different row counts: nothing but the counts tells them apart. */
    String database(PostgresServer pg, String name, int orders, int items) {
        String db = name + "_" + System.nanoTime();
        pg.createDatabase(db);
        pg.execute(db,
                "CREATE TABLE orders (id int PRIMARY KEY, note text)",
                "CREATE TABLE items (id int, order_id int)",
                "INSERT INTO orders SELECT g, 'order ' || g FROM generate_series(1, " + orders + ") g",
                "INSERT INTO items SELECT g, g % 7 FROM generate_series(1, " + items + ") g");
        return db;
    }

    BackupResult backup(PostgresServer pg, String database, String set) throws Exception {
        return engine.backup(new BackupRequest(connection(pg, database), repo(), set, null,
                EncryptionSettings.toPassphrase(PASSPHRASE)));
    }

    VerificationRecord verify(String set, VerifyLevel level, DatabaseConnection scratch) throws Exception {
        return engine.verify(new VerifyRequest(repo(), set, "latest", level, DecryptionKeys.ofPassphrase(PASSPHRASE),
                scratch, true));
    }

    @Test
    void aValidDumpOfAnotherDatabasePassesStructureAndFailsRestoreOnCounts(PostgresServer pg) throws Exception {
        String a = database(pg, "swap_a", 120, 300);
        String b = database(pg, "swap_b", 45, 301);
        BackupResult backupA = backup(pg, a, "a");
        BackupResult backupB = backup(pg, b, "b");

        Path dirA = dir.resolve("repo/a/" + backupA.id());
        Path dirB = dir.resolve("repo/b/" + backupB.id());
        ObjectNode manifestA = (ObjectNode) json.readTree(dirA.resolve("manifest.json").toFile());
        ObjectNode manifestB = (ObjectNode) json.readTree(dirB.resolve("manifest.json").toFile());
        String dataObject = manifestA.get("dataObject").asText();
        assertThat(dataObject).isEqualTo("data.pgdump.zst.pgp").isEqualTo(manifestB.get("dataObject").asText());
        assertThat(manifestA.get("compression")).isEqualTo(manifestB.get("compression"));

        // B's object under A's name; A's manifest made to agree with it, everything else (counts) left as A's
        Files.copy(dirB.resolve(dataObject), dirA.resolve(dataObject), StandardCopyOption.REPLACE_EXISTING);
        manifestA.set("original", manifestB.get("original"));
        manifestA.set("stored", manifestB.get("stored"));
        json.writerWithDefaultPrettyPrinter().writeValue(dirA.resolve("manifest.json").toFile(), manifestA);
        assertThat(Files.mismatch(dirA.resolve(dataObject), dirB.resolve(dataObject))).isEqualTo(-1L);

        VerificationRecord checksum = verify("a", VerifyLevel.CHECKSUM, null);
        assertThat(checksum.outcome()).as(checksum.details().toString()).isEqualTo("OK");
        VerificationRecord structure = verify("a", VerifyLevel.STRUCTURE, null);
        assertThat(structure.outcome()).as(structure.details().toString()).isEqualTo("OK");

        VerificationRecord restore = verify("a", VerifyLevel.RESTORE, connection(pg, "postgres"));
        assertThat(restore.outcome()).as(restore.details().toString()).isEqualTo("COUNT_MISMATCH");
        assertThat(restore.details()).anyMatch(d -> d.contains("public.orders: expected 120, restored 45")
                && d.contains("public.items: expected 300, restored 301"));
        assertThat(restore.restoreMillis()).isPositive();
        String scratch = restore.scratchTarget().substring(restore.scratchTarget().lastIndexOf('/') + 1);
        assertThat(scratch).startsWith("dbbackup_verify_");
        assertThat(pg.listDatabases()).doesNotContain(scratch);
        assertThat(engine.list(repo(), "a")).hasSize(1);
        List<String> records;
        try (var files = Files.list(dirA)) {
            records = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("verify-")).toList();
        }
        assertThat(records).hasSize(3);
    }
}
