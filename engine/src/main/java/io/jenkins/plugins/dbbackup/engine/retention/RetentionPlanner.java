package io.jenkins.plugins.dbbackup.engine.retention;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Applies a {@link RetentionPolicy} to the backups of one set: a pure function of its arguments (no clock, no I/O,
 * no state), so the same inputs always give the same plan.
 *
 * <h2>Order</h2>
 * Backups are ordered newest first by {@code time}, and among equal times by {@code id} descending (ids sort by time,
 * so the greater id is the later one). "Newer", "newest" and "the N newest" below all mean this order; the plan's
 * decisions come in it too.
 *
 * <h2>Which backups take part</h2>
 * <ul>
 *   <li><b>Incomplete</b> entries (no manifest: an upload in progress, or an abandoned one) are always kept with the
 *       single reason {@value #IN_PROGRESS}, count for no rule and take no slot. Retention never deletes what it cannot
 *       see whole; cleaning up abandoned uploads is the repository's job.</li>
 *   <li>Complete backups with 0 stored bytes are never "the newest", never count as verified and fill no slot (see
 *       {@link RetentionCandidate#hasData()}); only {@code keepWithin} and the failed-verification hold keep them.</li>
 *   <li>Backups whose latest verification FAILED fill no {@code keepLast} slot and no calendar bucket, so a damaged
 *       backup never pushes out a good one of the same day (see {@link RetentionCandidate#isSound()}).</li>
 * </ul>
 *
 * <h2>Rules, and the reasons they give</h2>
 * A complete backup is kept if any rule keeps it; its decision lists <em>every</em> rule that does, in this order:
 * <ol>
 *   <li>{@value #NEWEST}: the newest complete backup with data, always (whatever its verification).</li>
 *   <li>{@code last N}: one of the {@code keepLast} newest sound backups. Tier {@link Tier#LAST}.</li>
 *   <li>{@code hourly 2026-11-20 14:00+01:00}, {@code daily 2026-11-20}, {@code weekly 2026-W47},
 *       {@code monthly 2026-11}, {@code yearly 2026}: for each kind with a count N &gt; 0, walk the sound backups
 *       newest to oldest and keep each one whose bucket has not been seen yet, until N distinct buckets are kept; so
 *       the newest backup of each of the N most recent buckets that hold a sound backup is kept (restic's semantics;
 *       periods without a backup do not count). Buckets are read in the policy's zone: the local date, the ISO week
 *       of the week-based year ({@code 2021-01-03} is in {@code 2020-W53}), the local month, the local year; an
 *       hour is the local hour <em>with its UTC offset</em>, so the repeated hour of a DST fall-back is two
 *       buckets. A bucket is identified by its value, not by adjacency, so a zone whose clocks go back across
 *       midnight does not count the same day twice. Tiers {@link Tier#HOURLY} … {@link Tier#YEARLY}.</li>
 *   <li>{@code within 2d}: the backup's time is at or after {@code now} minus {@code keepWithin}
 *       ({@link CalendarDuration#subtractFrom}); a backup stamped after {@code now} (clock skew) is within. Applies
 *       to every complete backup, damaged or empty ones included, so recent failures stay for inspection.
 *       Tier {@link Tier#WITHIN}.</li>
 *   <li>{@value #VERIFIED_MINIMUM}: one of the {@code minKeepVerified} newest backups with data whose latest
 *       verification is OK. No tier.</li>
 *   <li>{@value #HELD_UNTIL_VERIFIED}: with {@code keepUntilVerified}, when the newest complete backup whose
 *       verification FAILED is newer than every backup verified OK, that backup and every complete backup older than
 *       it are held (a failure may mean the recent chain is bad; the older backups are the fallback). The hold lifts
 *       once a newer backup verifies OK. Keeping the failed backup itself keeps the plan idempotent: pruning again
 *       over the kept backups would otherwise lose the hold. No tier.</li>
 * </ol>
 *
 * <h2>Refusal</h2>
 * With {@code requireVerifiedNewest}, when the newest complete backup stored 0 bytes or its latest verification is not
 * OK, the plan has a refusal, removes nothing, and every backup no rule keeps is kept with the single reason
 * {@value #REFUSED}. A set without complete backups has nothing to prune and no refusal.
 */
public final class RetentionPlanner {
    /** Reason of the always-kept newest backup. */
    public static final String NEWEST = "newest";
    /** Reason of the {@code minKeepVerified} rule. */
    public static final String VERIFIED_MINIMUM = "verified minimum";
    /** Reason of the {@code keepUntilVerified} hold. */
    public static final String HELD_UNTIL_VERIFIED = "kept until a newer backup verifies";
    /** The only reason of an incomplete entry. */
    public static final String IN_PROGRESS = "in progress";
    /** Reason of a backup that only a refused plan keeps. */
    public static final String REFUSED = "plan refused";

    private RetentionPlanner() {
    }

    /**
     * Plans retention for the backups of one set.
     *
     * @param backups the set's backups in any order; ids unique; not null, no null elements
     * @param policy  the policy; not null
     * @param now     the instant {@code keepWithin} counts back from; not null
     * @return one decision per backup, newest first
     * @throws IllegalArgumentException if two backups share an id
     */
    public static RetentionPlan plan(List<RetentionCandidate> backups, RetentionPolicy policy, Instant now) {
        Objects.requireNonNull(backups, "backups");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(now, "now");
        Set<String> ids = new HashSet<>();
        for (RetentionCandidate b : backups) {
            Objects.requireNonNull(b, "backup");
            if (!ids.add(b.id())) {
                throw new IllegalArgumentException("backup id " + b.id() + " appears twice");
            }
        }
        List<RetentionCandidate> sorted = new ArrayList<>(backups);
        sorted.sort(NEWEST_FIRST);
        int n = sorted.size();
        List<List<String>> reasons = new ArrayList<>(n);
        List<Set<Tier>> tiers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            reasons.add(new ArrayList<>());
            tiers.add(EnumSet.noneOf(Tier.class));
        }

        // newest
        for (int i = 0; i < n; i++) {
            if (sorted.get(i).hasData()) {
                reasons.get(i).add(NEWEST);
                break;
            }
        }
        // last N
        int last = 0;
        for (int i = 0; i < n && last < policy.keepLast(); i++) {
            if (sorted.get(i).isSound()) {
                last++;
                reasons.get(i).add("last " + policy.keepLast());
                tiers.get(i).add(Tier.LAST);
            }
        }
        // calendar buckets
        for (Bucket kind : Bucket.values()) {
            int wanted = kind.count(policy);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < n && seen.size() < wanted; i++) {
                RetentionCandidate b = sorted.get(i);
                if (b.isSound()) {
                    String key = kind.key(b.time(), policy.zone());
                    if (seen.add(key)) {
                        reasons.get(i).add(kind.label + " " + key);
                        tiers.get(i).add(kind.tier);
                    }
                }
            }
        }
        // within
        if (!policy.keepWithin().isZero()) {
            Instant cutoff = policy.keepWithin().subtractFrom(now, policy.zone());
            for (int i = 0; i < n; i++) {
                RetentionCandidate b = sorted.get(i);
                if (b.complete() && !b.time().isBefore(cutoff)) {
                    reasons.get(i).add("within " + policy.keepWithin());
                    tiers.get(i).add(Tier.WITHIN);
                }
            }
        }
        // verified minimum
        int verified = 0;
        for (int i = 0; i < n && verified < policy.minKeepVerified(); i++) {
            if (sorted.get(i).isVerified()) {
                verified++;
                reasons.get(i).add(VERIFIED_MINIMUM);
            }
        }
        // hold after a failed verification
        if (policy.keepUntilVerified()) {
            int heldFrom = heldFrom(sorted);
            for (int i = heldFrom; i < n; i++) {
                if (sorted.get(i).complete()) {
                    reasons.get(i).add(HELD_UNTIL_VERIFIED);
                }
            }
        }
        // in progress: replaces anything above (nothing above applies to an incomplete entry)
        for (int i = 0; i < n; i++) {
            if (!sorted.get(i).complete()) {
                reasons.set(i, List.of(IN_PROGRESS));
            }
        }

        Optional<String> refusal = policy.requireVerifiedNewest() ? refusal(sorted) : Optional.empty();
        List<RetentionDecision> decisions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            RetentionCandidate b = sorted.get(i);
            List<String> r = reasons.get(i);
            if (r.isEmpty() && refusal.isPresent()) {
                r = List.of(REFUSED);
            }
            decisions.add(new RetentionDecision(b.id(), b.time(), !r.isEmpty(), r, tiers.get(i)));
        }
        return new RetentionPlan(decisions, refusal);
    }

    /** Time descending, then id descending. */
    static final Comparator<RetentionCandidate> NEWEST_FIRST = Comparator.comparing(RetentionCandidate::time)
            .thenComparing(RetentionCandidate::id).reversed();

    /**
     * Index (in newest-first order) of the newest complete backup that FAILED verification, if no backup before it
     * is verified OK; otherwise {@code sorted.size()} (nothing held).
     */
    private static int heldFrom(List<RetentionCandidate> sorted) {
        for (int i = 0; i < sorted.size(); i++) {
            RetentionCandidate b = sorted.get(i);
            if (b.isVerified()) {
                return sorted.size();
            }
            if (b.complete() && b.verification() == VerificationState.FAILED) {
                return i;
            }
        }
        return sorted.size();
    }

    private static Optional<String> refusal(List<RetentionCandidate> sorted) {
        for (RetentionCandidate b : sorted) {
            if (!b.complete()) {
                continue;
            }
            String why;
            if (b.storedBytes() == 0) {
                why = "stored 0 bytes";
            } else if (b.verification() == VerificationState.FAILED) {
                why = "failed verification";
            } else if (b.verification() == VerificationState.NONE) {
                why = "is not verified";
            } else {
                return Optional.empty();
            }
            return Optional.of("nothing removed: the newest backup " + b.id() + " " + why
                    + "; pruning needs a newest backup verified at level checksum or higher"
                    + " (or requireVerifiedNewest=false)");
        }
        return Optional.empty();
    }

    /** The calendar bucket kinds, in the order their reasons are listed. */
    private enum Bucket {
        HOURLY("hourly", Tier.HOURLY) {
            @Override
            String key(ZonedDateTime t) {
                ZoneOffset o = t.getOffset();
                return String.format(Locale.ROOT, "%s %02d:00%s", t.toLocalDate(), t.getHour(),
                        o.equals(ZoneOffset.UTC) ? "+00:00" : o.getId());
            }
        },
        DAILY("daily", Tier.DAILY) {
            @Override
            String key(ZonedDateTime t) {
                return t.toLocalDate().toString();
            }
        },
        WEEKLY("weekly", Tier.WEEKLY) {
            @Override
            String key(ZonedDateTime t) {
                return String.format(Locale.ROOT, "%d-W%02d", t.get(IsoFields.WEEK_BASED_YEAR), t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            }
        },
        MONTHLY("monthly", Tier.MONTHLY) {
            @Override
            String key(ZonedDateTime t) {
                return String.format(Locale.ROOT, "%d-%02d", t.getYear(), t.getMonthValue());
            }
        },
        YEARLY("yearly", Tier.YEARLY) {
            @Override
            String key(ZonedDateTime t) {
                return Integer.toString(t.getYear());
            }
        };

        final String label;
        final Tier tier;

        Bucket(String label, Tier tier) {
            this.label = label;
            this.tier = tier;
        }

        abstract String key(ZonedDateTime t);

        String key(Instant time, ZoneId zone) {
            return key(time.atZone(zone));
        }

        int count(RetentionPolicy p) {
            return switch (this) {
                case HOURLY -> p.keepHourly();
                case DAILY -> p.keepDaily();
                case WEEKLY -> p.keepWeekly();
                case MONTHLY -> p.keepMonthly();
                case YEARLY -> p.keepYearly();
            };
        }
    }
}
