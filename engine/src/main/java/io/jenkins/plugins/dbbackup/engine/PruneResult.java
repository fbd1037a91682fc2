package io.jenkins.plugins.dbbackup.engine;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a prune planned and did.
 *
 * @param set the set pruned
 * @param policy the policy, in words
 * @param dryRun whether deletion was skipped
 * @param refusal why nothing was removed (e.g. the newest backup is not verified), or null
 * @param decisions every backup with keep/remove, reasons and tiers, newest first
 * @param deleted ids deleted now
 * @param keptByLock ids the plan would remove but a retention lock (S3 Object Lock) keeps
 * @param finishedDeletions ids whose earlier, interrupted deletion this prune finished
 */
public record PruneResult(String set, String policy, boolean dryRun, String refusal, List<Decision> decisions,
        List<String> deleted, List<String> keptByLock, List<String> finishedDeletions) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * One backup's fate.
     *
     * @param id backup id
     * @param time when it started
     * @param keep kept or removed
     * @param reasons every reason it is kept (empty when removed)
     * @param tiers the tiers that keep it (LAST, DAILY, ...)
     */
    public record Decision(String id, String time, boolean keep, List<String> reasons, List<String> tiers)
            implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    public long toRemoveCount() {
        return decisions.stream().filter(d -> !d.keep()).count();
    }

    /** A plain map for Pipeline scripts and JSON output. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("set", set);
        map.put("policy", policy);
        map.put("dryRun", dryRun);
        map.put("refusal", refusal);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Decision d : decisions) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("time", d.time());
            m.put("keep", d.keep());
            m.put("reasons", d.reasons());
            m.put("tiers", d.tiers());
            list.add(m);
        }
        map.put("decisions", list);
        map.put("deleted", deleted);
        map.put("keptByLock", keptByLock);
        map.put("finishedDeletions", finishedDeletions);
        return map;
    }
}
