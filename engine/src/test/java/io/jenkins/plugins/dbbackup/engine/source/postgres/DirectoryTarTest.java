package io.jenkins.plugins.dbbackup.engine.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryTarTest {
    @TempDir
    Path dir;

    private Path sampleDirectory() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("toc.dat"), "PGDMP table of contents");
        Files.write(src.resolve("3391.dat"), new byte[0]);
        byte[] big = new byte[DirectoryTar.RECORD * 3 + 17];
        new Random(7).nextBytes(big);
        Files.write(src.resolve("3392.dat"), big);
        Files.write(src.resolve("3393.dat"), new byte[DirectoryTar.BLOCK]);
        return src;
    }

    @Test
    void roundTripKeepsEveryFileAndFillsWholeRecords() throws Exception {
        Path src = sampleDirectory();
        byte[] tar;
        try (InputStream in = DirectoryTar.stream(src)) {
            tar = in.readAllBytes();
        }
        assertThat(tar.length % DirectoryTar.RECORD).isZero();
        Path out = Files.createDirectories(dir.resolve("out"));
        List<String> names = DirectoryTar.extract(new ByteArrayInputStream(tar), out);
        assertThat(names).containsExactly("3391.dat", "3392.dat", "3393.dat", "toc.dat");
        for (String name : names) {
            assertThat(Files.readAllBytes(out.resolve(name))).as(name).isEqualTo(Files.readAllBytes(src.resolve(name)));
        }
    }

    @Test
    void gnuTarReadsTheStream() throws Exception {
        Path src = sampleDirectory();
        Path tarFile = dir.resolve("d.tar");
        try (InputStream in = DirectoryTar.stream(src)) {
            Files.copy(in, tarFile);
        }
        Path out = Files.createDirectories(dir.resolve("gnu"));
        Process p = new ProcessBuilder("tar", "-xf", tarFile.toString(), "-C", out.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        assertThat(output).isEmpty();
        assertThat(Files.readAllBytes(out.resolve("3392.dat"))).isEqualTo(Files.readAllBytes(src.resolve("3392.dat")));
    }

    @Test
    void extractionRefusesPathsOutsideTheDirectoryAndLinks() throws Exception {
        Path evil = Files.createDirectories(dir.resolve("evil"));
        Files.writeString(evil.resolve("x"), "boom");
        Path tarFile = dir.resolve("evil.tar");
        Process p = new ProcessBuilder("tar", "-cf", tarFile.toString(), "-C", evil.toString(), "--transform",
                "s,^x,../escaped,", "x").redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        Path out = Files.createDirectories(dir.resolve("out"));
        assertThatThrownBy(() -> DirectoryTar.extract(Files.newInputStream(tarFile), out))
                .isInstanceOf(BackupException.class).hasMessageContaining("../escaped");
        assertThat(dir.resolve("escaped")).doesNotExist();
    }

    @Test
    void truncatedStreamIsReportedAsCutOff() throws Exception {
        byte[] tar;
        try (InputStream in = DirectoryTar.stream(sampleDirectory())) {
            tar = in.readAllBytes();
        }
        Path out = Files.createDirectories(dir.resolve("out"));
        assertThatThrownBy(() -> DirectoryTar.extract(new ByteArrayInputStream(tar, 0, 4000), out))
                .isInstanceOf(BackupException.class).hasMessageContaining("cut off");
    }

    @Test
    void paxRecordLengthCountsItsOwnDigits() {
        for (String value : List.of("8589934592", "1", "123456789012345678")) {
            byte[] record = DirectoryTar.paxRecord("size", value);
            String text = new String(record, StandardCharsets.UTF_8);
            assertThat(Integer.parseInt(text.substring(0, text.indexOf(' ')))).isEqualTo(record.length);
        }
    }
}
