package io.jenkins.plugins.dbbackup.engine.codec;

import static io.jenkins.plugins.dbbackup.engine.crypto.TestKeys.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.dbbackup.engine.crypto.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM with a 64 MiB heap pushes gigabytes through zstd, OpenPGP to a key and a passphrase, and both digests:
 * nothing in the pipeline may hold the object in memory. 1 GiB by default to keep the suite short on a shared
 * 2-core machine; 6 GB (past every int counter, several times the heap) with {@code -Ddbbackup.largeTests=true}.
 */
class BoundedMemoryTest {
    static final long TOTAL = Boolean.getBoolean("dbbackup.largeTests") ? 6_000_000_011L : (1L << 30) + 12_345;

    @TempDir
    Path dir;

    @Test
    void gigabytesThroughTheFullPipelineIn64MiBOfHeap() throws Exception {
        Path key = dir.resolve("alice.asc");
        Files.write(key, TestKeys.get().publicKey(ALICE));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), PipelineStress.class.getName(),
                Long.toString(TOTAL), "3", "0", key.toString(), "stress passphrase"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("finished in time").isTrue();
        String out = Files.readString(dir.resolve("out.txt"));
        assertThat(p.exitValue()).as(out).isZero();
        String[] fields = out.lines().filter(l -> l.startsWith("ok ")).findFirst().orElseThrow().split(" ");
        assertThat(Long.parseLong(fields[1])).isEqualTo(TOTAL);
        assertThat(Long.parseLong(fields[2])).isPositive();
        System.out.println("bounded-memory pipeline: " + String.join(" ", fields) + " (MB/s in field 4)"
               );
    }
}
