package io.jenkins.plugins.dbbackup.engine.source.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A streaming reader of Redis RDB files (format versions 1 to {@value #NEWEST_VERSION}, i.e. up to Redis 7.4/8.0):
 * checks the header, walks every opcode and value encoding, counts keys per database, and checks the CRC-64 trailer.
 *
 * <p>Memory stays bounded whatever the data says: values are skipped by their length fields as they pass, and the
 * only strings held are short auxiliary fields, function code and (when a {@link Visitor} asks for values) keys, all
 * capped at {@value #MAX_STRING} bytes and grown only as bytes actually arrive, so a hostile length field causes a
 * "truncated" error, not an allocation. Every byte read is handed to the {@link RdbInput.ChunkSink} first, so the
 * same pass can send the stream on.
 *
 * <p>The format facts follow Redis' {@code rdb.h}/{@code rdb.c}. Module values and module auxiliary data are
 * refused with the module's name: their content belongs to the module, and a restore could not re-create them
 * without it.
 */
public final class RdbParser {
    /** The newest RDB format version understood (Redis 7.4 and 8.0 write 12). */
    public static final int NEWEST_VERSION = 12;
    /** Largest string held in memory: Redis' own default {@code proto-max-bulk-len}. */
    static final long MAX_STRING = 512L * 1024 * 1024;
    private static final int MAX_AUX_VALUE = 4096;

    static final int OPCODE_SLOT_INFO = 244;
    static final int OPCODE_FUNCTION2 = 245;
    static final int OPCODE_FUNCTION_PRE_GA = 246;
    static final int OPCODE_MODULE_AUX = 247;
    static final int OPCODE_IDLE = 248;
    static final int OPCODE_FREQ = 249;
    static final int OPCODE_AUX = 250;
    static final int OPCODE_RESIZEDB = 251;
    static final int OPCODE_EXPIRETIME_MS = 252;
    static final int OPCODE_EXPIRETIME = 253;
    static final int OPCODE_SELECTDB = 254;
    static final int OPCODE_EOF = 255;

    static final int TYPE_STRING = 0;
    static final int TYPE_LIST = 1;
    static final int TYPE_SET = 2;
    static final int TYPE_ZSET = 3;
    static final int TYPE_HASH = 4;
    static final int TYPE_ZSET_2 = 5;
    static final int TYPE_MODULE_PRE_GA = 6;
    static final int TYPE_MODULE_2 = 7;
    static final int TYPE_HASH_ZIPMAP = 9;
    static final int TYPE_LIST_ZIPLIST = 10;
    static final int TYPE_SET_INTSET = 11;
    static final int TYPE_ZSET_ZIPLIST = 12;
    static final int TYPE_HASH_ZIPLIST = 13;
    static final int TYPE_LIST_QUICKLIST = 14;
    static final int TYPE_STREAM_LISTPACKS = 15;
    static final int TYPE_HASH_LISTPACK = 16;
    static final int TYPE_ZSET_LISTPACK = 17;
    static final int TYPE_LIST_QUICKLIST_2 = 18;
    static final int TYPE_STREAM_LISTPACKS_2 = 19;
    static final int TYPE_SET_LISTPACK = 20;
    static final int TYPE_STREAM_LISTPACKS_3 = 21;
    static final int TYPE_HASH_METADATA_PRE_GA = 22;
    static final int TYPE_HASH_LISTPACK_EX_PRE_GA = 23;
    static final int TYPE_HASH_METADATA = 24;
    static final int TYPE_HASH_LISTPACK_EX = 25;

    private static final String MODULE_NAME_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** Callbacks for a restore; the defaults only count. Called on the parsing thread. */
    interface Visitor {
        /** The header was read; may refuse the version (before anything else happens). */
        default void header(int rdbVersion) throws IOException {}

        /** Whether keys are read and values captured for {@link #key}; false skips them (counting only). */
        default boolean wantsValues() {
            return false;
        }

        /** A function library's code, to be loaded with {@code FUNCTION LOAD}; only when {@link #wantsValues()}. */
        default void functionLibrary(byte[] code) throws IOException {}

        /** One key; only when {@link #wantsValues()}. The entry's value buffer is reused after the call returns. */
        default void key(KeyEntry entry) throws IOException {}
    }

    /**
     * One key of the snapshot.
     *
     * @param db database index
     * @param key the key's bytes
     * @param expireAtMillis absolute expiry in Unix milliseconds, or -1 for none
     * @param idleSeconds LRU idle time, or -1 when not recorded
     * @param frequency LFU counter, or -1 when not recorded
     * @param value the RDB type byte followed by the value's serialization (what {@code DUMP} returns before its
     *     version and checksum trailer)
     */
    record KeyEntry(int db, byte[] key, long expireAtMillis, long idleSeconds, int frequency, ValueBuffer value) {}

    private final RdbInput in;
    private final Visitor visitor;
    private final ValueBuffer valueBuffer;

    private RdbParser(RdbInput in, Visitor visitor, ValueBuffer valueBuffer) {
        this.in = in;
        this.visitor = visitor;
        this.valueBuffer = valueBuffer;
    }

    /** Reads a whole RDB stream, only counting; {@code data} is read to its end, not closed. */
    public static RdbSummary scan(InputStream data) throws IOException {
        return parse(data, null, new Visitor() {}, null);
    }

    /**
     * Reads a whole RDB stream.
     *
     * @param data read to its end, not closed
     * @param sink receives every chunk of {@code data} before it is parsed; may be null
     * @param visitor callbacks
     * @param tempDirectory where values too large for memory spill when the visitor wants values; null for the JVM's
     * @throws RdbFormatException when the data is truncated, corrupt, fails its checksum or holds what cannot be read
     */
    static RdbSummary parse(InputStream data, RdbInput.ChunkSink sink, Visitor visitor, java.nio.file.Path tempDirectory)
            throws IOException {
        try (ValueBuffer buffer = visitor.wantsValues() ? new ValueBuffer(tempDirectory) : null) {
            return new RdbParser(new RdbInput(data, sink), visitor, buffer).run();
        }
    }

    private RdbSummary run() throws IOException {
        byte[] magic = new byte[9];
        in.readFully(magic, 0, 9);
        int version = version(magic);
        visitor.header(version);
        boolean values = visitor.wantsValues();
        // per database: keys, keys with an expiry (counted in place: no boxing per key)
        SortedMap<Integer, long[]> counts = new TreeMap<>();
        long[] current = null; // the counts of database `db`, once it has a key
        Map<String, String> aux = new LinkedHashMap<>();
        int functions = 0;
        int db = 0;
        long expireAt = -1;
        long idle = -1;
        int freq = -1;
        while (true) {
            int type = in.u8();
            switch (type) {
                case OPCODE_EOF:
                    return finish(version, counts, functions, aux);
                case OPCODE_SELECTDB: {
                    long n = readLength();
                    if (n < 0 || n > Integer.MAX_VALUE) {
                        throw corrupt("database index " + Long.toUnsignedString(n) + " is out of range");
                    }
                    db = (int) n;
                    current = null;
                    break;
                }
                case OPCODE_RESIZEDB:
                    // size hints only: the keys are counted as they come
                    readLength();
                    readLength();
                    break;
                case OPCODE_SLOT_INFO:
                    readLength();
                    readLength();
                    readLength();
                    break;
                case OPCODE_EXPIRETIME_MS:
                    expireAt = in.i64le();
                    break;
                case OPCODE_EXPIRETIME:
                    expireAt = in.u32le() * 1000;
                    break;
                case OPCODE_IDLE:
                    idle = readLength();
                    break;
                case OPCODE_FREQ:
                    freq = in.u8();
                    break;
                case OPCODE_AUX: {
                    byte[] name = readString(MAX_STRING);
                    byte[] value = readString(MAX_STRING);
                    if (name.length <= MAX_AUX_VALUE && value.length <= MAX_AUX_VALUE && aux.size() < 64) {
                        aux.put(new String(name, StandardCharsets.UTF_8),
                                new String(value, StandardCharsets.UTF_8));
                    }
                    break;
                }
                case OPCODE_MODULE_AUX: {
                    long moduleId = readLength();
                    throw new RdbFormatException("the snapshot holds auxiliary data of the Redis module '"
                            + moduleName(moduleId) + "': module data cannot be backed up or restored by this tool;"
                            + " use the module's own export, or back up the server's files");
                }
                case OPCODE_FUNCTION_PRE_GA:
                    throw new RdbFormatException("the snapshot holds functions in the format of a Redis 7.0 release"
                            + " candidate, which cannot be read: upgrade the server to a released version");
                case OPCODE_FUNCTION2:
                    functions++;
                    if (values) {
                        visitor.functionLibrary(readString(MAX_STRING));
                    } else {
                        skipString();
                    }
                    break;
                default:
                    readKeyValue(type, db, expireAt, idle, freq, values);
                    if (current == null) {
                        current = counts.computeIfAbsent(db, d -> new long[2]);
                    }
                    current[0]++;
                    if (expireAt != -1) {
                        current[1]++;
                    }
                    expireAt = -1;
                    idle = -1;
                    freq = -1;
                    break;
            }
        }
    }

    private void readKeyValue(int type, int db, long expireAt, long idle, int freq, boolean values) throws IOException {
        if (!isValueType(type)) {
            throw corrupt("unknown record type " + type + " at byte " + (in.position() - 1)
                    + (type < 240 ? " (a value type newer than this tool knows, or corrupt data)" : ""));
        }
        if (!values) {
            skipString();
            skipValue(type);
            return;
        }
        byte[] key = readString(MAX_STRING);
        valueBuffer.reset();
        valueBuffer.write(type);
        in.capture(valueBuffer);
        try {
            skipValue(type);
        } finally {
            in.capture(null);
        }
        visitor.key(new KeyEntry(db, key, expireAt, idle, freq, valueBuffer));
    }

    private static boolean isValueType(int type) {
        return (type >= TYPE_STRING && type <= TYPE_MODULE_2) || (type >= TYPE_HASH_ZIPMAP && type <= TYPE_HASH_LISTPACK_EX);
    }

    private RdbSummary finish(int version, SortedMap<Integer, long[]> counts, int functions,
            Map<String, String> aux) throws IOException {
        SortedMap<Integer, Long> keys = new TreeMap<>();
        SortedMap<Integer, Long> expires = new TreeMap<>();
        counts.forEach((db, n) -> {
            keys.put(db, n[0]);
            if (n[1] > 0) {
                expires.put(db, n[1]);
            }
        });
        long computed = in.crc();
        boolean present = false;
        if (version >= 5) {
            long stored = in.i64le();
            if (stored != 0) {
                present = true;
                if (stored != computed) {
                    throw new RdbFormatException(String.format("the RDB checksum does not match: the data gives"
                            + " %016x, its trailer says %016x: the snapshot is corrupt", computed, stored));
                }
            }
        }
        long length = in.position();
        if (!in.atEnd()) {
            throw corrupt("bytes follow the end of the RDB data (after " + length + " bytes)");
        }
        return new RdbSummary(version, Collections.unmodifiableSortedMap(keys), Collections.unmodifiableSortedMap(expires),
                functions, computed, present, Collections.unmodifiableMap(aux), length);
    }

    private static int version(byte[] magic) throws RdbFormatException {
        if (!Arrays.equals(magic, 0, 5, "REDIS".getBytes(StandardCharsets.US_ASCII), 0, 5)) {
            throw new RdbFormatException("the data is not an RDB snapshot: it does not start with 'REDIS'");
        }
        int version = 0;
        for (int i = 5; i < 9; i++) {
            if (magic[i] < '0' || magic[i] > '9') {
                throw new RdbFormatException("the RDB header has no 4-digit version number");
            }
            version = version * 10 + (magic[i] - '0');
        }
        if (version < 1 || version > NEWEST_VERSION) {
            throw new RdbFormatException("RDB format version " + version + " is not supported: this tool reads"
                    + " versions 1 to " + NEWEST_VERSION + " (Redis up to 7.4/8.0)");
        }
        return version;
    }

    /** Skips one value of {@code type}, consuming exactly its bytes. */
    private void skipValue(int type) throws IOException {
        switch (type) {
            case TYPE_STRING, TYPE_HASH_ZIPMAP, TYPE_LIST_ZIPLIST, TYPE_SET_INTSET, TYPE_ZSET_ZIPLIST,
                    TYPE_HASH_ZIPLIST, TYPE_HASH_LISTPACK, TYPE_ZSET_LISTPACK, TYPE_SET_LISTPACK,
                    TYPE_HASH_LISTPACK_EX_PRE_GA -> skipString();
            case TYPE_HASH_LISTPACK_EX -> {
                in.skip(8); // smallest field expiry
                skipString();
            }
            case TYPE_LIST, TYPE_SET, TYPE_LIST_QUICKLIST -> {
                for (long n = readCount(); n > 0; n--) {
                    skipString();
                }
            }
            case TYPE_LIST_QUICKLIST_2 -> {
                for (long n = readCount(); n > 0; n--) {
                    long container = readLength();
                    if (container != 1 && container != 2) {
                        throw corrupt("unknown quicklist node container " + container);
                    }
                    skipString();
                }
            }
            case TYPE_ZSET -> {
                for (long n = readCount(); n > 0; n--) {
                    skipString();
                    int len = in.u8(); // a score as text; 253, 254, 255 stand for NaN, +inf, -inf
                    if (len < 253) {
                        in.skip(len);
                    }
                }
            }
            case TYPE_ZSET_2 -> {
                for (long n = readCount(); n > 0; n--) {
                    skipString();
                    in.skip(8); // binary double
                }
            }
            case TYPE_HASH -> {
                for (long n = readCount(); n > 0; n--) {
                    skipString();
                    skipString();
                }
            }
            case TYPE_HASH_METADATA_PRE_GA, TYPE_HASH_METADATA -> {
                if (type == TYPE_HASH_METADATA) {
                    in.skip(8); // smallest field expiry
                }
                for (long n = readCount(); n > 0; n--) {
                    readLength(); // field expiry
                    skipString();
                    skipString();
                }
            }
            case TYPE_STREAM_LISTPACKS, TYPE_STREAM_LISTPACKS_2, TYPE_STREAM_LISTPACKS_3 -> skipStream(type);
            case TYPE_MODULE_PRE_GA -> throw new RdbFormatException("the snapshot holds a value in the module format of"
                    + " a Redis 4.0 release candidate, which cannot be read");
            case TYPE_MODULE_2 -> {
                long moduleId = readLength();
                throw new RdbFormatException("the snapshot holds a value of the Redis module type '"
                        + moduleName(moduleId) + "': module data cannot be backed up or restored by this tool;"
                        + " use the module's own export, or back up the server's files");
            }
            default -> throw corrupt("unknown value type " + type);
        }
    }

    private void skipStream(int type) throws IOException {
        for (long n = readCount(); n > 0; n--) {
            skipString(); // node key: the master entry id
            skipString(); // listpack of entries
        }
        readLength(); // number of entries
        readLength(); // last id: ms
        readLength(); // last id: seq
        if (type >= TYPE_STREAM_LISTPACKS_2) {
            readLength(); // first id
            readLength();
            readLength(); // max deleted entry id
            readLength();
            readLength(); // entries added
        }
        for (long groups = readCount(); groups > 0; groups--) {
            skipString(); // group name
            readLength(); // last delivered id
            readLength();
            if (type >= TYPE_STREAM_LISTPACKS_2) {
                readLength(); // entries read
            }
            for (long pel = readCount(); pel > 0; pel--) {
                in.skip(16); // raw entry id
                in.skip(8); // delivery time
                readLength(); // delivery count
            }
            for (long consumers = readCount(); consumers > 0; consumers--) {
                skipString(); // consumer name
                in.skip(8); // seen time
                if (type >= TYPE_STREAM_LISTPACKS_3) {
                    in.skip(8); // active time
                }
                for (long pel = readCount(); pel > 0; pel--) {
                    in.skip(16); // raw entry id
                }
            }
        }
    }

    /** A length field as an unsigned 64-bit value (may be negative as a long, e.g. -1 for "unset" ids). */
    private long readLength() throws IOException {
        int b = in.u8();
        if (b >>> 6 == 3) {
            throw corrupt("a string encoding where a length belongs");
        }
        return lengthFrom(b);
    }

    /** A count or size: a length that must fit in a signed long. */
    private long readCount() throws IOException {
        long n = readLength();
        if (n < 0) {
            throw corrupt("a length of " + Long.toUnsignedString(n) + " is out of range");
        }
        return n;
    }

    /** Decodes a length whose first byte is {@code b} (not an encoded-string marker). */
    private long lengthFrom(int b) throws IOException {
        switch (b >>> 6) {
            case 0:
                return b & 0x3f;
            case 1:
                return ((long) (b & 0x3f) << 8) | in.u8();
            case 2:
                if (b == 0x80) {
                    long v = 0;
                    for (int i = 0; i < 4; i++) {
                        v = (v << 8) | in.u8();
                    }
                    return v;
                }
                if (b == 0x81) {
                    long v = 0;
                    for (int i = 0; i < 8; i++) {
                        v = (v << 8) | in.u8();
                    }
                    return v;
                }
                throw corrupt("unknown length encoding 0x" + Integer.toHexString(b));
            default:
                throw new IllegalStateException("encoded string marker");
        }
    }

    /** The length of a plain string, checked to be a valid size. */
    private long stringLength(int b) throws IOException {
        long n = lengthFrom(b);
        if (n < 0) {
            throw corrupt("a string length of " + Long.toUnsignedString(n) + " is out of range");
        }
        return n;
    }

    private void skipString() throws IOException {
        int b = in.u8();
        if (b >>> 6 != 3) {
            in.skip(stringLength(b));
            return;
        }
        switch (b & 0x3f) {
            case 0 -> in.skip(1);
            case 1 -> in.skip(2);
            case 2 -> in.skip(4);
            case 3 -> {
                long compressed = readCount();
                readCount(); // uncompressed length
                in.skip(compressed);
            }
            default -> throw corrupt("unknown string encoding " + (b & 0x3f));
        }
    }

    /** Reads a string into memory, refusing one longer than {@code max}. */
    private byte[] readString(long max) throws IOException {
        int b = in.u8();
        if (b >>> 6 != 3) {
            return readBytes(stringLength(b), max);
        }
        switch (b & 0x3f) {
            case 0:
                return Long.toString((byte) in.u8()).getBytes(StandardCharsets.US_ASCII);
            case 1:
                return Long.toString((short) (in.u8() | in.u8() << 8)).getBytes(StandardCharsets.US_ASCII);
            case 2:
                return Long.toString((int) in.u32le()).getBytes(StandardCharsets.US_ASCII);
            case 3: {
                long compressed = readCount();
                long plain = readCount();
                if (plain > max || compressed > max) {
                    throw corrupt("a compressed string of " + plain + " bytes exceeds the limit of " + max);
                }
                if (plain > compressed * Lzf.MAX_EXPANSION) {
                    // the output array is allocated before decompressing: its size must follow from bytes that arrived
                    throw corrupt("a compressed string of " + compressed + " bytes claims to expand to " + plain
                            + " bytes, more than LZF can");
                }
                byte[] data = readBytes(compressed, max);
                return Lzf.decompress(data, (int) plain);
            }
            default:
                throw corrupt("unknown string encoding " + (b & 0x3f));
        }
    }

    /** Reads {@code n} bytes, growing the array only as bytes arrive so a false length cannot allocate much. */
    private byte[] readBytes(long n, long max) throws IOException {
        if (n > max) {
            throw corrupt("a string of " + n + " bytes exceeds the limit of " + max + " bytes");
        }
        int len = (int) n;
        byte[] out = new byte[Math.min(len, 1 << 20)];
        int filled = 0;
        while (filled < len) {
            if (filled == out.length) {
                out = Arrays.copyOf(out, (int) Math.min(len, (long) out.length * 2));
            }
            int k = out.length - filled;
            in.readFully(out, filled, k);
            filled += k;
        }
        return out;
    }

    /** The name of a module type from its 64-bit id: nine 6-bit characters above a 10-bit encoding version. */
    static String moduleName(long moduleId) {
        char[] name = new char[9];
        long id = moduleId >>> 10;
        for (int i = 8; i >= 0; i--) {
            name[i] = MODULE_NAME_CHARS.charAt((int) (id & 63));
            id >>>= 6;
        }
        return new String(name);
    }

    private RdbFormatException corrupt(String what) {
        return new RdbFormatException("corrupt RDB data: " + what + " (near byte " + in.position() + ")");
    }
}
