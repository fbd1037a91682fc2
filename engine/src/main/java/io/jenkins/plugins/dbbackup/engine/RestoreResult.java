package io.jenkins.plugins.dbbackup.engine;

import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a restore did.
 *
 * @param backupId the backup restored
 * @param set its series
 * @param target the target database, described without secrets
 * @param safetyBackupId the id of the safety backup taken first, or null when none was needed or asked for
 * @param restoredBytes bytes fed to the restore tool
 * @param durationMillis wall time of the restore proper (the measured recovery time)
 * @param countsChecked how many tables (or Redis databases) were counted after the restore and matched the counts
 *     recorded at backup time; with a subset, only the tables restored
 * @param subset the schema or table subset restored (e.g. {@code table orders}), or null when the whole backup was
 *     restored
 * @param safetyEncryption how the safety backup is encrypted: {@code none}, {@code passphrase}, {@code key id(s) A,
 *     B} (the encryption subkeys) or {@code key id(s) A and passphrase}; null when no safety backup was taken. Never a
 *     secret
 */
public record RestoreResult(
        String backupId, String set, String target, String safetyBackupId, long restoredBytes, long durationMillis,
        int countsChecked, String subset, String safetyEncryption)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 3L;

    /** The result of a restore without safety-backup encryption details. */
    public RestoreResult(String backupId, String set, String target, String safetyBackupId, long restoredBytes,
            long durationMillis, int countsChecked, String subset) {
        this(backupId, set, target, safetyBackupId, restoredBytes, durationMillis, countsChecked, subset, null);
    }

    /** The result of a restore of the whole backup. */
    public RestoreResult(String backupId, String set, String target, String safetyBackupId, long restoredBytes,
            long durationMillis, int countsChecked) {
        this(backupId, set, target, safetyBackupId, restoredBytes, durationMillis, countsChecked, null);
    }

    /** A plain map for Pipeline scripts and JSON output. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("backupId", backupId);
        map.put("set", set);
        map.put("target", target);
        map.put("safetyBackupId", safetyBackupId);
        map.put("restoredBytes", restoredBytes);
        map.put("durationMillis", durationMillis);
        map.put("countsChecked", countsChecked);
        map.put("subset", subset);
        map.put("safetyEncryption", safetyEncryption);
        return map;
    }
}
