package io.jenkins.plugins.dbbackup.engine.source.redis;

import java.io.IOException;

/** Decompression of the LZF blocks Redis uses for compressed strings in RDB files. */
final class Lzf {
    /**
     * The most one input byte can expand to: a back reference of 3 bytes produces at most 264 (7 + 255 + 2), so
     * {@code compressed * 88} bounds any valid output.
     */
    static final long MAX_EXPANSION = 88;

    private Lzf() {}

    /**
     * Decompresses {@code in} into exactly {@code outLength} bytes.
     *
     * @throws IOException when the block is malformed or does not expand to {@code outLength} bytes
     */
    static byte[] decompress(byte[] in, int outLength) throws IOException {
        byte[] out = new byte[outLength];
        int ip = 0;
        int op = 0;
        while (ip < in.length) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (ip + run > in.length || op + run > outLength) {
                    throw corrupt();
                }
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int len = ctrl >>> 5;
                if (len == 7) {
                    if (ip >= in.length) {
                        throw corrupt();
                    }
                    len += in[ip++] & 0xff;
                }
                if (ip >= in.length) {
                    throw corrupt();
                }
                int ref = op - ((ctrl & 0x1f) << 8) - (in[ip++] & 0xff) - 1;
                len += 2;
                if (ref < 0 || op + len > outLength) {
                    throw corrupt();
                }
                // byte by byte: a back reference may overlap the bytes it produces
                for (int k = 0; k < len; k++) {
                    out[op++] = out[ref++];
                }
            }
        }
        if (op != outLength) {
            throw corrupt();
        }
        return out;
    }

    private static IOException corrupt() {
        return new RdbFormatException("corrupt RDB data: a malformed LZF-compressed string");
    }
}
