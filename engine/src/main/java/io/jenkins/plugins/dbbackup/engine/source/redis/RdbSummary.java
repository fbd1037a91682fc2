package io.jenkins.plugins.dbbackup.engine.source.redis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * What a complete pass over an RDB stream found.
 *
 * @param rdbVersion the format version from the header ({@code REDIS0010} → 10)
 * @param keysPerDatabase keys counted per database index (only databases holding keys)
 * @param expiresPerDatabase of those, keys carrying an expiry time
 * @param functionLibraries function libraries ({@code FUNCTION LOAD} code) in the snapshot
 * @param checksum the CRC-64 computed over the data; equal to the trailer's unless {@link #checksumPresent} is false
 * @param checksumPresent false when the writer had {@code rdbchecksum no} (a zero trailer) or the version predates
 *     checksums (below 5): the data then was not checked
 * @param auxiliary the writer's informational fields ({@code redis-ver}, {@code ctime}, ...), short values only
 * @param bytes length of the stream
 */
public record RdbSummary(
        int rdbVersion,
        SortedMap<Integer, Long> keysPerDatabase,
        SortedMap<Integer, Long> expiresPerDatabase,
        int functionLibraries,
        long checksum,
        boolean checksumPresent,
        Map<String, String> auxiliary,
        long bytes) {

    /** All keys. */
    public long totalKeys() {
        return keysPerDatabase.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The counts as the manifest records them: {@code db<N>} → keys and {@code db<N>.expires} → keys with an expiry,
     * the names {@code INFO keyspace} uses.
     */
    public Map<String, Long> manifestCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        keysPerDatabase.forEach((db, keys) -> {
            counts.put("db" + db, keys);
            counts.put("db" + db + ".expires", expiresPerDatabase.getOrDefault(db, 0L));
        });
        return counts;
    }
}
