package io.jenkins.plugins.dbbackup.engine;

import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a backup produced. Small and serializable: it travels back from a Jenkins agent.
 *
 * @param id the backup id, e.g. {@code 20261122T020000Z-3f9a1c}
 * @param set the series
 * @param kind the dump format, e.g. {@code postgresql-custom}
 * @param location where the backup lives (repository URI + set + id); no secret
 * @param originalBytes bytes the dump tool produced
 * @param storedBytes bytes stored after compression and encryption
 * @param originalSha256 SHA-256 of the dump as produced
 * @param storedSha256 SHA-256 of the stored object
 * @param compression compression algorithm id
 * @param encrypted whether the stored object is OpenPGP-encrypted
 * @param startedAt start, ISO-8601 UTC
 * @param finishedAt end, ISO-8601 UTC
 * @param durationMillis wall time of the backup
 * @param serverVersion version the database server reported
 * @param tool the dump tool and its version
 */
public record BackupResult(
        String id,
        String set,
        String kind,
        String location,
        long originalBytes,
        long storedBytes,
        String originalSha256,
        String storedSha256,
        String compression,
        boolean encrypted,
        String startedAt,
        String finishedAt,
        long durationMillis,
        String serverVersion,
        String tool)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** A plain map for Pipeline scripts and JSON output; keys are stable and documented. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", id);
        map.put("set", set);
        map.put("kind", kind);
        map.put("location", location);
        map.put("originalBytes", originalBytes);
        map.put("storedBytes", storedBytes);
        map.put("originalSha256", originalSha256);
        map.put("storedSha256", storedSha256);
        map.put("compression", compression);
        map.put("encrypted", encrypted);
        map.put("startedAt", startedAt);
        map.put("finishedAt", finishedAt);
        map.put("durationMillis", durationMillis);
        map.put("serverVersion", serverVersion);
        map.put("tool", tool);
        return map;
    }
}
