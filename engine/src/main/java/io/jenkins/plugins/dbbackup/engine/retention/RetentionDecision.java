package io.jenkins.plugins.dbbackup.engine.retention;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Keep or remove one backup, and every reason it is kept.
 *
 * @param id      the backup id
 * @param time    the backup time
 * @param keep    whether the backup stays
 * @param reasons every reason it is kept, in the order listed on {@link RetentionPlanner}; empty exactly when
 *                {@code keep} is false
 * @param tiers   the tiers of the rules that keep it (a subset of what the reasons say); empty when removed
 */
public record RetentionDecision(String id, Instant time, boolean keep, List<String> reasons, Set<Tier> tiers)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public RetentionDecision {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        reasons = List.copyOf(reasons);
        tiers = tiers.isEmpty() ? Collections.emptySet() : Collections.unmodifiableSet(EnumSet.copyOf((Collection<Tier>) tiers));
        if (keep == reasons.isEmpty()) {
            throw new IllegalArgumentException("backup " + id + ": a kept backup needs a reason and a removed one has none");
        }
    }

    /** {@code keep 20261122T020000Z-3f9a: newest, daily 2026-11-22} or {@code remove 20261101T020000Z-11aa}. */
    @Override
    public String toString() {
        return keep ? "keep " + id + ": " + String.join(", ", reasons) : "remove " + id;
    }
}
