package io.jenkins.plugins.dbbackup.engine;

import static io.jenkins.plugins.dbbackup.engine.crypto.TestKeys.ALICE;
import static io.jenkins.plugins.dbbackup.engine.crypto.TestKeys.ALICE_KEY_PASSPHRASE;
import static io.jenkins.plugins.dbbackup.engine.crypto.TestKeys.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.codec.CompressionSettings;
import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import io.jenkins.plugins.dbbackup.engine.crypto.OpenPgp;
import io.jenkins.plugins.dbbackup.engine.crypto.TestKeys;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.BackupRepository;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.testsupport.MariaDbServer;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safety backup taken before a clean restore is encrypted like the backup restored, so that a production
 * database never lands in clear in a repository whose backups are encrypted; real PostgreSQL, real OpenPGP keys.
 */
@ExtendWith(ThrowawayServers.class)
class SafetyBackupEncryptionTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Secret PASSPHRASE = Secret.of("set passphrase 7f3a");
    private static PostgresServer pg;

    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void server(PostgresServer server) {
        pg = server;
    }

    @Test
    void passphraseSetGivesAPassphraseEncryptedSafetyBackupThatRestoresWithIt() throws Exception {
        String db = database();
        backup(db, "pass", EncryptionSettings.toPassphrase(PASSPHRASE));
        pg.execute(db, "INSERT INTO items SELECT g, 'later' FROM generate_series(101, 130) g");

        RestoreResult result = cleanRestore(db, "pass", DecryptionKeys.ofPassphrase(PASSPHRASE));

        assertThat(pg.queryLong(db, "SELECT count(*) FROM items")).isEqualTo(100);
        assertThat(result.safetyEncryption()).isEqualTo("passphrase");
        assertThat(result.toMap()).containsEntry("safetyEncryption", "passphrase");
        BackupManifest safety = safetyManifest("pass-pre-restore", result);
        assertThat(safety.encryption()).isNotNull();
        assertThat(safety.encryption().passphrase()).isTrue();
        assertThat(safety.encryption().recipients()).isEmpty();
        assertStoredObjectIsOpenPgp(safety);
        assertThat(log).anyMatch(l -> l.contains("Safety backup " + result.safetyBackupId())
                && l.contains("encrypted to passphrase"));
        assertThat(String.join("\n", log)).doesNotContain(PASSPHRASE.reveal());

        assertThatThrownBy(() -> restoreSafety(db, "pass-pre-restore", result, null))
                .hasMessageContaining("is encrypted");
        assertThatThrownBy(() -> restoreSafety(db, "pass-pre-restore", result,
                DecryptionKeys.ofPassphrase(Secret.of("not the passphrase")))).hasMessageContaining("passphrase is wrong");
        restoreSafety(db, "pass-pre-restore", result, DecryptionKeys.ofPassphrase(PASSPHRASE));
        assertThat(pg.queryLong(db + "_safety", "SELECT count(*) FROM items")).isEqualTo(130);
    }

    @Test
    void publicKeySetGivesASafetyBackupEncryptedToTheKeyOfTheRestore() throws Exception {
        TestKeys keys = TestKeys.get();
        String db = database();
        // encrypted to Alice and Bob; restored with Alice's (protected) secret key only
        backup(db, "keys", EncryptionSettings.toKeys(List.of(keys.publicKey(ALICE), keys.publicKey(BOB))));
        pg.execute(db, "DELETE FROM items WHERE id > 60");
        DecryptionKeys alice = DecryptionKeys.ofSecretKey(keys.aliceProtectedSecretKey(), ALICE_KEY_PASSPHRASE);

        RestoreResult result = cleanRestore(db, "keys", alice);

        assertThat(pg.queryLong(db, "SELECT count(*) FROM items")).isEqualTo(100);
        String aliceKeyId = OpenPgp.describe(keys.publicKey(ALICE)).get(0).keyId();
        String aliceFingerprint = OpenPgp.describe(keys.publicKey(ALICE)).get(0).fingerprint();
        assertThat(result.safetyEncryption()).isEqualTo("key id(s) " + aliceKeyId);
        BackupManifest safety = safetyManifest("keys-pre-restore", result);
        assertThat(safety.encryption().passphrase()).isFalse();
        assertThat(safety.encryption().recipients()).containsExactly(
                new BackupManifest.RecipientInfo(aliceFingerprint, aliceKeyId));
        assertStoredObjectIsOpenPgp(safety);
        assertThat(log).anyMatch(l -> l.contains("Safety backup " + result.safetyBackupId())
                && l.contains("encrypted to key id(s) " + aliceKeyId));
        assertThat(String.join("\n", log)).doesNotContain(ALICE_KEY_PASSPHRASE.reveal());

        // Bob could read the backup restored, but the restore held only Alice's key: the safety backup is hers
        assertThatThrownBy(() -> restoreSafety(db, "keys-pre-restore", result,
                DecryptionKeys.ofSecretKey(keys.secretKey(BOB), null))).hasMessageContaining("cannot decrypt");
        restoreSafety(db, "keys-pre-restore", result, alice);
        assertThat(pg.queryLong(db + "_safety", "SELECT count(*) FROM items")).isEqualTo(60);
    }

    @Test
    void keyAndPassphraseSetRestoredWithThePassphraseGivesAPassphraseSafetyBackup() throws Exception {
        TestKeys keys = TestKeys.get();
        String db = database();
        backup(db, "both", new EncryptionSettings(List.of(keys.publicKey(BOB)), PASSPHRASE));
        pg.execute(db, "UPDATE items SET note = 'changed'");

        RestoreResult result = cleanRestore(db, "both", DecryptionKeys.ofPassphrase(PASSPHRASE));

        assertThat(result.safetyEncryption()).isEqualTo("passphrase");
        BackupManifest safety = safetyManifest("both-pre-restore", result);
        assertThat(safety.encryption().passphrase()).isTrue();
        assertThat(safety.encryption().recipients()).isEmpty();
        assertStoredObjectIsOpenPgp(safety);
    }

    @Test
    void unencryptedSetGivesAnUnencryptedSafetyBackup() throws Exception {
        String db = database();
        backup(db, "plain", EncryptionSettings.none());
        pg.execute(db, "DELETE FROM items");

        RestoreResult result = cleanRestore(db, "plain", null);

        assertThat(result.safetyEncryption()).isEqualTo("none");
        assertThat(safetyManifest("plain-pre-restore", result).encryption()).isNull();
        assertThat(log).anyMatch(l -> l.contains("Safety backup " + result.safetyBackupId())
                && l.contains("not encrypted"));
    }

    @Test
    void mariaDbPassphraseSetGivesAPassphraseEncryptedSafetyBackup(MariaDbServer m) throws Exception {
        String db = "safetyenc_maria_" + DATABASES.incrementAndGet();
        m.createDatabase(db);
        m.execute(db, "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(50))",
                "INSERT INTO items SELECT seq, CONCAT('item ', seq) FROM seq_1_to_200");
        DatabaseConnection source = new DatabaseConnection(DatabaseType.MARIADB, m.host(), m.port(), db, m.user(),
                Secret.of(m.password()));
        engine().backup(new BackupRequest(source, repo(), "maria", CompressionSettings.defaults(),
                EncryptionSettings.toPassphrase(PASSPHRASE)));
        m.execute(db, "DELETE FROM items WHERE id > 50");

        RestoreResult result = engine().restore(new RestoreRequest(repo(), "maria", null, null, source, false, true,
                true, DecryptionKeys.ofPassphrase(PASSPHRASE), 1));

        assertThat(m.queryLong(db, "SELECT COUNT(*) FROM items")).isEqualTo(200);
        assertThat(result.safetyEncryption()).isEqualTo("passphrase");
        BackupManifest safety = safetyManifest("maria-pre-restore", result);
        assertThat(safety.encryption().passphrase()).isTrue();
        assertStoredObjectIsOpenPgp(safety);
        engine().restore(new RestoreRequest(repo(), "maria-pre-restore", result.safetyBackupId(), null,
                source.withDatabase(db + "_safety"), true, false, true, DecryptionKeys.ofPassphrase(PASSPHRASE), 1));
        assertThat(m.queryLong(db + "_safety", "SELECT COUNT(*) FROM items")).isEqualTo(50);
    }

    @Test
    void explicitSafetyEncryptionReplacesTheDefault() throws Exception {
        TestKeys keys = TestKeys.get();
        String db = database();
        backup(db, "explicit", EncryptionSettings.toPassphrase(PASSPHRASE));
        pg.execute(db, "DELETE FROM items WHERE id > 10");

        RestoreResult result = engine().restore(new RestoreRequest(repo(), "explicit", null, null, connection(db),
                false, true, true, DecryptionKeys.ofPassphrase(PASSPHRASE), 1)
                .withSafetyEncryption(EncryptionSettings.toKeys(List.of(keys.publicKey(BOB)))));

        String bobKeyId = OpenPgp.describe(keys.publicKey(BOB)).get(0).keyId();
        assertThat(result.safetyEncryption()).isEqualTo("key id(s) " + bobKeyId);
        BackupManifest safety = safetyManifest("explicit-pre-restore", result);
        assertThat(safety.encryption().passphrase()).isFalse();
        assertThat(safety.encryption().recipients()).extracting(BackupManifest.RecipientInfo::keyId)
                .containsExactly(bobKeyId);
        assertStoredObjectIsOpenPgp(safety);
        assertThatThrownBy(() -> restoreSafety(db, "explicit-pre-restore", result,
                DecryptionKeys.ofPassphrase(PASSPHRASE))).hasMessageContaining("cannot decrypt");
        restoreSafety(db, "explicit-pre-restore", result, DecryptionKeys.ofSecretKey(keys.secretKey(BOB), null));
        assertThat(pg.queryLong(db + "_safety", "SELECT count(*) FROM items")).isEqualTo(10);
    }

    @Test
    void explicitSafetyEncryptionMustEncryptAndNeedsTheSafetyBackup() {
        RestoreRequest request = new RestoreRequest(repo(), "s", null, null, connection("d"), false, true, true, null,
                1);
        assertThatThrownBy(() -> request.withSafetyEncryption(EncryptionSettings.none()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no public key and no passphrase");
        RestoreRequest noSafety = new RestoreRequest(repo(), "s", null, null, connection("d"), false, true, false,
                null, 1);
        assertThatThrownBy(() -> noSafety.withSafetyEncryption(EncryptionSettings.toPassphrase(PASSPHRASE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("safety backup is turned off");
        assertThat(request.withSafetyEncryption(null).safetyEncryption()).isNull();
    }

    @Test
    void noSafetyBackupNoSafetyEncryption() throws Exception {
        String db = database();
        backup(db, "none", EncryptionSettings.toPassphrase(PASSPHRASE));
        RestoreResult result = engine().restore(new RestoreRequest(repo(), "none", null, null,
                connection(db + "_new"), true, false, true, DecryptionKeys.ofPassphrase(PASSPHRASE), 1));
        assertThat(result.safetyBackupId()).isNull();
        assertThat(result.safetyEncryption()).isNull();
    }

    private static String database() {
        String db = "safetyenc_" + DATABASES.incrementAndGet();
        pg.createDatabase(db);
        pg.execute(db, "CREATE TABLE items (id int PRIMARY KEY, note text)",
                "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 100) g");
        return db;
    }

    private void backup(String db, String set, EncryptionSettings encryption) throws Exception {
        engine().backup(new BackupRequest(connection(db), repo(), set, CompressionSettings.defaults(), encryption));
    }

    private RestoreResult cleanRestore(String db, String set, DecryptionKeys keys) throws Exception {
        return engine().restore(new RestoreRequest(repo(), set, null, null, connection(db), false, true, true, keys,
                1));
    }

    private void restoreSafety(String db, String safetySet, RestoreResult result, DecryptionKeys keys)
            throws Exception {
        engine().restore(new RestoreRequest(repo(), safetySet, result.safetyBackupId(), null,
                connection(db + "_safety"), true, false, true, keys, 1));
    }

    private BackupManifest safetyManifest(String safetySet, RestoreResult result) throws Exception {
        assertThat(result.safetyBackupId()).isNotNull();
        List<BackupManifest> manifests = engine().list(repo(), safetySet);
        assertThat(manifests).extracting(BackupManifest::id).containsExactly(result.safetyBackupId());
        return manifests.get(0);
    }

    /**
     * The stored object, read as the files of the repository hold it, begins with an OpenPGP encrypted session key
     * packet (public-key, tag 1, or symmetric-key, tag 3), not with a compressed or dump stream anyone could read.
     */
    private void assertStoredObjectIsOpenPgp(BackupManifest manifest) throws Exception {
        Path stored = dir.resolve("repo").resolve(BackupRepository.dataKey(manifest));
        assertThat(manifest.dataObject()).endsWith(".pgp");
        byte[] head;
        try (InputStream in = Files.newInputStream(stored)) {
            head = in.readNBytes(8);
        }
        assertThat(head).hasSize(8);
        int first = head[0] & 0xFF;
        assertThat(first & 0x80).as("OpenPGP packet header bit").isNotZero();
        int tag = (first & 0x40) != 0 ? first & 0x3F : (first >> 2) & 0x0F;
        assertThat(tag).as("first packet tag").isIn(1, 3);
        assertThat(new String(head, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1)).isNotEqualTo("PGDMP")
                .doesNotStartWith("--"); // nor a pg_dump or mariadb-dump script
        assertThat(java.util.Arrays.copyOf(head, 4)).as("zstd frame magic")
                .isNotEqualTo(new byte[] {(byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD});
        assertThat(java.util.Arrays.copyOf(head, 2)).as("gzip magic").isNotEqualTo(new byte[] {0x1F, (byte) 0x8B});
    }

    private DatabaseConnection connection(String database) {
        return new DatabaseConnection(DatabaseType.POSTGRESQL, pg.host(), pg.port(), database, pg.user(),
                Secret.of(pg.password()));
    }

    private BackupEngine engine() {
        return new BackupEngine(EngineOptions.defaults(), log::add, Clock.systemUTC());
    }

    private RepositorySpec repo() {
        return RepositorySpec.local(dir.resolve("repo"));
    }
}
