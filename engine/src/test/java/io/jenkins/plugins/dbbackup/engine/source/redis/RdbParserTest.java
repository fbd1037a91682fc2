package io.jenkins.plugins.dbbackup.engine.source.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.testsupport.RedisClient;
import io.jenkins.plugins.dbbackup.testsupport.RedisServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The streaming RDB parser against real RDB files written by redis-server, and against damaged and hostile ones. */
class RdbParserTest {
    private static RedisServer server;
    private static byte[] rdb;
    private static Map<Integer, Integer> seeded;

    @BeforeAll
    static void writeRealRdb() throws IOException {
        server = RedisServer.start();
        try (RedisClient c = server.client()) {
            seeded = RedisTestData.seedEveryType(c);
        }
        rdb = RedisTestData.save(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void crc64MatchesRedisCheckValue() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc64.update(0, check, 0, check.length)).isEqualTo(0xe9c6d914c4b8d9caL);
        Crc64 bytewise = new Crc64();
        for (byte b : check) {
            bytewise.update(b);
        }
        assertThat(bytewise.value()).isEqualTo(0xe9c6d914c4b8d9caL);
        byte[] random = new byte[10_000];
        new Random(1).nextBytes(random);
        long whole = Crc64.update(0, random, 0, random.length);
        long split = Crc64.update(Crc64.update(0, random, 0, 4321), random, 4321, random.length - 4321);
        assertThat(split).isEqualTo(whole);
    }

    @Test
    void countsEveryKeyOfARealRdbWhateverTheChunkSizes() throws IOException {
        assertThat(new String(rdb, 0, 9, StandardCharsets.US_ASCII)).isEqualTo("REDIS0010");
        for (int seed = 0; seed < 20; seed++) {
            int maxChunk = seed < 10 ? 1 + seed : 1 + new Random(seed).nextInt(200_000);
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            RdbSummary summary = RdbParser.parse(RedisTestData.randomChunks(rdb, seed, maxChunk), copy::write,
                    new RdbParser.Visitor() {}, null);
            assertThat(copy.toByteArray()).as("the sink sees every byte").isEqualTo(rdb);
            assertThat(summary.rdbVersion()).isEqualTo(10);
            assertThat(summary.keysPerDatabase()).containsOnlyKeys(0, 3, 15);
            seeded.forEach((db, n) -> assertThat(summary.keysPerDatabase().get(db)).isEqualTo(n.longValue()));
            assertThat(summary.expiresPerDatabase()).containsEntry(0, 3L).containsEntry(3, 3L).containsEntry(15, 3L);
            assertThat(summary.functionLibraries()).isEqualTo(1);
            assertThat(summary.checksumPresent()).isTrue();
            assertThat(summary.bytes()).isEqualTo(rdb.length);
            assertThat(summary.auxiliary()).containsEntry("redis-ver", server.version());
        }
        assertThat(RdbParser.scan(new ByteArrayInputStream(rdb)).manifestCounts())
                .containsEntry("db0", seeded.get(0).longValue()).containsEntry("db0.expires", 3L);
    }

    @Test
    void capturesEachValueAsTheDumpCommandSerializesIt() throws IOException {
        // the DUMP payload is the value serialization + version + CRC; ours must match byte for byte
        try (RedisClient c = server.client()) {
            RdbParser.parse(new ByteArrayInputStream(rdb), null, new RdbParser.Visitor() {
                @Override
                public boolean wantsValues() {
                    return true;
                }

                @Override
                public void key(RdbParser.KeyEntry entry) throws IOException {
                    c.select(entry.db());
                    byte[] dump = (byte[]) c.command("DUMP".getBytes(), entry.key());
                    ByteArrayOutputStream ours = new ByteArrayOutputStream();
                    entry.value().writeTo(ours);
                    assertThat(Arrays.copyOf(dump, dump.length - 10)).as(KeyReplayer.printable(entry.key()))
                            .isEqualTo(ours.toByteArray());
                }
            }, null);
        }
    }

    @Test
    void truncatedRdbFailsClearlyAtEveryCut() {
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            int cut = i < 20 ? i : random.nextInt(rdb.length);
            byte[] truncated = Arrays.copyOf(rdb, cut);
            assertThatThrownBy(() -> RdbParser.scan(new ByteArrayInputStream(truncated)))
                    .as("cut at %d", cut).isInstanceOf(RdbFormatException.class)
                    .message().satisfiesAnyOf(
                            m -> assertThat(m).contains("ends early"),
                            m -> assertThat(m).contains("not an RDB"),
                            m -> assertThat(m).contains("corrupt RDB data"));
        }
        byte[] lastByteMissing = Arrays.copyOf(rdb, rdb.length - 1);
        assertThatThrownBy(() -> RdbParser.scan(new ByteArrayInputStream(lastByteMissing)))
                .isInstanceOf(RdbFormatException.class).hasMessageContaining("ends early");
    }

    @Test
    void flippedBytesNeverPass() {
        Random random = new Random(11);
        for (int i = 0; i < 300; i++) {
            byte[] damaged = rdb.clone();
            int at = 9 + random.nextInt(rdb.length - 9);
            damaged[at] ^= (byte) (1 << random.nextInt(8));
            assertThatThrownBy(() -> RdbParser.scan(new ByteArrayInputStream(damaged)))
                    .as("flip at %d", at).isInstanceOf(RdbFormatException.class);
        }
        byte[] damaged = rdb.clone();
        int inRandomValue = indexOf(rdb, "db3:random".getBytes(StandardCharsets.US_ASCII)) + 5000;
        damaged[inRandomValue] ^= 1; // inside an opaque string: only the checksum can tell
        assertThatThrownBy(() -> RdbParser.scan(new ByteArrayInputStream(damaged)))
                .isInstanceOf(RdbFormatException.class).hasMessageContaining("checksum does not match");
    }

    @Test
    void trailingBytesAfterTheChecksumAreRefused() {
        byte[] longer = Arrays.copyOf(rdb, rdb.length + 1);
        assertThatThrownBy(() -> RdbParser.scan(new ByteArrayInputStream(longer)))
                .isInstanceOf(RdbFormatException.class).hasMessageContaining("follow the end");
    }

    @Test
    void hostileLengthsFailWithoutHugeAllocations() {
        long heapBefore = usedHeap();
        // a string of 2^62 bytes, a list of 2^62 elements, a compressed key claiming 4 GiB
        byte[][] hostile = {
            rdb(0x00, bytes(0x05, 'k', 'e', 'y', '-', '1'), bytes(0x81, 0x40, 0, 0, 0, 0, 0, 0, 0), bytes('x')),
            rdb(0x01, bytes(0x01, 'l'), bytes(0x81, 0x40, 0, 0, 0, 0, 0, 0, 0), bytes(0x01, 'a')),
            rdb(0x00, bytes(0xC3, 0x02, 0x80, 0xff, 0xff, 0xff, 0xff), bytes(0x01, 'a')),
            rdb(0xFE, bytes(0x81, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)),
            rdb(0x00, bytes(0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)),
            // an auxiliary field (read even when only counting) of 2 compressed bytes claiming 500,000,000 plain
            rdb(0xFA, bytes(0xC3, 0x02, 0x80, 0x1d, 0xcd, 0x65, 0x00, 0x00, 'a'), bytes(0x01, 'v')),
        };
        for (byte[] data : hostile) {
            assertThatThrownBy(() -> RdbParser.scan(new ByteArrayInputStream(data))).isInstanceOf(RdbFormatException.class);
            assertThatThrownBy(() -> RdbParser.parse(new ByteArrayInputStream(data), null, new RdbParser.Visitor() {
                @Override
                public boolean wantsValues() {
                    return true;
                }
            }, null)).isInstanceOf(RdbFormatException.class);
        }
        assertThat(usedHeap() - heapBefore).isLessThan(64L * 1024 * 1024);
    }

    /** Before the guard, the output array was allocated from the claimed length: 500 MB for 2 bytes of input. */
    @Test
    void aCompressedLengthLZFCannotReachIsRefusedBeforeAllocating() {
        byte[] aux = rdb(0xFA, bytes(0xC3, 0x02, 0x80, 0x1d, 0xcd, 0x65, 0x00, 0x00, 'a'), bytes(0x01, 'v'));
        assertThatThrownBy(() -> RdbParser.scan(new ByteArrayInputStream(aux)))
                .isInstanceOf(RdbFormatException.class)
                .hasMessageContaining("a compressed string of 2 bytes claims to expand to 500000000 bytes");
        // a key is read (and decompressed) only when a restore captures values
        byte[] key = rdb(0x00, bytes(0xC3, 0x02, 0x80, 0x1d, 0xcd, 0x65, 0x00, 0x00, 'a'), bytes(0x01, 'v'));
        assertThatThrownBy(() -> RdbParser.parse(new ByteArrayInputStream(key), null, new RdbParser.Visitor() {
            @Override
            public boolean wantsValues() {
                return true;
            }
        }, null)).isInstanceOf(RdbFormatException.class).hasMessageContaining("claims to expand to 500000000 bytes");
    }

    @Test
    void moduleDataIsRefusedWithTheModuleName() {
        // module id: "ReJSON-RL" in nine 6-bit characters, encoding version 3 in the low 10 bits
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        long id = 0;
        for (char ch : "ReJSON-RL".toCharArray()) {
            id = (id << 6) | chars.indexOf(ch);
        }
        id = (id << 10) | 3;
        byte[] idBytes = new byte[9];
        idBytes[0] = (byte) 0x81;
        for (int i = 0; i < 8; i++) {
            idBytes[1 + i] = (byte) (id >>> (56 - 8 * i));
        }
        byte[] data = rdb(0x07, bytes(0x03, 'd', 'o', 'c'), idBytes, bytes(0x00));
        assertThatThrownBy(() -> RdbParser.scan(new ByteArrayInputStream(data)))
                .isInstanceOf(RdbFormatException.class).hasMessageContaining("module type 'ReJSON-RL'");
    }

    @Test
    void newerVersionsAndUnknownTypesAreRefusedClearly() {
        byte[] v99 = rdb(0xFF);
        System.arraycopy("REDIS0099".getBytes(StandardCharsets.US_ASCII), 0, v99, 0, 9);
        assertThatThrownBy(() -> RdbParser.scan(new ByteArrayInputStream(v99)))
                .isInstanceOf(RdbFormatException.class).hasMessageContaining("version 99 is not supported");
        assertThatThrownBy(() -> RdbParser.scan(new ByteArrayInputStream(rdb(0x1A, bytes(0x01, 'k')))))
                .isInstanceOf(RdbFormatException.class).hasMessageContaining("unknown record type 26");
        assertThatThrownBy(() -> RdbParser.scan(new ByteArrayInputStream("PGDMP....".getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(RdbFormatException.class).hasMessageContaining("not an RDB");
    }

    @Test
    void handBuiltRdbOfEveryOpcodeParses() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(bytes(0xFA, 0x03, 'a', 'u', 'x', 0xC0, 0x07)); // aux with an int-encoded value
        body.writeBytes(bytes(0xFE, 0x02, 0xFB, 0x02, 0x01)); // select db 2, resize hint 2/1 (hints only)
        body.writeBytes(bytes(0xF4, 0x01, 0x02, 0x03)); // slot info
        body.writeBytes(bytes(0xFC, 1, 2, 3, 4, 5, 6, 0, 0)); // expiry in ms
        body.writeBytes(bytes(0xF8, 0x05, 0xF9, 0x07)); // idle, freq
        body.writeBytes(bytes(0x00, 0x01, 'a', 0xC1, 0x34, 0x12)); // "a" = int16
        body.writeBytes(bytes(0xFD, 1, 0, 0, 0)); // expiry in seconds
        body.writeBytes(bytes(0x03, 0x01, 'z', 0x02, 0x01, 'm', 0x01, '1', 0x01, 'n', 0xFE)); // zset v1, +inf
        body.writeBytes(bytes(0x18, 0x01, 'h', 1, 2, 3, 4, 5, 6, 7, 0, 0x01, 0x00, 0x01, 'f', 0x01, 'v')); // hash, field TTLs
        body.writeBytes(bytes(0x19, 0x01, 'l', 1, 2, 3, 4, 5, 6, 7, 0, 0x01, 'x')); // hash listpack with TTLs
        body.writeBytes(bytes(0x03, 0x01, 'y')); // key "y" of type...
        byte[] data = rdb(body.toByteArray());
        // the last record is cut on purpose: "y" has type zset and no content yet
        assertThatThrownBy(() -> RdbParser.scan(new ByteArrayInputStream(data))).isInstanceOf(RdbFormatException.class);
        byte[] complete = rdb(Arrays.copyOf(body.toByteArray(), body.size() - 3));
        RdbSummary summary = RdbParser.scan(new ByteArrayInputStream(complete));
        assertThat(summary.keysPerDatabase()).containsExactly(Map.entry(2, 4L));
        assertThat(summary.expiresPerDatabase()).containsExactly(Map.entry(2, 2L));
        assertThat(summary.auxiliary()).containsEntry("aux", "7");
    }

    @Test
    void streamOfRedis72WithConsumerActiveTimesParses() throws IOException {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        v.writeBytes(bytes(0x01, 'x')); // key "x"
        v.writeBytes(bytes(0x01, 0x10));
        v.writeBytes(new byte[16]); // node key: master entry id
        v.writeBytes(bytes(0x03, 1, 2, 3)); // listpack (opaque here)
        v.writeBytes(bytes(0x05, 0x01, 0x02)); // length, last id
        v.writeBytes(bytes(0x01, 0x00, 0x00, 0x00, 0x05)); // first id, max deleted id, entries added
        v.writeBytes(bytes(0x01, 0x01, 'g', 0x01, 0x02, 0x03)); // one group "g": last id, entries read
        v.writeBytes(bytes(0x01)); // group PEL: one entry
        v.writeBytes(new byte[16 + 8]);
        v.writeBytes(bytes(0x01)); // delivery count
        v.writeBytes(bytes(0x01, 0x01, 'c')); // one consumer "c"
        v.writeBytes(new byte[8 + 8]); // seen time, active time (type 21 only)
        v.writeBytes(bytes(0x01));
        v.writeBytes(new byte[16]); // consumer PEL: one id
        byte[] value = v.toByteArray();
        RdbSummary summary = RdbParser.scan(new ByteArrayInputStream(rdb(21, value)));
        assertThat(summary.keysPerDatabase()).containsExactly(Map.entry(0, 1L));
        // read as the older stream type, the same bytes do not line up
        assertThatThrownBy(() -> RdbParser.scan(new ByteArrayInputStream(rdb(19, value))))
                .isInstanceOf(RdbFormatException.class);
        // a set as listpack (Redis 7.2) is one opaque string
        assertThat(RdbParser.scan(new ByteArrayInputStream(rdb(20, bytes(0x01, 's', 0x02, 9, 9))))
                .keysPerDatabase()).containsExactly(Map.entry(0, 1L));
    }

    @Test
    void lzfRoundTripsAgainstRedisCompression() throws IOException {
        // the 300-byte key is stored LZF-compressed; reading keys decompresses it
        boolean[] found = {false};
        RdbParser.parse(new ByteArrayInputStream(rdb), null, new RdbParser.Visitor() {
            @Override
            public boolean wantsValues() {
                return true;
            }

            @Override
            public void key(RdbParser.KeyEntry entry) {
                if (new String(entry.key(), StandardCharsets.UTF_8).equals("k".repeat(300) + "db3:")) {
                    found[0] = true;
                }
            }
        }, null);
        assertThat(found[0]).isTrue();
        assertThat(indexOf(rdb, ("k".repeat(300)).getBytes(StandardCharsets.US_ASCII))).as("stored compressed").isEqualTo(-1);
    }

    /** An RDB version 10 file of the given body bytes, with EOF and a correct checksum. */
    static byte[] rdb(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("REDIS0010".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        out.write(0xFF);
        long crc = Crc64.update(0, out.toByteArray(), 0, out.size());
        for (int i = 0; i < 8; i++) {
            out.write((int) (crc >>> (8 * i)) & 0xff);
        }
        return out.toByteArray();
    }

    static byte[] rdb(int type, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(type);
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        return rdb(body.toByteArray());
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static int indexOf(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i <= data.length - part.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    @SuppressWarnings("unused")
    private static InputStream stream(byte[] b) {
        return new ByteArrayInputStream(b);
    }
}
