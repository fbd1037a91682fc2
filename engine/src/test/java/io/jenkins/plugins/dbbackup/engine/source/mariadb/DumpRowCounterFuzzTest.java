package io.jenkins.plugins.dbbackup.engine.source.mariadb;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jenkins.plugins.dbbackup.engine.fuzz.FuzzRuns;
import java.util.Map;
import java.util.Set;

/**
 * The row-counting SQL tokenizer on any bytes a dump tool (or a damaged dump) could produce. Its contract has no
 * error at all: it must never throw, never loop, and give the same counts however the bytes are cut into chunks,
 * since the dump arrives in reads of any size. Seeds: dump snippets in DumpRowCounterFuzzTestInputs/tokenizer/.
 */
class DumpRowCounterFuzzTest {
    @FuzzTest
    void tokenizer(FuzzedDataProvider data) {
        FuzzRuns.count(DumpRowCounterFuzzTest.class);
        int chunk = data.consumeInt(1, 64);
        String database = data.consumeBoolean() ? "db" : null;
        byte[] dump = data.consumeRemainingAsBytes();

        DumpRowCounter whole = new DumpRowCounter(database);
        whole.update(dump, 0, dump.length);

        // the same bytes in chunks of `chunk`, through a larger array at a non-zero offset
        DumpRowCounter chunked = new DumpRowCounter(database);
        byte[] padded = new byte[dump.length + 3];
        System.arraycopy(dump, 0, padded, 3, dump.length);
        for (int off = 0; off < dump.length; off += chunk) {
            chunked.update(padded, 3 + off, Math.min(chunk, dump.length - off));
        }
        same(whole, chunked, "chunks of " + chunk);

        DumpRowCounter bytewise = new DumpRowCounter(database);
        for (byte b : dump) {
            bytewise.update(b);
        }
        same(whole, bytewise, "single bytes");
    }

    private static void same(DumpRowCounter expected, DumpRowCounter actual, String how) {
        Map<String, Long> counts = expected.counts();
        Set<String> used = expected.databasesUsed();
        if (!counts.equals(actual.counts()) || !used.equals(actual.databasesUsed())) {
            throw new AssertionError("fed in " + how + ": counts " + actual.counts() + " and databases "
                    + actual.databasesUsed() + ", fed whole: " + counts + " and " + used);
        }
        for (long n : counts.values()) {
            if (n < 0) {
                throw new AssertionError("a negative row count: " + counts);
            }
        }
    }
}
