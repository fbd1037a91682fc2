package io.jenkins.plugins.dbbackup.engine.retention;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a retention tier asks of the objects of the backups it keeps: a storage class and/or a lock period, e.g.
 * {@code daily: STANDARD, 8d; monthly: STANDARD_IA, 400d}. Pure and immutable.
 *
 * <p>A lock period counts from the backup's own time, so every prune computes the same retain-until date for the same
 * backup and tier (applying it twice changes nothing). When several tiers keep a backup, the longest lock wins, and
 * the storage class of the longest-lived tier that names one ({@link #RANK}: yearly before monthly before weekly
 * before daily before hourly before within before last).
 *
 * <p>A calendar tier's settings apply only once its period is over: the newest backup of the current month is this
 * month's "monthly" only until a newer one is made, so locking it for 400 days on the spot would lock every daily
 * backup for 400 days. {@link #target} takes the tiers that keep a backup and leaves out those whose period has not
 * ended yet.
 *
 * @param byTier the setting of each tier that has one
 */
public record TierSettings(Map<Tier, Setting> byTier) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** No tier asks for anything. */
    public static final TierSettings NONE = new TierSettings(Map.of());

    /** Longest-lived first: the order in which tiers choose a storage class. */
    public static final List<Tier> RANK = List.of(Tier.YEARLY, Tier.MONTHLY, Tier.WEEKLY, Tier.DAILY, Tier.HOURLY,
            Tier.WITHIN, Tier.LAST);

    /**
     * One tier's wishes.
     *
     * @param storageClass a storage class such as {@code STANDARD_IA}, or null to leave the class alone
     * @param lockDays days after the backup's time its objects stay locked, or 0 for no lock wish
     */
    public record Setting(String storageClass, int lockDays) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        public Setting {
            if (storageClass != null) {
                storageClass = storageClass.strip().toUpperCase(Locale.ROOT);
                if (storageClass.isEmpty()) {
                    storageClass = null;
                } else if (!storageClass.matches("[A-Z][A-Z0-9_]*")) {
                    throw new IllegalArgumentException("'" + storageClass
                            + "' is not a storage class name such as STANDARD_IA");
                }
            }
            if (lockDays < 0 || lockDays > 36_500) {
                throw new IllegalArgumentException("a lock period must be between 1 and 36500 days, got " + lockDays);
            }
            if (storageClass == null && lockDays == 0) {
                throw new IllegalArgumentException("a tier setting names a storage class, a lock period (400d), or both");
            }
        }

        @Override
        public String toString() {
            return storageClass == null ? lockDays + "d" : lockDays == 0 ? storageClass : storageClass + ", " + lockDays + "d";
        }
    }

    public TierSettings {
        Objects.requireNonNull(byTier, "byTier");
        byTier = byTier.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(byTier));
    }

    /**
     * Parses {@code tier: item[, item]} entries separated by {@code ;} or new lines, where an item is a storage class
     * ({@code STANDARD_IA}) or a lock period in days ({@code 400d}); tiers are {@code last}, {@code hourly},
     * {@code daily}, {@code weekly}, {@code monthly}, {@code yearly}, {@code within}. Blank text is {@link #NONE}.
     *
     * @throws IllegalArgumentException with one line naming the entry and what is wrong
     */
    public static TierSettings parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        Map<Tier, Setting> map = new EnumMap<>(Tier.class);
        for (String raw : text.split("[;\\n]")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("tier setting '" + entry
                        + "' is not 'tier: CLASS, DAYSd' (for example 'monthly: STANDARD_IA, 400d')");
            }
            Tier tier = tier(entry.substring(0, colon));
            if (map.containsKey(tier)) {
                throw new IllegalArgumentException("tier " + name(tier) + " is given twice");
            }
            map.put(tier, setting(tier, entry.substring(colon + 1)));
        }
        return new TierSettings(map);
    }

    /** Parses the value of one tier ({@code STANDARD_IA, 400d}). */
    public static Setting setting(Tier tier, String value) {
        String storageClass = null;
        int days = 0;
        for (String part : value.split(",")) {
            String item = part.strip();
            if (item.isEmpty()) {
                continue;
            }
            if (item.matches("(?i)\\d+d")) {
                if (days != 0) {
                    throw new IllegalArgumentException("tier " + name(tier) + ": two lock periods in '" + value.strip() + "'");
                }
                try {
                    days = Integer.parseInt(item.substring(0, item.length() - 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("tier " + name(tier) + ": lock period '" + item + "' is too long");
                }
                if (days < 1) {
                    throw new IllegalArgumentException("tier " + name(tier) + ": a lock period is at least 1d");
                }
            } else if (item.matches("[A-Za-z][A-Za-z0-9_]*")) {
                if (storageClass != null) {
                    throw new IllegalArgumentException("tier " + name(tier) + ": two storage classes in '"
                            + value.strip() + "'");
                }
                storageClass = item;
            } else {
                throw new IllegalArgumentException("tier " + name(tier) + ": '" + item
                        + "' is neither a storage class (STANDARD_IA) nor a lock period in days (400d)");
            }
        }
        try {
            return new Setting(storageClass, days);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tier " + name(tier) + ": " + e.getMessage(), e);
        }
    }

    /** A tier by its lower-case name. */
    public static Tier tier(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        for (Tier t : Tier.values()) {
            if (t.name().equals(n)) {
                return t;
            }
        }
        throw new IllegalArgumentException("'" + name.strip() + "' is not a retention tier: use last, hourly, daily,"
                + " weekly, monthly, yearly or within");
    }

    static String name(Tier tier) {
        return tier.name().toLowerCase(Locale.ROOT);
    }

    public boolean isEmpty() {
        return byTier.isEmpty();
    }

    /** Whether some tier asks for a lock period. */
    public boolean hasLocks() {
        return byTier.values().stream().anyMatch(s -> s.lockDays() > 0);
    }

    /** The text {@link #parse} reads back: {@code daily: STANDARD, 8d; monthly: STANDARD_IA, 400d}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (Tier t : Tier.values()) {
            Setting s = byTier.get(t);
            if (s != null) {
                parts.add(name(t) + ": " + s);
            }
        }
        return String.join("; ", parts);
    }

    /**
     * What the objects of one kept backup should carry.
     *
     * @param storageClass the class to move to, or null to leave the class alone
     * @param retainUntil the lock to extend to at least, or null for no lock wish
     * @param tiers the tiers whose settings gave this target (lower case, longest-lived first)
     */
    public record Target(String storageClass, Instant retainUntil, List<String> tiers) {
        public boolean isEmpty() {
            return storageClass == null && retainUntil == null;
        }
    }

    /**
     * The target of a backup made at {@code time} and kept by {@code tiers}, at {@code now}; calendar tiers whose
     * period (in {@code zone}) has not ended yet are left out.
     */
    public Target target(Set<Tier> tiers, Instant time, Instant now, ZoneId zone) {
        String storageClass = null;
        Instant until = null;
        List<String> used = new ArrayList<>();
        for (Tier t : RANK) {
            Setting s = byTier.get(t);
            if (s == null || !tiers.contains(t) || !periodOver(t, time, now, zone)) {
                continue;
            }
            used.add(name(t));
            if (storageClass == null && s.storageClass() != null) {
                storageClass = s.storageClass();
            }
            if (s.lockDays() > 0) {
                Instant u = time.plus(Duration.ofDays(s.lockDays()));
                if (until == null || u.isAfter(until)) {
                    until = u;
                }
            }
        }
        return new Target(storageClass, until, List.copyOf(used));
    }

    /** Whether the calendar period of {@code tier} that holds {@code time} has ended by {@code now}. */
    static boolean periodOver(Tier tier, Instant time, Instant now, ZoneId zone) {
        ZonedDateTime t = time.atZone(zone);
        ZonedDateTime n = now.atZone(zone);
        return switch (tier) {
            case HOURLY -> !t.truncatedTo(ChronoUnit.HOURS).toInstant().equals(n.truncatedTo(ChronoUnit.HOURS).toInstant());
            case DAILY -> !LocalDate.from(t).equals(LocalDate.from(n));
            case WEEKLY -> t.get(IsoFields.WEEK_BASED_YEAR) != n.get(IsoFields.WEEK_BASED_YEAR)
                    || t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR) != n.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            case MONTHLY -> !YearMonth.from(t).equals(YearMonth.from(n));
            case YEARLY -> t.getYear() != n.getYear();
            case LAST, WITHIN -> true;
        };
    }
}
