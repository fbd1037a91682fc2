package io.jenkins.plugins.dbbackup.engine.source.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How fast the row counter scans typical dump text on one core. The assertion is a floor far below the measured
 * figure (printed to the test output), so that a slow shared machine does not fail the build while a regression to
 * per-byte object work would.
 */
class MariaDbDumpRowCounterThroughputTest {
    private static final int STATEMENT_BYTES = 1 << 20;

    @Test
    void scansHundredsOfMegabytesPerSecond() {
        report("text rows", textRows());
        report("hex blobs", hexRows());
        double mixed = report("numbers", numberRows());
        assertThat(mixed).isGreaterThan(50);
    }

    private static double report(String what, byte[] block) {
        int repeats = Math.max(1, (64 << 20) / block.length);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        double best = 0;
        double bestCpu = 0;
        long rows = 0;
        for (int round = 0; round < 5; round++) {
            DumpRowCounter counter = new DumpRowCounter("db");
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            for (int r = 0; r < repeats; r++) {
                // 256 KiB reads, as the pump does
                for (int off = 0; off < block.length; off += 256 * 1024) {
                    counter.update(block, off, Math.min(256 * 1024, block.length - off));
                }
            }
            long nanos = System.nanoTime() - start;
            long cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
            double mib = (double) block.length * repeats / (1 << 20);
            best = Math.max(best, mib / (nanos / 1e9));
            bestCpu = Math.max(bestCpu, mib / (cpuNanos / 1e9));
            rows = counter.counts().values().stream().mapToLong(Long::longValue).sum();
        }
        // per CPU second as well: on a busy shared machine the wall clock says more about the neighbours
        System.out.printf(Locale.ROOT, "%s: %.0f MiB/s wall, %.0f MiB per CPU second (best of 5 over %d MiB, %d rows)%n",
                what, best, bestCpu, (long) block.length * repeats >> 20, rows);
        assertThat(rows).isPositive();
        return best;
    }

    /** Rows like {@code (1,'some text with \'escapes\'',NULL,'2026-11-22 03:04:05')}. */
    private static byte[] textRows() {
        Random random = new Random(1);
        return statements("t", id -> {
            StringBuilder s = new StringBuilder("(").append(id).append(",'");
            int n = 20 + random.nextInt(200);
            for (int i = 0; i < n; i++) {
                int c = random.nextInt(100);
                s.append(c < 2 ? "\\'" : c < 3 ? "\\\\" : c < 4 ? "\\n" : String.valueOf((char) ('a' + c % 26)));
            }
            return s.append("',NULL,'2026-11-22 03:04:05',").append(random.nextInt()).append(')').toString();
        });
    }

    /** Rows with {@code --hex-blob} values. */
    private static byte[] hexRows() {
        Random random = new Random(2);
        return statements("b", id -> {
            byte[] data = new byte[200 + random.nextInt(2000)];
            random.nextBytes(data);
            StringBuilder s = new StringBuilder("(").append(id).append(",0x");
            for (byte b : data) {
                s.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
            }
            return s.append(')').toString();
        });
    }

    /** Narrow numeric rows: the most row boundaries per byte. */
    private static byte[] numberRows() {
        Random random = new Random(3);
        return statements("n", id -> "(" + id + "," + random.nextInt(100000) + "," + random.nextDouble() + ",NULL)");
    }

    private static byte[] statements(String table, java.util.function.IntFunction<String> row) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("CREATE TABLE `" + table + "` (x int);\n").getBytes(StandardCharsets.UTF_8));
        int id = 0;
        while (out.size() < 16 * STATEMENT_BYTES) {
            StringBuilder statement = new StringBuilder("INSERT INTO `" + table + "` VALUES ");
            while (statement.length() < STATEMENT_BYTES) {
                if (statement.charAt(statement.length() - 1) == ')') {
                    statement.append(",\n");
                }
                statement.append(row.apply(++id));
            }
            out.writeBytes(statement.append(";\n").toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
