package io.jenkins.plugins.dbbackup.engine.source.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pure helpers of the MariaDB source: versions, option values, batch output, database lists, the marker. */
class MariaDbToolsTest {

    @Test
    void toolVersions() {
        assertThat(MariaDbTools.parseToolVersion(
                "mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)\n"))
                .isEqualTo("10.11.19-MariaDB");
        assertThat(MariaDbTools.parseToolVersion(
                "mariadb-dump from 11.4.2-MariaDB, client 10.19 for Linux (x86_64)\n")).isEqualTo("11.4.2-MariaDB");
        assertThat(MariaDbTools.parseToolVersion("mysqldump  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server"
                + " - GPL)\n")).isEqualTo("8.0.36");
        assertThat(MariaDbTools.parseToolVersion("mysql  Ver 15.1 Distrib 10.5.23-MariaDB, for debian-linux-gnu"))
                .isEqualTo("10.5.23-MariaDB");
    }

    @Test
    void serverVersions() {
        assertThat(MariaDbSource.serverVersion("10.11.19-MariaDB-0+deb12u1")).isEqualTo("10.11.19-MariaDB");
        assertThat(MariaDbSource.serverVersion("11.4.2-MariaDB-log")).isEqualTo("11.4.2-MariaDB");
        assertThat(MariaDbSource.serverVersion("8.0.36-0ubuntu0.22.04.1")).isEqualTo("8.0.36");
        assertThat(MariaDbSource.serverVersion("8.4.0")).isEqualTo("8.4.0");
    }

    @Test
    void versionComparison() {
        assertThat(MariaDbSource.versionAtLeast("10.11.19-MariaDB", 11, 3)).isFalse();
        assertThat(MariaDbSource.versionAtLeast("11.3.0-MariaDB", 11, 3)).isTrue();
        assertThat(MariaDbSource.versionAtLeast("11.10.1-MariaDB", 11, 3)).isTrue();
        assertThat(MariaDbSource.versionAtLeast("12.0.1-MariaDB", 11, 3)).isTrue();
        assertThat(MariaDbSource.versionAtLeast("garbage", 11, 3)).isFalse();
    }

    @Test
    void optionValuesAreQuotedAndEscaped() {
        assertThat(MariaDbTools.optionValue("plain")).isEqualTo("\"plain\"");
        assertThat(MariaDbTools.optionValue("a\"b\\c d#e;f'g=h\ti\nj"))
                .isEqualTo("\"a\\\"b\\\\c d#e;f'g=h\\ti\\nj\"");
    }

    @Test
    void errorCodesAreWholeNumbers() {
        assertThat(MariaDbTools.code("error 1045 (28000): access denied", 1045)).isTrue();
        assertThat(MariaDbTools.code("mariadb-dump: got error: 1049: \"unknown database 'x'\"", 1049)).isTrue();
        assertThat(MariaDbTools.code("mariadb-dump: error 2013: lost connection", 2013)).isTrue();
        assertThat(MariaDbTools.code("error 2013: lost connection when dumping table `big` at row: 104469", 1044))
                .isFalse();
        assertThat(MariaDbTools.code("error 10445: other", 1044)).isFalse();
    }

    @Test
    void longSummaryPartsAreCut() {
        String row = "INSERT INTO t VALUES " + "(1,'secret data'),".repeat(100);
        String cut = MariaDbTools.shorten(row + " | ERROR 1062 (23000) at line 30: Duplicate entry");
        assertThat(cut).hasSizeLessThan(400).endsWith("... | ERROR 1062 (23000) at line 30: Duplicate entry");
    }

    @Test
    void batchOutputIsUnescaped() {
        List<String[]> rows = MariaDbTools.rows("a\\tb\tc\\\\d\n\\0x\tn\\ny\n\n");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly("a\tb", "c\\d");
        assertThat(rows.get(1)).containsExactly("\0x", "n\ny");
    }

    @Test
    void literalsAreHex() {
        assertThat(MariaDbTools.literal("a'b")).isEqualTo("CONVERT(0x612762 USING utf8mb4)");
        assertThat(MariaDbTools.literal("")).isEqualTo("''");
        assertThat(MariaDbTools.quoteName("we`ird")).isEqualTo("`we``ird`");
    }

    @Test
    void databaseLists() {
        assertThat(MariaDbSource.databases("shop")).containsExactly("shop");
        assertThat(MariaDbSource.databases(" shop , billing ")).containsExactly("shop", "billing");
        assertThatThrownBy(() -> MariaDbSource.databases("a,,b")).hasMessageContaining("empty name");
        assertThatThrownBy(() -> MariaDbSource.databases("a,b,a")).hasMessageContaining("names a twice");
    }

    @Test
    void completionMarker() {
        assertThat(marker("...\n/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;\n\n-- Dump completed on 2026-11-22  3:44:16\n"))
                .isTrue();
        assertThat(marker("-- Dump completed\n")).isTrue();
        assertThat(marker("-- Dump completed on 2026-11-22\nINSERT INTO t VALUES (1);\n")).isFalse();
        assertThat(marker("INSERT INTO t VALUES (1),(2")).isFalse();
        assertThat(marker("")).isFalse();
    }

    private static boolean marker(String tail) {
        return MariaDbSource.endsWithCompletionMarker(tail.getBytes(StandardCharsets.UTF_8));
    }
}
