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
     * The part of a PostgreSQL backup's counts that a schema or table subset restores, in the way
     * {@code pg_restore --schema/--table} selects: a table is in when its schema is one of {@code schemas} (or none
     * are given) and its name is one of {@code tables} (or none are given). Keys are {@code schema.table}.
     *
     * @throws BackupException when a table name matches no table the backup recorded (pg_restore would silently
     *     restore nothing), or the subset as a whole holds no recorded table
     */
    static Map<String, Long> subset(BackupManifest manifest, Map<String, Long> expected, List<String> schemas,
            List<String> tables) throws BackupException {
        Map<String, Long> selected = new LinkedHashMap<>();
        for (String table : tables) {
            boolean found = false;
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                String key = e.getKey();
                if (key.endsWith("." + table) && inSchemas(key.substring(0, key.length() - table.length() - 1), schemas)) {
                    selected.put(key, e.getValue());
                    found = true;
                }
            }
            if (!found) {
                throw new BackupException("table " + table + (schemas.isEmpty() ? "" : " in schema(s) "
                        + String.join(", ", schemas)) + " is not among the tables backup " + manifest.id()
                        + " recorded (" + sample(expected) + "); give the table's name without its schema, exactly"
                        + " as stored; nothing was restored");
            }
        }
        if (tables.isEmpty()) {
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                for (String schema : schemas) {
                    if (e.getKey().startsWith(schema + ".")) {
                        selected.put(e.getKey(), e.getValue());
                    }
                }
            }
            if (selected.isEmpty()) {
                throw new BackupException("schema(s) " + String.join(", ", schemas) + " hold no table backup "
                        + manifest.id() + " recorded (" + sample(expected) + "); nothing was restored");
            }
        }
        return selected;
    }

    /**
     * The schemas a subset restores into: with table names, the schemas of the tables selected; else the schemas
     * named. {@code pg_restore} restores objects inside a schema but not the schema itself, so a subset restore
     * creates the missing ones first. (Keys are {@code schema.table}; the table name given tells where the schema
     * ends, also when a name contains a dot.)
     */
    static java.util.Set<String> schemasOf(Map<String, Long> selected, List<String> schemas, List<String> tables) {
        if (tables.isEmpty()) {
            return new java.util.LinkedHashSet<>(schemas);
        }
        java.util.Set<String> result = new java.util.LinkedHashSet<>();
        for (String key : selected.keySet()) {
            for (String table : tables) {
                String schema = key.endsWith("." + table) ? key.substring(0, key.length() - table.length() - 1) : null;
                if (schema != null && inSchemas(schema, schemas)) {
                    result.add(schema);
                }
            }
        }
        return result;
    }

    private static boolean inSchemas(String schema, List<String> schemas) {
        return schemas.isEmpty() || schemas.contains(schema);
    }

    /** Up to ten table names, for an error message. */
    private static String sample(Map<String, Long> expected) {
        if (expected.isEmpty()) {
            return "none";
        }
        List<String> names = expected.keySet().stream().sorted().limit(10).toList();
        return "e.g. " + String.join(", ", names) + (expected.size() > names.size() ? ", ..." : "");
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
