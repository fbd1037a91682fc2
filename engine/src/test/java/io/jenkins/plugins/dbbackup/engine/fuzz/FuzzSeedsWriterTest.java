package io.jenkins.plugins.dbbackup.engine.fuzz;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptingOutputStream;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import io.jenkins.plugins.dbbackup.engine.crypto.OpenPgp;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.ManifestCodec;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.testsupport.RedisClient;
import io.jenkins.plugins.dbbackup.testsupport.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the seed corpora of the fuzz tests into src/test/resources (…/&lt;Class&gt;Inputs/&lt;method&gt;/seed-*):
 * small valid inputs made by this project's own code and by the real servers and tools the tests use. Skipped
 * unless asked for; the seeds are committed, so this runs only when a format changes:
 * {@code mvn -pl engine -am test -Dtest=FuzzSeedsWriterTest -Dfuzz.writeSeeds=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "fuzz.writeSeeds", matches = "true")
class FuzzSeedsWriterTest {
    private static final Path RESOURCES = Path.of("src/test/resources/io/jenkins/plugins/dbbackup/engine");
    private static final String PASSPHRASE = "fuzz passphrase";

    @Test
    void manifests() throws IOException {
        BackupManifest full = new BackupManifest(1, "20261122T020000Z-3f9a1c2b", "orders", "postgresql-custom",
                "data.pgdump.zst.pgp", new BackupManifest.Source("postgresql", "db1", 5432, "orders", "backup", "15.18"),
                new BackupManifest.Tool("pg_dump", "15.18"), "2026-11-22T02:00:00.123Z", "2026-11-22T02:01:00Z",
                new BackupManifest.Content(1000, "a".repeat(64)), new BackupManifest.Content(200, "b".repeat(64)),
                new BackupManifest.CompressionInfo("zstd", 3),
                new BackupManifest.EncryptionInfo("openpgp", List.of(new BackupManifest.RecipientInfo("F1", "K1")), true),
                new BackupManifest.VerificationData(Map.of("public.t", 3L), null, "exported-snapshot"));
        BackupManifest redis = new BackupManifest(1, "20261122T030000Z-00ff00ff", "cache", "redis-rdb", "data.rdb.gz",
                new BackupManifest.Source("redis", "127.0.0.1", 6379, null, null, "7.0.15"),
                new BackupManifest.Tool("redis-replication", "10"), "2026-11-22T03:00:00Z", null,
                new BackupManifest.Content(77, "c".repeat(64)), new BackupManifest.Content(50, "d".repeat(64)),
                new BackupManifest.CompressionInfo("gzip", 6), null,
                new BackupManifest.VerificationData(null, Map.of("0", 2L, "3", 1L), "rdb-stream"));
        write("repository/ManifestCodecFuzzTestInputs/manifest", "postgresql", ManifestCodec.write(full));
        write("repository/ManifestCodecFuzzTestInputs/manifest", "redis", ManifestCodec.write(redis));
    }

    @Test
    void verificationRecords() throws IOException {
        JsonMapper mapper = JsonMapper.builder().build();
        write("repository/VerificationRecordFuzzTestInputs/record", "ok", mapper.writeValueAsBytes(
                new VerificationRecord(1, "20261122T020000Z-3f9a1c2b", "orders", "restore", "OK",
                        List.of("sha256 matches", "rows match"), "2026-11-22T04:00:00.5Z", 12, 34, 56, "scratch")));
        write("repository/VerificationRecordFuzzTestInputs/record", "mismatch", mapper.writeValueAsBytes(
                new VerificationRecord(1, "20261122T020000Z-3f9a1c2b", "orders", "checksum", "CHECKSUM_MISMATCH",
                        List.of("stored 1 bytes"), "2026-11-22T04:00:00Z", 1, 0, 0, null)));
    }

    /** A small snapshot by a real redis-server with every value type and encoding it writes, and expiries. */
    @Test
    void rdbAndReplication() throws IOException {
        byte[] rdb;
        try (RedisServer server = RedisServer.start(); RedisClient c = server.client()) {
            cmd(c, "SET", "s", "v");
            cmd(c, "SET", "n", "12345");
            cmd(c, "SET", "lzf", "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc");
            cmd(c, "SET", "e", "x", "PX", "86400000");
            cmd(c, "RPUSH", "l", "a", "b", "7");
            cmd(c, "SADD", "si", "1", "2", "3");
            cmd(c, "SADD", "ss", "a", "b");
            cmd(c, "ZADD", "z", "1.5", "a", "2", "b");
            cmd(c, "HSET", "h", "f", "v", "g", "1");
            cmd(c, "XADD", "x", "1-1", "f", "v");
            cmd(c, "XGROUP", "CREATE", "x", "g", "0");
            cmd(c, "XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "x", ">");
            cmd(c, "FUNCTION", "LOAD", "#!lua name=fuzzlib\nredis.register_function('f', function() return 1 end)");
            cmd(c, "SELECT", "2");
            cmd(c, "SET", "other", "db");
            cmd(c, "SAVE");
            rdb = Files.readAllBytes(server.dataDir().resolve("dump.rdb"));
        }
        byte[] unchecked = rdb.clone();
        Arrays.fill(unchecked, unchecked.length - 8, unchecked.length, (byte) 0); // 0 = written without checksum
        write("source/redis/RdbParserFuzzTestInputs/rdb", "every-type", rdb);
        write("source/redis/RdbParserFuzzTestInputs/rdb", "every-type-no-checksum", unchecked);

        String sync = "+OK\r\n+OK\r\n+FULLRESYNC 0123456789012345678901234567890123456789 0\r\n\n\n";
        write("source/redis/ReplicationReplyFuzzTestInputs/sync", "disk",
                concat(ascii(sync + "$" + unchecked.length + "\r\n"), unchecked));
        String marker = "0123456789abcdef0123456789abcdef01234567";
        write("source/redis/ReplicationReplyFuzzTestInputs/sync", "diskless",
                concat(ascii(sync + "$EOF:" + marker + "\r\n"), unchecked, ascii(marker)));
        write("source/redis/ReplicationReplyFuzzTestInputs/sync", "replies",
                ascii("*3\r\n$3\r\nfoo\r\n:-12\r\n*-1\r\n$-1\r\n-ERR unknown command\r\n+PONG\r\n$0\r\n\r\n"));
        write("source/redis/ReplicationReplyFuzzTestInputs/sync", "refused",
                ascii("+OK\r\n-NOPERM this user has no permissions to run the 'sync' command\r\n"));
    }

    @Test
    void sqlDumps() throws IOException {
        String dir = "source/mariadb/DumpRowCounterFuzzTestInputs/tokenizer";
        write(dir, "mysqldump", ascii("""
                /*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
                /*M!999999\\- enable the sandbox mode */
                -- Table structure for table `t`
                DROP TABLE IF EXISTS `t`;
                CREATE TABLE `t` (
                  `id` int(11) NOT NULL,
                  `v` varchar(20) DEFAULT 'a;b'
                ) ENGINE=InnoDB;
                LOCK TABLES `t` WRITE;
                INSERT INTO `t` VALUES (1,'it''s'),(2,'back\\\\slash \\' ; )'),(3,NULL),(4,"dq \\" (");
                UNLOCK TABLES;
                # a comment ; with a delimiter
                /* block ; comment */
                INSERT IGNORE INTO `db`.`t` (`id`,`v`) VALUES (5,'x');
                """));
        write(dir, "delimiter", ascii("""
                USE `other`;
                CREATE DATABASE /*!32312 IF NOT EXISTS*/ `other` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;
                CREATE TABLE `we``ird` (a int);
                DELIMITER ;;
                /*!50003 CREATE TRIGGER tr BEFORE INSERT ON `we``ird` FOR EACH ROW BEGIN SET NEW.a = 1; END */;;
                DELIMITER ;
                REPLACE INTO `we``ird` VALUES (1),(2);
                DROP TABLE IF EXISTS `v`;
                CREATE OR REPLACE TABLE IF NOT EXISTS v (a int);
                INSERT LOW_PRIORITY v VALUES ((1)),((2));
                """));
    }

    @Test
    void openPgpMessages() throws IOException {
        byte[] publicKey = resource("crypto/fuzz-public-key.gpg");
        String dir = "crypto/OpenPgpDecryptFuzzTestInputs/message";
        byte[] plain = "a small backup, encrypted for the fuzz tests".getBytes(StandardCharsets.UTF_8);
        write(dir, "to-key", encrypt(EncryptionSettings.toKeys(List.of(publicKey)), plain));
        write(dir, "to-passphrase", encrypt(EncryptionSettings.toPassphrase(Secret.of(PASSPHRASE)), plain));
        write(dir, "to-key-and-passphrase",
                encrypt(new EncryptionSettings(List.of(publicKey), Secret.of(PASSPHRASE)), plain));
        write(dir, "empty-to-key", encrypt(EncryptionSettings.toKeys(List.of(publicKey)), new byte[0]));
    }

    private static byte[] encrypt(EncryptionSettings settings, byte[] plain) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (EncryptingOutputStream out = OpenPgp.encrypting(sink, settings)) {
            out.write(plain);
        }
        return sink.toByteArray();
    }

    private static void cmd(RedisClient c, String... args) {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        c.command(b);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = FuzzSeedsWriterTest.class.getResourceAsStream("/io/jenkins/plugins/dbbackup/engine/" + name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static void write(String dir, String name, byte[] content) throws IOException {
        Path d = RESOURCES.resolve(dir);
        Files.createDirectories(d);
        Files.write(d.resolve("seed-" + name), content);
    }
}
