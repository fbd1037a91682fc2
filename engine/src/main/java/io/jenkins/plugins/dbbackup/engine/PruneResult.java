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
 * @param warnings problems that did not stop the prune: tier settings ignored for a local repository, a transition
 *     or deletion refused by the store (one line each)
 */
public record PruneResult(String set, String policy, boolean dryRun, String refusal, List<Decision> decisions,
        List<String> deleted, List<String> keptByLock, List<String> finishedDeletions, List<String> warnings)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public PruneResult {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A result without warnings. */
    public PruneResult(String set, String policy, boolean dryRun, String refusal, List<Decision> decisions,
            List<String> deleted, List<String> keptByLock, List<String> finishedDeletions) {
        this(set, policy, dryRun, refusal, decisions, deleted, keptByLock, finishedDeletions, List.of());
    }

    /**
     * One backup's fate.
     *
     * @param id backup id
     * @param time when it started
     * @param keep kept or removed
     * @param reasons every reason it is kept (empty when removed)
     * @param tiers the tiers that keep it (LAST, DAILY, ...)
     * @param transition what the repository's tier settings do to its objects, or null when they ask nothing of it
     */
    public record Decision(String id, String time, boolean keep, List<String> reasons, List<String> tiers,
            Transition transition) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        public Decision(String id, String time, boolean keep, List<String> reasons, List<String> tiers) {
            this(id, time, keep, reasons, tiers, null);
        }
    }

    /**
     * The storage class and lock a kept backup's tiers ask for, and what that takes.
     *
     * @param tiers the tiers whose settings apply (lower case), e.g. {@code [monthly, daily]}
     * @param storageClass the class its objects should have, or null for no wish
     * @param retainUntil the time its objects should stay locked until at least, or null for no wish
     * @param changes one line per object change, e.g. {@code data.pgdump.zst: storage class STANDARD -> STANDARD_IA};
     *     empty when everything is in place already
     * @param outcome {@code planned} (dry run), {@code applied}, {@code already applied}, or {@code failed: why}
     */
    public record Transition(List<String> tiers, String storageClass, String retainUntil, List<String> changes,
            String outcome) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        public Transition {
            tiers = List.copyOf(tiers);
            changes = List.copyOf(changes);
        }

        /** {@code monthly: STANDARD_IA, locked until 2027-12-05T02:00:00Z: applied (2 changes)}. */
        public String summary() {
            List<String> wants = new ArrayList<>();
            if (storageClass != null) {
                wants.add(storageClass);
            }
            if (retainUntil != null) {
                wants.add("locked until " + retainUntil);
            }
            return String.join("+", tiers) + ": " + String.join(", ", wants) + ": " + outcome
                    + (changes.isEmpty() || outcome.startsWith("failed") ? "" : " (" + changes.size() + " change"
                            + (changes.size() == 1 ? "" : "s") + ")");
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tiers", tiers);
            m.put("storageClass", storageClass);
            m.put("retainUntil", retainUntil);
            m.put("changes", changes);
            m.put("outcome", outcome);
            return m;
        }
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
            if (d.transition() != null) {
                m.put("transition", d.transition().toMap());
            }
            list.add(m);
        }
        map.put("decisions", list);
        map.put("deleted", deleted);
        map.put("keptByLock", keptByLock);
        map.put("finishedDeletions", finishedDeletions);
        map.put("warnings", warnings);
        return map;
    }
}
