package io.jenkins.plugins.dbbackup.engine.source.redis;

import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.testsupport.RedisClient;
import io.jenkins.plugins.dbbackup.testsupport.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Seeds Redis servers with every data type and reads their content back for comparison. */
final class RedisTestData {
    static final String FUNCTION_LIBRARY = "#!lua name=dbbackuplib\n"
            + "redis.register_function('dbbackup_answer', function(keys, args) return 42 end)";

    private RedisTestData() {}

    static DatabaseConnection connection(RedisServer server) {
        return new DatabaseConnection(DatabaseType.REDIS, server.host(), server.port(), null, null,
                Secret.of(server.password()));
    }

    /**
     * Keys of every type and encoding in databases 0, 3 and 15, some with an expiry, binary keys and values, a long
     * compressible key (LZF in the RDB), and a function library. Returns the number of keys per database.
     */
    static Map<Integer, Integer> seedEveryType(RedisClient c) {
        Map<Integer, Integer> counts = new TreeMap<>();
        Random random = new Random(42);
        for (int db : new int[] {0, 3, 15}) {
            c.select(db);
            int before = ((Long) c.command("DBSIZE")).intValue();
            String p = "db" + db + ":";
            c.command("SET", p + "string", "hello world");
            c.command("SET", p + "int", "12345");
            c.command("SET", p + "negative-int", "-70000");
            c.command("SET", p + "long-compressible", "abc".repeat(2000));
            c.command(("SET").getBytes(), binary(p, 0, 256), allBytes(1024));
            byte[] randomValue = new byte[100_000];
            random.nextBytes(randomValue);
            c.command("SET".getBytes(), (p + "random").getBytes(StandardCharsets.UTF_8), randomValue);
            c.command("SET", "k".repeat(300) + p, "a key long enough to be LZF-compressed");
            c.command("RPUSH", p + "list-small", "a", "b", "1", "-2", "");
            List<String> big = new ArrayList<>(List.of("RPUSH", p + "list-big"));
            for (int i = 0; i < 2000; i++) {
                big.add("element-" + i + "-" + "x".repeat(i % 70));
            }
            c.command(big.toArray(new String[0]));
            c.command("RPUSH", p + "list-plain-node", "y".repeat(20_000)); // a plain quicklist node
            c.command("SADD", p + "set-intset", "1", "2", "3", "-100", "1000000000000");
            c.command("SADD", p + "set-small", "red", "green", "blue");
            List<String> bigSet = new ArrayList<>(List.of("SADD", p + "set-big"));
            for (int i = 0; i < 1000; i++) {
                bigSet.add("member-" + i);
            }
            c.command(bigSet.toArray(new String[0]));
            c.command("ZADD", p + "zset-small", "1", "one", "2.5", "two-and-a-half", "-inf", "minus", "+inf", "plus");
            List<String> bigZset = new ArrayList<>(List.of("ZADD", p + "zset-big"));
            for (int i = 0; i < 500; i++) {
                bigZset.add(Double.toString(i * 1.25 - 7));
                bigZset.add("zmember-" + i + "-" + "z".repeat(80));
            }
            c.command(bigZset.toArray(new String[0]));
            c.command("HSET", p + "hash-small", "f1", "v1", "f2", "2", "f3", "");
            List<String> bigHash = new ArrayList<>(List.of("HSET", p + "hash-big"));
            for (int i = 0; i < 1000; i++) {
                bigHash.add("field-" + i);
                bigHash.add("value-" + "v".repeat(i % 100));
            }
            c.command(bigHash.toArray(new String[0]));
            c.command("HSET".getBytes(), (p + "hash-binary").getBytes(StandardCharsets.UTF_8), allBytes(40), allBytes(300));
            String stream = p + "stream";
            for (int i = 0; i < 300; i++) {
                c.command("XADD", stream, "*", "n", Integer.toString(i), "payload", "p".repeat(i % 50));
            }
            c.command("XGROUP", "CREATE", stream, "group-a", "0");
            c.command("XGROUP", "CREATE", stream, "group-b", "$");
            c.command("XREADGROUP", "GROUP", "group-a", "alice", "COUNT", "5", "STREAMS", stream, ">");
            c.command("XREADGROUP", "GROUP", "group-a", "bob", "COUNT", "3", "STREAMS", stream, ">");
            c.command("XADD", p + "stream-empty-after-trim", "*", "a", "b");
            c.command("XTRIM", p + "stream-empty-after-trim", "MAXLEN", "0");
            c.command("SET", p + "expiring", "soon", "PX", "3600000");
            c.command("HSET", p + "expiring-hash", "a", "b");
            c.command("PEXPIREAT", p + "expiring-hash", Long.toString(System.currentTimeMillis() + 7_200_000));
            c.command("SET", p + "expiring-seconds", "x", "EX", "86400");
            counts.put(db, ((Long) c.command("DBSIZE")).intValue() - before);
        }
        c.select(0);
        c.command("FUNCTION", "LOAD", "REPLACE", FUNCTION_LIBRARY);
        return counts;
    }

    static byte[] binary(String prefix, int from, int length) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[p.length + length];
        System.arraycopy(p, 0, key, 0, p.length);
        for (int i = 0; i < length; i++) {
            key[p.length + i] = (byte) (from + i);
        }
        return key;
    }

    static byte[] allBytes(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    /**
     * The content of every database: db → hex(key) → "type|expiry|value digest", where expiry is the absolute expiry
     * in milliseconds ({@code PEXPIRETIME}) and the value is read with type-specific commands (ordered where the type
     * is unordered), so two servers holding the same data compare equal whatever their encodings.
     */
    static Map<Integer, Map<String, String>> content(RedisClient c) {
        Map<Integer, Map<String, String>> all = new TreeMap<>();
        for (int db = 0; db < 16; db++) {
            c.select(db);
            Map<String, String> keys = new TreeMap<>();
            String cursor = "0";
            do {
                List<?> reply = (List<?>) c.command("SCAN", cursor, "COUNT", "1000");
                cursor = new String((byte[]) reply.get(0), StandardCharsets.UTF_8);
                for (Object k : (List<?>) reply.get(1)) {
                    byte[] key = (byte[]) k;
                    keys.put(HexFormat.of().formatHex(key), describe(c, key));
                }
            } while (!cursor.equals("0"));
            if (!keys.isEmpty()) {
                all.put(db, keys);
            }
        }
        c.select(0);
        return all;
    }

    private static String describe(RedisClient c, byte[] key) {
        String type = (String) c.command("TYPE".getBytes(), key);
        long expireAt = (Long) c.command("PEXPIRETIME".getBytes(), key);
        Object value = switch (type) {
            case "string" -> c.command("GET".getBytes(), key);
            case "list" -> c.command("LRANGE".getBytes(), key, "0".getBytes(), "-1".getBytes());
            case "set" -> sorted(c.command("SMEMBERS".getBytes(), key));
            case "zset" -> c.command("ZRANGE".getBytes(), key, "0".getBytes(), "-1".getBytes(), "WITHSCORES".getBytes());
            case "hash" -> sortedPairs(c.command("HGETALL".getBytes(), key));
            case "stream" -> List.of(c.command("XRANGE".getBytes(), key, "-".getBytes(), "+".getBytes()),
                    c.command("XINFO".getBytes(), "STREAM".getBytes(), key, "FULL".getBytes()));
            default -> throw new AssertionError("unexpected type " + type);
        };
        return type + "|" + expireAt + "|" + digest(value);
    }

    private static List<String> sorted(Object members) {
        List<String> hex = new ArrayList<>();
        for (Object m : (List<?>) members) {
            hex.add(HexFormat.of().formatHex((byte[]) m));
        }
        hex.sort(null);
        return hex;
    }

    private static List<String> sortedPairs(Object flat) {
        List<?> items = (List<?>) flat;
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < items.size(); i += 2) {
            pairs.add(HexFormat.of().formatHex((byte[]) items.get(i)) + "="
                    + HexFormat.of().formatHex((byte[]) items.get(i + 1)));
        }
        pairs.sort(null);
        return pairs;
    }

    /** A digest of a reply tree (bulk strings hashed as bytes). */
    static String digest(Object value) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            feed(md, value);
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static void feed(MessageDigest md, Object value) {
        if (value instanceof byte[] b) {
            md.update((byte) 'b');
            md.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
            md.update(b);
        } else if (value instanceof List<?> list) {
            md.update((byte) '[');
            for (Object o : list) {
                feed(md, o);
            }
            md.update((byte) ']');
        } else {
            md.update(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Saves the server's data ({@code SAVE}) and returns the RDB file's bytes. */
    static byte[] save(RedisServer server) throws IOException {
        try (RedisClient c = server.client()) {
            c.command("SAVE");
        }
        return Files.readAllBytes(server.dataDir().resolve("dump.rdb"));
    }

    /** Streams that return at most a random number of bytes per read. */
    static InputStream randomChunks(byte[] data, long seed, int maxChunk) {
        Random random = new Random(seed);
        return new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < data.length ? data[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= data.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, 1 + random.nextInt(maxChunk)), data.length - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    static Path dump(Path dir, String name, byte[] data) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, data);
        return file;
    }
}
