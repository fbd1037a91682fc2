package io.jenkins.plugins.dbbackup.engine.codec;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.OutputStream;
import java.util.SplittableRandom;

/**
 * Deterministic text that looks like a SQL dump: INSERT lines with random words and numbers. Compresses roughly
 * like a real dump (zstd -3 to about a quarter), generated fast enough to feed gigabytes through a pipeline.
 */
public final class DumpLikeData {
    private static final byte[][] WORDS = words("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo"
            + " lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu order"
            + " customer invoice shipped pending paid refunded warehouse berlin paris lisbon oslo tokyo lagos lima"
            + " quantity discount premium standard express returned backorder priority");
    private static final byte[] PREFIX = "INSERT INTO public.orders VALUES (".getBytes(US_ASCII);

    private final SplittableRandom random;
    private final byte[] scratch = new byte[256];
    private long row;

    public DumpLikeData(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Fills {@code buffer} with whole or partial lines and returns it. */
    public byte[] fill(byte[] buffer) {
        int pos = 0;
        while (pos < buffer.length) {
            pos = line(buffer, pos);
        }
        return buffer;
    }

    /** {@code size} bytes of dump-like text. */
    public static byte[] bytes(long seed, int size) {
        return new DumpLikeData(seed).fill(new byte[size]);
    }

    /** Writes {@code total} bytes to {@code out} in chunks of {@code chunk} bytes, regenerating every chunk. */
    public void writeTo(OutputStream out, long total, int chunk) throws IOException {
        byte[] buffer = new byte[chunk];
        for (long left = total; left > 0; ) {
            int n = (int) Math.min(chunk, left);
            fill(buffer);
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private int line(byte[] b, int pos) {
        int n = 0;
        n = put(scratch, n, PREFIX);
        n = number(scratch, n, ++row);
        scratch[n++] = ',';
        scratch[n++] = ' ';
        scratch[n++] = '\'';
        for (int i = 0, words = 2 + random.nextInt(4); i < words; i++) {
            if (i > 0) {
                scratch[n++] = ' ';
            }
            n = put(scratch, n, WORDS[random.nextInt(WORDS.length)]);
        }
        scratch[n++] = '\'';
        scratch[n++] = ',';
        scratch[n++] = ' ';
        n = number(scratch, n, random.nextInt(100_000));
        scratch[n++] = '.';
        n = number(scratch, n, 10 + random.nextInt(90));
        scratch[n++] = ',';
        scratch[n++] = ' ';
        n = number(scratch, n, random.nextLong(1L << 40));
        scratch[n++] = ')';
        scratch[n++] = ';';
        scratch[n++] = '\n';
        int copy = Math.min(n, b.length - pos);
        System.arraycopy(scratch, 0, b, pos, copy);
        return pos + copy;
    }

    private static int put(byte[] b, int n, byte[] word) {
        System.arraycopy(word, 0, b, n, word.length);
        return n + word.length;
    }

    private static int number(byte[] b, int n, long value) {
        int start = n;
        do {
            b[n++] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value > 0);
        for (int i = start, j = n - 1; i < j; i++, j--) {
            byte t = b[i];
            b[i] = b[j];
            b[j] = t;
        }
        return n;
    }

    private static byte[][] words(String all) {
        String[] split = all.split(" ");
        byte[][] result = new byte[split.length][];
        for (int i = 0; i < split.length; i++) {
            result[i] = split[i].getBytes(US_ASCII);
        }
        return result;
    }
}
