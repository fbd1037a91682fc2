package io.jenkins.plugins.dbbackup.engine;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a repository check found and, with repair, removed.
 *
 * @param completeBackups complete backups seen
 * @param findings every problem, in key order
 * @param repaired keys (or {@code set/id}) removed by the repair
 */
public record CheckResult(int completeBackups, List<Finding> findings, List<String> repaired) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Kinds of problem. */
    public enum Kind {
        /** Objects of a backup without a manifest, older than the grace period: a failed or abandoned backup. */
        ORPHAN_DATA,
        /** Objects of a backup without a manifest, younger than the grace period: probably still running. */
        IN_PROGRESS,
        /** A manifest whose data object does not exist. */
        MISSING_DATA,
        /** A data object whose size differs from its manifest's. */
        SIZE_MISMATCH,
        /** A manifest that cannot be read. */
        UNREADABLE_MANIFEST,
        /** A deletion that began and did not finish. */
        UNFINISHED_DELETION,
        /** A prune lease past its expiry. */
        STALE_LEASE,
        /** A temporary file an interrupted write left (local repositories). */
        LEFTOVER_TEMP,
        /** An object that does not belong to the repository layout. */
        UNKNOWN_OBJECT
    }

    /**
     * One problem.
     *
     * @param kind what it is
     * @param where the key or {@code set/id}
     * @param detail a human line
     * @param repairable whether {@code --repair} removes it (only what is provably garbage)
     */
    public record Finding(Kind kind, String where, String detail, boolean repairable) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /** Whether the repository is clean apart from backups in progress. */
    public boolean healthy() {
        return findings.stream().allMatch(f -> f.kind() == Kind.IN_PROGRESS);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("completeBackups", completeBackups);
        map.put("healthy", healthy());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Finding f : findings) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", f.kind().name());
            m.put("where", f.where());
            m.put("detail", f.detail());
            m.put("repairable", f.repairable());
            list.add(m);
        }
        map.put("findings", list);
        map.put("repaired", repaired);
        return map;
    }
}
