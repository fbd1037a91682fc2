package io.jenkins.plugins.dbbackup.engine.source.redis;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jenkins.plugins.dbbackup.engine.fuzz.CleanErrors;
import io.jenkins.plugins.dbbackup.engine.fuzz.FuzzRuns;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * The streaming RDB parser on any bytes a server, a network or a disk could hand it, both ways it runs: counting
 * keys during a backup ({@link RdbParser#scan}) and capturing every key's value during a restore. A refusal must be
 * an {@link IOException} with a message (in practice {@link RdbFormatException}); a hostile length must not make it
 * allocate (the fuzz JVM has a 512 MB heap). Seeds: real RDB files written by redis-server, in
 * RdbParserFuzzTestInputs/rdb/.
 */
class RdbParserFuzzTest {
    @FuzzTest
    void rdb(byte[] data) {
        FuzzRuns.count(RdbParserFuzzTest.class);
        RdbSummary counted = null;
        try {
            counted = RdbParser.scan(new ByteArrayInputStream(data));
        } catch (IOException e) {
            CleanErrors.requireMessage(e);
        }
        long[] keys = {0};
        RdbSummary captured = null;
        try {
            captured = RdbParser.parse(new ByteArrayInputStream(data), null, new RdbParser.Visitor() {
                @Override
                public boolean wantsValues() {
                    return true;
                }

                @Override
                public void key(RdbParser.KeyEntry entry) throws IOException {
                    if (entry.key() == null || entry.value().length() < 1) {
                        throw new AssertionError("a key without bytes or value");
                    }
                    keys[0]++;
                }
            }, null);
        } catch (IOException e) {
            CleanErrors.requireMessage(e);
        }
        if ((counted == null) != (captured == null)) {
            throw new AssertionError("counting and capturing disagree on whether the data is valid: " + counted
                    + " / " + captured);
        }
        if (counted != null) {
            long total = counted.keysPerDatabase().values().stream().mapToLong(Long::longValue).sum();
            if (!counted.equals(captured) || total != keys[0]) {
                throw new AssertionError("counting and capturing disagree: " + counted + " / " + captured + ", "
                        + keys[0] + " keys visited");
            }
        }
    }
}
