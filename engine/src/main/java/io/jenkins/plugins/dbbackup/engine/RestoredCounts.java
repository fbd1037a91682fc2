package io.jenkins.plugins.dbbackup.engine;

import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.source.mariadb.MariaDbSource;
import io.jenkins.plugins.dbbackup.engine.source.redis.RedisSource;
import io.jenkins.plugins.dbbackup.engine.verify.CountComparison;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Compares the counts a manifest recorded with counts taken in a restored target, per kind of dump. */
final class RestoredCounts {
    private RestoredCounts() {}

    /** What verification compares: rows per table, or keys per Redis database. */
    static Map<String, Long> expected(BackupManifest manifest) throws BackupException {
        BackupManifest.VerificationData data = manifest.verification();
        if (data == null) {
            throw new BackupException("backup " + manifest.id() + " recorded no counts to compare");
        }
        if (data.tables() != null && !data.tables().isEmpty()) {
            return data.tables();
        }
        return data.keysPerDatabase() == null ? Map.of() : data.keysPerDatabase();
    }

    /**
     * @param targetDatabase the database restored into (its name may differ from the source's)
     * @param strict report non-empty tables the backup did not have (scratch databases)
     * @return one line per difference; empty when they agree
     */
    static List<String> differences(BackupManifest manifest, String targetDatabase, Map<String, Long> actual,
            boolean strict) throws BackupException {
        Map<String, Long> expected = expected(manifest);
        if (RedisSource.KIND.equals(manifest.kind())) {
            return RedisSource.compareCounts(expected, actual); // keys may expire between backup and restore
        }
        String source = manifest.source().database();
        if (MariaDbSource.KIND.equals(manifest.kind()) && source != null && !source.contains(",")
                && targetDatabase != null && !targetDatabase.equals(source)) {
            // a single-database SQL dump restores under any name: compare table by table
            Map<String, Long> renamed = new LinkedHashMap<>();
            actual.forEach((table, count) -> renamed.put(table.startsWith(targetDatabase + ".")
                    ? source + table.substring(targetDatabase.length()) : table, count));
            actual = renamed;
        }
        return CountComparison.differences(expected, actual, strict);
    }
}
