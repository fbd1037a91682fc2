package io.jenkins.plugins.dbbackup.engine.source.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.dbbackup.engine.source.DatabaseSource;
import io.jenkins.plugins.dbbackup.testsupport.RedisClient;
import io.jenkins.plugins.dbbackup.testsupport.RedisServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput of the Java replication client and parser against {@code redis-cli --rdb} on the same server, in the
 * same run. Off by default: {@code -Dredis.bench=true} (and optionally {@code -Dredis.bench.keys=N}).
 */
@EnabledIfSystemProperty(named = "redis.bench", matches = "true")
class RedisThroughputBenchTest {
    @TempDir
    Path temp;

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** User + system CPU seconds of the redis-server listening on {@code port}, from /proc. */
    private static double serverCpuSeconds(int port) throws java.io.IOException {
        try (var procs = java.nio.file.Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String cmd;
                try {
                    cmd = new String(java.nio.file.Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                } catch (java.io.IOException e) {
                    continue;
                }
                if (cmd.contains("redis-server") && cmd.contains("--port " + port)) {
                    String[] f = java.nio.file.Files.readString(p.resolve("stat")).replaceAll(".*\\) ", "").split(" ");
                    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
                }
            }
        }
        return Double.NaN;
    }

    private static String read(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void snapshotThroughputAgainstRedisCli() throws Exception {
        int keys = Integer.getInteger("redis.bench.keys", 1_000_000);
        try (RedisServer server = RedisServer.start(RedisServer.Options.defaults().set("enable-debug-command", "yes"));
                RedisServer target = RedisServer.start()) {
            int randomMegabytes = Integer.getInteger("redis.bench.randomMegabytes", 0);
            if (randomMegabytes > 0) {
                RedisSourceTest.fill(server, randomMegabytes); // incompressible 1 MB values
                keys = randomMegabytes;
            }
            try (RedisClient c = server.client()) {
                if (randomMegabytes == 0) {
                    c.command("DEBUG", "POPULATE", Integer.toString(keys), "key", "500");
                }
                c.command("SAVE");
            }
            long rdbBytes = java.nio.file.Files.size(server.dataDir().resolve("dump.rdb"));
            RedisSource redis = new RedisSource(RedisTestData.connection(server), temp);
            List<String> lines = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                ProcessBuilder pb = new ProcessBuilder(server.binDir().resolve("redis-cli").toString(), "-h",
                        server.host(), "-p", Integer.toString(server.port()), "--no-auth-warning", "--rdb", temp.resolve("cli.rdb").toString());
                pb.environment().put("REDISCLI_AUTH", server.password());
                pb.redirectErrorStream(true).redirectOutput(temp.resolve("cli.log").toFile());
                assertThat(pb.start().waitFor()).as(() -> read(temp.resolve("cli.log"))).isZero();
                long cli = System.nanoTime() - t0;

                t0 = System.nanoTime();
                long bytes;
                try (DatabaseSource.RunningDump dump = redis.startDump(redis.inspect())) {
                    try (InputStream in = dump.stream()) {
                        bytes = in.transferTo(OutputStream.nullOutputStream());
                    }
                    assertThat(dump.finish().keysPerDatabase()).containsEntry("db0", (long) keys);
                }
                long ours = System.nanoTime() - t0;
                lines.add(String.format("round %d: %d keys, %.0f MB RDB: redis-cli --rdb %.2f s (%.0f MB/s),"
                        + " Java replication + parse + CRC %.2f s (%.0f MB/s), ratio %.2f", round, keys,
                        bytes / 1e6, cli / 1e9, rdbBytes / 1e6 / (cli / 1e9), ours / 1e9, bytes / 1e6 / (ours / 1e9),
                        (double) ours / cli));
            }
            // restore by RESTORE commands of the same snapshot
            java.nio.file.Path file = server.dataDir().resolve("dump.rdb");
            for (int round = 0; round < 3; round++) {
                long p0 = System.nanoTime();
                try (InputStream in = java.nio.file.Files.newInputStream(file)) {
                    RdbParser.parse(in, null, new RdbParser.Visitor() {
                        @Override
                        public boolean wantsValues() {
                            return true;
                        }
                    }, temp);
                }
                lines.add(String.format("parse with value capture only: %.2f s", (System.nanoTime() - p0) / 1e9));
                java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
                long cpu0 = threads.getCurrentThreadCpuTime();
                try (InputStream in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file))) {
                    RdbParser.scan(in);
                }
                double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
                lines.add(String.format("scan (count + CRC-64) of the file: %.2f s CPU, %.0f MB per CPU second", cpu,
                        rdbBytes / 1e6 / cpu));
            }
            double serverCpu0 = serverCpuSeconds(target.port());
            long jvmCpu0 = jvmCpuNanos();
            long t0 = System.nanoTime();
            try (InputStream in = java.nio.file.Files.newInputStream(file)) {
                new RedisSource(RedisTestData.connection(target), temp)
                        .restore(in, new DatabaseSource.RestoreOptions(false, 1, false, false));
            }
            long restore = System.nanoTime() - t0;
            lines.add(String.format("restore by RESTORE: %d keys in %.2f s (%.0f keys/s, %.0f MB/s);"
                    + " CPU: redis-server %.2f s, this JVM %.2f s", keys,
                    restore / 1e9, keys / (restore / 1e9), rdbBytes / 1e6 / (restore / 1e9),
                    serverCpuSeconds(target.port()) - serverCpu0, (jvmCpuNanos() - jvmCpu0) / 1e9));
            lines.forEach(System.out::println);
        }
    }
}
