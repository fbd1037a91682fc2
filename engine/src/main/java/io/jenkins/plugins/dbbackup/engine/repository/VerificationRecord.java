package io.jenkins.plugins.dbbackup.engine.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one verification, stored next to the backup as {@code verify-<time>.json} (manifests stay
 * immutable). Expected bad outcomes are values of {@link #outcome}, not exceptions.
 *
 * @param formatVersion format of this record
 * @param backupId the backup verified
 * @param set its series
 * @param level {@code checksum}, {@code structure} or {@code restore}
 * @param outcome {@code OK}, {@code CHECKSUM_MISMATCH}, {@code SIZE_MISMATCH}, {@code FORMAT_INVALID},
 *     {@code COUNT_MISMATCH}, {@code MISSING} or {@code KEY_UNAVAILABLE}
 * @param details human lines: what was compared and what differed
 * @param verifiedAt when the verification finished, ISO-8601 UTC
 * @param checksumMillis time spent re-reading the stored object
 * @param structureMillis time spent decrypting, decompressing and checking the format (0 if not done)
 * @param restoreMillis the measured recovery time: restoring into the scratch database (0 if not done)
 * @param scratchTarget where the restore level restored to (no secret), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"formatVersion", "backupId", "set", "level", "outcome", "details", "verifiedAt",
    "checksumMillis", "structureMillis", "restoreMillis", "scratchTarget"})
public record VerificationRecord(
        int formatVersion,
        String backupId,
        String set,
        String level,
        String outcome,
        List<String> details,
        String verifiedAt,
        long checksumMillis,
        long structureMillis,
        long restoreMillis,
        String scratchTarget)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public static final int CURRENT_FORMAT = 1;

    public boolean ok() {
        return "OK".equals(outcome);
    }

    public Instant verifiedAtInstant() {
        return Instant.parse(verifiedAt);
    }

    /** A plain map for Pipeline scripts and JSON output. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("backupId", backupId);
        map.put("set", set);
        map.put("level", level);
        map.put("outcome", outcome);
        map.put("ok", ok());
        map.put("details", details);
        map.put("verifiedAt", verifiedAt);
        map.put("checksumMillis", checksumMillis);
        map.put("structureMillis", structureMillis);
        map.put("restoreMillis", restoreMillis);
        map.put("scratchTarget", scratchTarget);
        return map;
    }
}
