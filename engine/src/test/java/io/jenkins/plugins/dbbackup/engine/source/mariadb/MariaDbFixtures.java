package io.jenkins.plugins.dbbackup.engine.source.mariadb;

import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.testsupport.MariaDbServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Databases with awkward content on a real MariaDB server, and ways to compare two of them. */
final class MariaDbFixtures {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private MariaDbFixtures() {}

    static String uniqueName(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
    }

    static DatabaseConnection connection(MariaDbServer server, String database) {
        return new DatabaseConnection(DatabaseType.MARIADB, server.host(), server.port(), database, server.user(),
                Secret.of(server.password()));
    }

    /**
     * Tables with utf8mb4 text, every byte value in blobs, quotes, backslashes and newlines, a weird table name, an
     * empty table, foreign keys, a sequence, a view, triggers, a procedure, a function and an event.
     */
    static void createAwkward(MariaDbServer server, String db) throws SQLException {
        server.createDatabase(db);
        server.execute(db,
                "ALTER DATABASE `" + db + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
                "CREATE TABLE texts (id INT PRIMARY KEY, s TEXT, v VARCHAR(200), j JSON, d DECIMAL(20,6),"
                        + " t DATETIME(6), b BIT(7)) CHARACTER SET utf8mb4",
                "CREATE TABLE blobs (id INT PRIMARY KEY, data LONGBLOB, tiny VARBINARY(16))",
                "CREATE TABLE `we``ird;name (x)` (`col``1` INT, `'q'` TEXT)",
                "CREATE TABLE empty_one (x INT)",
                "CREATE TABLE parent (id INT PRIMARY KEY) ENGINE=InnoDB",
                "CREATE TABLE child (id INT PRIMARY KEY, parent_id INT, FOREIGN KEY (parent_id) REFERENCES parent(id))",
                "CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(100))",
                "CREATE TABLE big (id INT PRIMARY KEY, pad VARCHAR(200), n DOUBLE)",
                "INSERT INTO big SELECT seq, REPEAT(CHAR(65 + seq % 26), seq % 150), seq / 7 FROM seq_1_to_20000",
                "INSERT INTO parent SELECT seq FROM seq_1_to_50",
                "INSERT INTO child SELECT seq, 1 + seq % 50 FROM seq_1_to_200",
                "INSERT INTO `we``ird;name (x)` VALUES (1, 'a'), (2, ');INSERT INTO x VALUES (1);--'), (NULL, NULL)",
                "CREATE SEQUENCE seq_ids START WITH 100",
                "CREATE VIEW texts_view AS SELECT id, CONCAT(v, '!') AS v FROM texts WHERE id > 1",
                "CREATE TRIGGER texts_audit AFTER INSERT ON texts FOR EACH ROW"
                        + " INSERT INTO audit (what) VALUES (CONCAT('inserted;', NEW.id))",
                "CREATE PROCEDURE add_rows(IN n INT) BEGIN\n  DECLARE i INT DEFAULT 0;\n"
                        + "  WHILE i < n DO INSERT INTO audit (what) VALUES ('proc;'); SET i = i + 1; END WHILE;\nEND",
                "CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2",
                "CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE"
                        + " DO INSERT INTO audit (what) VALUES ('event')");
        try (Connection c = server.connect(db)) {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO texts VALUES (?, ?, ?, ?, ?, ?, b'1010101')")) {
                String[] texts = {
                    "plain", "emoji 😀🎉 and CJK 漢字 and RTL עברית", "quote ' double \" backtick `",
                    "backslash \\ and \\' and \\\\", "new\nline\r\nand\ttab", "(1),(2);\nINSERT INTO t VALUES (3);",
                    "-- not a comment\n# nor this\n/* nor this */", "", "NUL \0 byte and \u001a ctrl-Z",
                    "0xDEADBEEF _binary 'x'", "trailing backslash \\",
                };
                for (int i = 0; i < texts.length; i++) {
                    st.setInt(1, i + 1);
                    st.setString(2, texts[i]);
                    st.setString(3, texts[i].length() > 200 ? texts[i].substring(0, 200) : texts[i]);
                    st.setString(4, "{\"k\": \"" + texts[i].replace("\\", "\\\\").replace("\"", "\\\"")
                            .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t").replace("\0", "\\u0000")
                            .replace("\u001a", "\\u001a") + "\"}");
                    st.setString(5, "-12345678901234.123456");
                    st.setString(6, "2026-11-22 03:04:05.678901");
                    st.addBatch();
                }
                st.setInt(1, 100);
                for (int p = 2; p <= 6; p++) {
                    st.setNull(p, java.sql.Types.VARCHAR);
                }
                st.addBatch();
                st.executeBatch();
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO blobs VALUES (?, ?, ?)")) {
                byte[] all = new byte[256 * 4];
                for (int i = 0; i < all.length; i++) {
                    all[i] = (byte) i;
                }
                st.setInt(1, 1);
                st.setBytes(2, all);
                st.setBytes(3, new byte[] {0, '\'', '\\', '"', '\n', '\r', 26, (byte) 0xff});
                st.addBatch();
                Random random = new Random(42);
                for (int i = 2; i <= 40; i++) {
                    byte[] data = new byte[random.nextInt(70_000)];
                    random.nextBytes(data);
                    st.setInt(1, i);
                    st.setBytes(2, data);
                    st.setBytes(3, new byte[0]);
                    st.addBatch();
                }
                st.setInt(1, 41);
                st.setNull(2, java.sql.Types.BLOB);
                st.setNull(3, java.sql.Types.VARBINARY);
                st.addBatch();
                st.executeBatch();
            }
        }
    }

    /** The base tables of a database, sorted. */
    static List<String> tables(MariaDbServer server, String db) throws SQLException {
        return strings(server, db, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1");
    }

    /** Real row counts, keyed {@code prefix.table}. */
    static Map<String, Long> rowCounts(MariaDbServer server, String db, String prefix) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String t : tables(server, db)) {
            counts.put(prefix + "." + t, server.queryLong(db, "SELECT COUNT(*) FROM " + quote(t)));
        }
        return counts;
    }

    /** {@code CHECKSUM TABLE} of every base table. */
    static Map<String, String> checksums(MariaDbServer server, String db) throws SQLException {
        Map<String, String> sums = new LinkedHashMap<>();
        try (Connection c = server.connect(db); Statement st = c.createStatement()) {
            for (String t : tables(server, db)) {
                try (ResultSet rs = st.executeQuery("CHECKSUM TABLE " + quote(t) + " EXTENDED")) {
                    rs.next();
                    sums.put(t, rs.getString(2));
                }
            }
        }
        return sums;
    }

    /** {@code SHOW CREATE} of every table, view, trigger, routine and event, the database name removed. */
    static Map<String, String> schema(MariaDbServer server, String db) throws SQLException {
        Map<String, String> result = new LinkedHashMap<>();
        List<String[]> objects = new ArrayList<>();
        strings(server, db, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1").forEach(n -> objects.add(new String[] {"TABLE", n}));
        strings(server, db, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_TYPE = 'SEQUENCE' ORDER BY 1").forEach(n -> objects.add(new String[] {"SEQUENCE", n}));
        strings(server, db, "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1")
                .forEach(n -> objects.add(new String[] {"VIEW", n}));
        strings(server, db, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"
                + " ORDER BY 1").forEach(n -> objects.add(new String[] {"TRIGGER", n}));
        strings(server, db, "SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()"
                + " AND ROUTINE_TYPE = 'PROCEDURE' ORDER BY 1").forEach(n -> objects.add(new String[] {"PROCEDURE", n}));
        strings(server, db, "SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()"
                + " AND ROUTINE_TYPE = 'FUNCTION' ORDER BY 1").forEach(n -> objects.add(new String[] {"FUNCTION", n}));
        strings(server, db, "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE() ORDER BY 1")
                .forEach(n -> objects.add(new String[] {"EVENT", n}));
        try (Connection c = server.connect(db); Statement st = c.createStatement()) {
            for (String[] o : objects) {
                try (ResultSet rs = st.executeQuery("SHOW CREATE " + o[0] + " " + quote(o[1]))) {
                    rs.next();
                    // column 2 is the statement, except for triggers, procedures, functions and events (3 or 4)
                    int column = switch (o[0]) {
                        case "TRIGGER", "PROCEDURE", "FUNCTION" -> 3;
                        case "EVENT" -> 4;
                        default -> 2;
                    };
                    result.put(o[0] + " " + o[1], rs.getString(column).replace(quote(db) + ".", ""));
                }
            }
        }
        return result;
    }

    static List<String> strings(MariaDbServer server, String db, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = server.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** Every regular file under a directory (a repository after a failed backup must have none). */
    static List<Path> files(Path dir) {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
