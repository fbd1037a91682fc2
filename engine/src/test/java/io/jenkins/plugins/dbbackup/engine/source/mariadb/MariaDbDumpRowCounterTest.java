package io.jenkins.plugins.dbbackup.engine.source.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The dump tokenizer on crafted dump text, whole, byte by byte and in random chunks. */
class MariaDbDumpRowCounterTest {

    private static final String HEADER = """
            /*M!999999\\- enable the sandbox mode */\s
            -- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)
            --
            -- Host: 127.0.0.1    Database: shop
            /*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
            /*!40101 SET NAMES utf8mb4 */;
            /*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
            """;

    @Test
    void countsExtendedInsertsWithTrickyValues() {
        String dump = HEADER + """
                --
                -- Table structure for table `t`
                --

                DROP TABLE IF EXISTS `t`;
                /*!40101 SET @saved_cs_client     = @@character_set_client */;
                CREATE TABLE `t` (
                  `id` int(11) NOT NULL,
                  `s` text DEFAULT 'x(y);',
                  PRIMARY KEY (`id`)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

                LOCK TABLES `t` WRITE;
                /*!40000 ALTER TABLE `t` DISABLE KEYS */;
                INSERT INTO `t` VALUES
                (1,'a\\'b\\\\c\\n(1),(2);',0x00FF27,'{\\"a\\":1}'),
                (2,NULL,NULL,NULL),
                (3,'emoji 😀','','[]'),
                (4,'it''s ) ( ; -- no comment # nor this /* nor */',_binary 'x\\0y\\Z',-1),
                (5,"double \\" quoted ) (",--2,0xDEADBEEF);
                INSERT INTO `t` VALUES (6,'multi
                line
                (value)'),(7,'\\\\'),(8,'\\\\\\''),(9,'');
                /*!40000 ALTER TABLE `t` ENABLE KEYS */;
                UNLOCK TABLES;
                """ + "\n-- Dump completed on 2026-11-22  3:44:16\n";
        assertCounts(dump, "shop", Map.of("shop.t", 9L));
    }

    @Test
    void emptyTablesWeirdNamesColumnListsAndModifiers() {
        String dump = HEADER + """
                CREATE TABLE `empty` (`x` int);
                CREATE TABLE IF NOT EXISTS `we``ird;name` (`x` int);
                CREATE OR REPLACE TABLE `ünï` (`x` int);
                INSERT INTO `we``ird;name` (`x`, `y)`) VALUES (1,2),(3,4);
                INSERT IGNORE INTO `ünï` VALUES (1);
                REPLACE INTO `ünï` VALUES (2),(3);
                insert low_priority into `ünï` value (4);
                INSERT INTO other.`x` VALUES (1),(2),(3);
                INSERT INTO `empty` SELECT 1;
                INSERT INTO `empty` VALUES (1) ON DUPLICATE KEY UPDATE x = VALUES(x);
                """;
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("shop.empty", 1L);
        expected.put("shop.we`ird;name", 2L);
        expected.put("shop.ünï", 4L);
        expected.put("other.x", 3L);
        assertCounts(dump, "shop", expected);
    }

    @Test
    void commentsBetweenAndAroundRows() {
        String dump = """
                CREATE TABLE t (a int); -- trailing comment with INSERT INTO t VALUES (9);
                # INSERT INTO t VALUES (9);
                /* INSERT INTO t VALUES (9); */
                INSERT /* c */ INTO -- c
                t VALUES /* (9) */ (1), -- (9)
                # (9)
                (2) /**/ , (3);
                """;
        assertCounts(dump, "db", Map.of("db.t", 3L));
    }

    @Test
    void routinesTriggersAndEventsUnderAnotherDelimiterAreNotRows() {
        String dump = """
                CREATE TABLE `t` (`a` int);
                CREATE TABLE `log` (`a` int);
                INSERT INTO `t` VALUES (1);
                DELIMITER ;;
                /*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER tr AFTER INSERT ON t FOR EACH ROW BEGIN
                  INSERT INTO log VALUES (NEW.a);
                  INSERT INTO log VALUES (NEW.a), (2);
                END */;;
                DELIMITER ;
                DELIMITER ;;
                CREATE DEFINER=`root`@`localhost` PROCEDURE `p`()
                BEGIN
                  INSERT INTO t VALUES (10),(11);
                  SELECT ';;' ;
                END ;;
                /*!50106 CREATE*/ /*!50106 EVENT `e` ON SCHEDULE EVERY 1 DAY DO INSERT INTO t VALUES (5) */ ;;
                DELIMITER ;
                INSERT INTO `log` VALUES (1),(2);
                """;
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("d.t", 1L);
        expected.put("d.log", 2L);
        assertCounts(dump, "d", expected);
    }

    @Test
    void viewPlaceholdersAreForgotten() {
        String dump = """
                DROP TABLE IF EXISTS `v`;
                /*!50001 DROP VIEW IF EXISTS `v`*/;
                /*!50001 CREATE TABLE `v` (
                  `id` tinyint NOT NULL
                ) ENGINE=MyISAM */;
                CREATE TABLE `t` (`id` int);
                INSERT INTO `t` VALUES (1);
                /*!50001 DROP TABLE IF EXISTS `v`*/;
                /*!50001 DROP VIEW IF EXISTS `v`*/;
                /*!50001 CREATE ALGORITHM=UNDEFINED */
                /*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */
                /*!50001 VIEW `v` AS select `t`.`id` AS `id` from `t` */;
                DROP TABLE IF EXISTS `w`;
                /*!50001 CREATE VIEW `w` AS SELECT
                 1 AS `id` */;
                """;
        assertCounts(dump, "d", Map.of("d.t", 1L));
    }

    @Test
    void multiDatabaseDumpsFollowUse() {
        String dump = HEADER + """
                CREATE DATABASE /*!32312 IF NOT EXISTS*/ `d1` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;
                USE `d1`;
                CREATE TABLE `t` (`a` int);
                INSERT INTO `t` VALUES (1),(2);
                CREATE DATABASE /*!32312 IF NOT EXISTS*/ `d 2`;
                USE `d 2`;
                CREATE TABLE `t` (`a` int);
                INSERT INTO `t` VALUES (1);
                USE d1;
                /*!50001 DROP VIEW IF EXISTS `v`*/;
                """;
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("d1.t", 2L);
        expected.put("d 2.t", 1L);
        DumpRowCounter counter = assertCounts(dump, null, expected);
        assertThat(counter.databasesUsed()).containsExactly("d1", "d 2");
        assertThat(counter.currentDatabase()).isEqualTo("d1");
    }

    @Test
    void honoursOffsetsAndLengths() {
        byte[] text = "xxxxINSERT INTO t VALUES (1),(2);yyyy".getBytes(StandardCharsets.US_ASCII);
        DumpRowCounter counter = new DumpRowCounter("d");
        counter.update(text, 4, text.length - 8);
        assertThat(counter.counts()).containsExactly(Map.entry("d.t", 2L));
    }

    @Property(tries = 150)
    void randomRowsAreCountedExactly(@ForAll("tables") List<List<byte[][]>> tables, @ForAll long seed) {
        Map<String, Long> expected = new LinkedHashMap<>();
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        write(dump, HEADER);
        Random random = new Random(seed);
        for (int t = 0; t < tables.size(); t++) {
            String name = "t" + t + (random.nextBoolean() ? "`x" : "(;'");
            String quoted = "`" + name.replace("`", "``") + "`";
            write(dump, "DROP TABLE IF EXISTS " + quoted + ";\nCREATE TABLE " + quoted + " (a blob, b text);\n");
            List<byte[][]> rows = tables.get(t);
            expected.put("db." + name, (long) rows.size());
            int perStatement = 1 + random.nextInt(5);
            for (int r = 0; r < rows.size(); r++) {
                write(dump, r % perStatement == 0 ? "INSERT INTO " + quoted + " VALUES\n(" : ",\n(");
                byte[][] row = rows.get(r);
                for (int c = 0; c < row.length; c++) {
                    if (c > 0) {
                        dump.write(',');
                    }
                    switch (random.nextInt(4)) {
                        case 0 -> write(dump, row[c].length == 0 ? "''" : "0x" + hex(row[c]));
                        case 1 -> writeEscaped(dump, "_binary '", row[c]);
                        case 2 -> writeEscaped(dump, "'", row[c]);
                        default -> write(dump, random.nextBoolean() ? "NULL" : "-" + random.nextInt(1000));
                    }
                }
                dump.write(')');
                if (r % perStatement == perStatement - 1 || r == rows.size() - 1) {
                    write(dump, ";\n");
                }
            }
        }
        write(dump, "-- Dump completed on 2026-11-22  3:44:16\n");
        byte[] bytes = dump.toByteArray();
        assertThat(countWhole(bytes, "db")).isEqualTo(expected);
        assertThat(countInChunks(bytes, "db", new Random(seed ^ 0x5DEECE66DL), 7)).isEqualTo(expected);
    }

    @Provide
    Arbitrary<List<List<byte[][]>>> tables() {
        Arbitrary<byte[]> value = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<byte[][]> row = value.array(byte[][].class).ofMinSize(1).ofMaxSize(4);
        return row.list().ofMaxSize(30).list().ofMaxSize(4);
    }

    /** Counts the dump whole, byte by byte and in random chunks; all must agree with {@code expected}. */
    private static DumpRowCounter assertCounts(String dump, String database, Map<String, Long> expected) {
        byte[] bytes = dump.getBytes(StandardCharsets.UTF_8);
        DumpRowCounter whole = new DumpRowCounter(database);
        whole.update(bytes, 0, bytes.length);
        assertThat(whole.counts()).as("whole").containsExactlyEntriesOf(expected);
        DumpRowCounter single = new DumpRowCounter(database);
        for (byte b : bytes) {
            single.update(b);
        }
        assertThat(single.counts()).as("byte by byte").containsExactlyEntriesOf(expected);
        for (long seed = 1; seed <= 20; seed++) {
            assertThat(countInChunks(bytes, database, new Random(seed), 64)).as("chunks, seed " + seed)
                    .containsExactlyEntriesOf(expected);
        }
        return whole;
    }

    private static Map<String, Long> countWhole(byte[] bytes, String database) {
        DumpRowCounter counter = new DumpRowCounter(database);
        counter.update(bytes, 0, bytes.length);
        return counter.counts();
    }

    private static Map<String, Long> countInChunks(byte[] bytes, String database, Random random, int maxChunk) {
        DumpRowCounter counter = new DumpRowCounter(database);
        // copy each chunk into a larger buffer at an offset, so that offsets are honoured too
        int i = 0;
        while (i < bytes.length) {
            int n = Math.min(bytes.length - i, 1 + random.nextInt(maxChunk));
            int offset = random.nextInt(3);
            byte[] buffer = new byte[n + offset + random.nextInt(3)];
            System.arraycopy(bytes, i, buffer, offset, n);
            counter.update(buffer, offset, n);
            i += n;
        }
        return counter.counts();
    }

    /** Escapes as mysql_real_escape_string does. */
    private static void writeEscaped(ByteArrayOutputStream out, String prefix, byte[] value) {
        write(out, prefix);
        for (byte b : value) {
            switch (b) {
                case 0 -> write(out, "\\0");
                case '\n' -> write(out, "\\n");
                case '\r' -> write(out, "\\r");
                case '\\' -> write(out, "\\\\");
                case '\'' -> write(out, "\\'");
                case '"' -> write(out, "\\\"");
                case 26 -> write(out, "\\Z");
                default -> out.write(b);
            }
        }
        out.write('\'');
    }

    private static String hex(byte[] value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value) {
            sb.append(String.format("%02X", b));
        }
        return sb.toString();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
