package io.jenkins.plugins.dbbackup.engine.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares counts recorded at backup time (rows per table, keys per Redis database) with counts taken after a
 * restore.
 */
public final class CountComparison {
    private CountComparison() {}

    /**
     * @param expected counts from the manifest
     * @param actual counts in the restored database
     * @param strict also report non-empty tables that the backup did not have (a scratch database should hold
     *     nothing else); off for a restore over an existing database, which may keep unrelated tables
     * @return one line per difference; empty when the counts agree
     */
    public static List<String> differences(Map<String, Long> expected, Map<String, Long> actual, boolean strict) {
        List<String> differences = new ArrayList<>();
        for (String name : new TreeSet<>(expected.keySet())) {
            Long got = actual.get(name);
            if (!expected.get(name).equals(got)) {
                differences.add(name + ": expected " + expected.get(name) + ", restored " + (got == null ? "none" : got));
            }
        }
        if (strict) {
            for (String name : new TreeSet<>(actual.keySet())) {
                if (!expected.containsKey(name) && actual.get(name) != 0) {
                    differences.add(name + ": not in the backup's counts, restored " + actual.get(name));
                }
            }
        }
        return differences;
    }
}
