package io.jenkins.plugins.dbbackup.engine.retention;

import java.io.Serial;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Which backups of a set to keep: an immutable value, checked when built. {@link RetentionPlanner} applies it.
 *
 * <p>Every rule keeps backups independently and a backup is kept when any rule keeps it (restic's model):
 * <ul>
 *   <li>{@code keepLast N}: the N newest sound backups.</li>
 *   <li>{@code keepHourly/Daily/Weekly/Monthly/Yearly N}: walking sound backups newest to oldest, the newest backup
 *       of each distinct hour/day/ISO week/month/year in {@link #zone()}, until N such periods are kept.</li>
 *   <li>{@code keepWithin D}: every complete backup whose time is at or after {@code now} minus D
 *       (see {@link CalendarDuration#subtractFrom}).</li>
 *   <li>{@code minKeepVerified N}: the N newest sound backups whose latest verification is OK, so that no plan leaves
 *       fewer than N verified backups when N exist.</li>
 *   <li>{@code keepUntilVerified} (default on): while the newest failed verification is newer than every OK one,
 *       that failed backup and every complete backup older than it are kept.</li>
 *   <li>{@code requireVerifiedNewest} (default on): the plan removes nothing unless the newest complete backup has an
 *       OK verification and stored bytes.</li>
 * </ul>
 * The newest complete backup with stored bytes is always kept, so an empty policy would keep only that one; it is
 * refused unless {@code allowEmpty} is set. "Sound" is defined on {@link RetentionCandidate#isSound()}.
 *
 * <p>The canonical constructor validates; {@link #builder()} and {@link #parse(Map)} are the usual ways in.
 *
 * @param keepLast              number of newest sound backups to keep, at least 0
 * @param keepHourly            number of hours to keep one backup of, at least 0
 * @param keepDaily             number of days, at least 0
 * @param keepWeekly            number of ISO weeks (Monday to Sunday, week-based year), at least 0
 * @param keepMonthly           number of months, at least 0
 * @param keepYearly            number of years, at least 0
 * @param keepWithin            window before {@code now} in which every backup is kept; {@code null} means
 *                              {@link CalendarDuration#ZERO} (no window)
 * @param minKeepVerified       number of newest OK-verified backups always kept, at least 0
 * @param zone                  time zone of the calendar buckets and of {@code keepWithin}'s calendar part;
 *                              {@code null} means UTC; normalized, so {@code UTC} and {@code Etc/UTC} equal
 *                              {@link ZoneOffset#UTC}
 * @param keepUntilVerified     hold older backups after a failed verification until a newer one verifies OK
 * @param requireVerifiedNewest remove nothing unless the newest complete backup is verified OK
 * @param allowEmpty            the user explicitly accepts a policy that keeps only the newest backup
 */
public record RetentionPolicy(int keepLast, int keepHourly, int keepDaily, int keepWeekly, int keepMonthly,
        int keepYearly, CalendarDuration keepWithin, int minKeepVerified, ZoneId zone, boolean keepUntilVerified,
        boolean requireVerifiedNewest, boolean allowEmpty) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Option names, as {@link #parse(Map)} accepts them and {@link #toOptions()} writes them. */
    public static final String KEEP_LAST = "keepLast";
    public static final String KEEP_HOURLY = "keepHourly";
    public static final String KEEP_DAILY = "keepDaily";
    public static final String KEEP_WEEKLY = "keepWeekly";
    public static final String KEEP_MONTHLY = "keepMonthly";
    public static final String KEEP_YEARLY = "keepYearly";
    public static final String KEEP_WITHIN = "keepWithin";
    public static final String MIN_KEEP_VERIFIED = "minKeepVerified";
    public static final String ZONE = "zone";
    public static final String KEEP_UNTIL_VERIFIED = "keepUntilVerified";
    public static final String REQUIRE_VERIFIED_NEWEST = "requireVerifiedNewest";
    public static final String ALLOW_EMPTY = "allowEmpty";

    private static final List<String> OPTIONS = List.of(KEEP_LAST, KEEP_HOURLY, KEEP_DAILY, KEEP_WEEKLY,
            KEEP_MONTHLY, KEEP_YEARLY, KEEP_WITHIN, MIN_KEEP_VERIFIED, ZONE, KEEP_UNTIL_VERIFIED,
            REQUIRE_VERIFIED_NEWEST, ALLOW_EMPTY);

    /**
     * Validates and normalises ({@code null} window to {@link CalendarDuration#ZERO}, {@code null} zone to UTC, a zone
     * with fixed rules to its offset).
     *
     * @throws RetentionPolicyException for a negative count, or an empty policy without {@code allowEmpty}
     */
    public RetentionPolicy {
        nonNegative(KEEP_LAST, keepLast);
        nonNegative(KEEP_HOURLY, keepHourly);
        nonNegative(KEEP_DAILY, keepDaily);
        nonNegative(KEEP_WEEKLY, keepWeekly);
        nonNegative(KEEP_MONTHLY, keepMonthly);
        nonNegative(KEEP_YEARLY, keepYearly);
        nonNegative(MIN_KEEP_VERIFIED, minKeepVerified);
        keepWithin = keepWithin == null ? CalendarDuration.ZERO : keepWithin;
        zone = zone == null ? ZoneOffset.UTC : zone.normalized();
        if (!allowEmpty && keepLast == 0 && keepHourly == 0 && keepDaily == 0 && keepWeekly == 0 && keepMonthly == 0
                && keepYearly == 0 && keepWithin.isZero() && minKeepVerified == 0) {
            throw new RetentionPolicyException(ALLOW_EMPTY, "the policy keeps nothing but the newest backup; give "
                    + "at least one of keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, "
                    + "keepWithin, minKeepVerified, or set allowEmpty=true to prune to the newest backup");
        }
    }

    private static void nonNegative(String option, int value) {
        if (value < 0) {
            throw new RetentionPolicyException(option, "must not be negative, got " + value);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this policy's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.keepLast = keepLast;
        b.keepHourly = keepHourly;
        b.keepDaily = keepDaily;
        b.keepWeekly = keepWeekly;
        b.keepMonthly = keepMonthly;
        b.keepYearly = keepYearly;
        b.keepWithin = keepWithin;
        b.minKeepVerified = minKeepVerified;
        b.zone = zone;
        b.keepUntilVerified = keepUntilVerified;
        b.requireVerifiedNewest = requireVerifiedNewest;
        b.allowEmpty = allowEmpty;
        return b;
    }

    /**
     * Whether no keep rule is set (all counts 0 and no window): such a policy keeps only the newest backup (and
     * whatever {@code keepUntilVerified} holds).
     */
    public boolean isEmpty() {
        return keepLast == 0 && keepHourly == 0 && keepDaily == 0 && keepWeekly == 0 && keepMonthly == 0
                && keepYearly == 0 && keepWithin.isZero() && minKeepVerified == 0;
    }

    /**
     * Reads a policy from step or command-line arguments.
     *
     * <p>Keys are the option names ({@link #KEEP_LAST} …) in camelCase ({@code keepDaily}) or kebab-case
     * ({@code keep-daily}), with or without a leading {@code --}. A {@code null} value is the same as an absent key.
     * Counts are decimal digits only (no sign, no fraction); booleans are {@code true} or {@code false} in any case;
     * {@code keepWithin} follows {@link CalendarDuration#parse}; {@code zone} is a region id ({@code Europe/Berlin}),
     * {@code UTC} or an offset ({@code +02:00}). Absent options take the {@link Builder} defaults.
     *
     * @throws RetentionPolicyException for the first bad option (in the map's iteration order), with a one-line
     *                                  message that names it as given
     */
    public static RetentionPolicy parse(Map<String, String> options) {
        Objects.requireNonNull(options, "options");
        Builder b = builder();
        Map<String, String> seen = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : options.entrySet()) {
            String given = Objects.requireNonNull(e.getKey(), "option name");
            String name = canonicalName(given);
            String previous = seen.put(name, given);
            if (previous != null) {
                throw new RetentionPolicyException(given, "given twice (also as " + previous + ")");
            }
            String value = e.getValue();
            if (value == null) {
                continue;
            }
            switch (name) {
                case KEEP_LAST -> b.keepLast = count(given, value);
                case KEEP_HOURLY -> b.keepHourly = count(given, value);
                case KEEP_DAILY -> b.keepDaily = count(given, value);
                case KEEP_WEEKLY -> b.keepWeekly = count(given, value);
                case KEEP_MONTHLY -> b.keepMonthly = count(given, value);
                case KEEP_YEARLY -> b.keepYearly = count(given, value);
                case MIN_KEEP_VERIFIED -> b.minKeepVerified = count(given, value);
                case KEEP_WITHIN -> b.keepWithin = CalendarDuration.parse(given, value);
                case ZONE -> b.zone = zone(given, value);
                case KEEP_UNTIL_VERIFIED -> b.keepUntilVerified = bool(given, value);
                case REQUIRE_VERIFIED_NEWEST -> b.requireVerifiedNewest = bool(given, value);
                case ALLOW_EMPTY -> b.allowEmpty = bool(given, value);
                default -> throw new RetentionPolicyException(given,
                        "unknown retention option; known options are " + String.join(", ", OPTIONS));
            }
        }
        return b.build();
    }

    /** {@code --keep-daily}, {@code keep-daily} and {@code keepDaily} all become {@code keepDaily}. */
    private static String canonicalName(String given) {
        String s = given.strip();
        if (s.startsWith("--")) {
            s = s.substring(2);
        }
        StringBuilder b = new StringBuilder(s.length());
        boolean upper = false;
        for (char c : s.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    private static int count(String option, String value) {
        String s = value.strip();
        if (s.isEmpty()) {
            throw new RetentionPolicyException(option, "no value given; expected a whole number, 0 or more");
        }
        if (s.startsWith("-") && s.length() > 1 && s.substring(1).chars().allMatch(Character::isDigit)) {
            throw new RetentionPolicyException(option, "must not be negative, got " + s);
        }
        if (!s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new RetentionPolicyException(option, "expected a whole number, 0 or more, got \"" + s + "\"");
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new RetentionPolicyException(option, "number too large: " + s + " (at most " + Integer.MAX_VALUE + ")");
        }
    }

    private static boolean bool(String option, String value) {
        String s = value.strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new RetentionPolicyException(option, "expected true or false, got \"" + value.strip() + "\"");
        };
    }

    private static ZoneId zone(String option, String value) {
        String s = value.strip();
        if (s.isEmpty()) {
            throw new RetentionPolicyException(option, "no value given; expected a time zone such as UTC or Europe/Berlin");
        }
        try {
            return ZoneId.of(s);
        } catch (DateTimeException e) {
            throw new RetentionPolicyException(option, "unknown time zone \"" + s
                    + "\"; expected a region such as Europe/Berlin, UTC, or an offset such as +02:00");
        }
    }

    /**
     * The options that {@link #parse(Map)} reads back into an equal policy, in a stable order; options at their
     * defaults are left out.
     */
    public Map<String, String> toOptions() {
        Map<String, String> m = new LinkedHashMap<>();
        putCount(m, KEEP_LAST, keepLast);
        putCount(m, KEEP_HOURLY, keepHourly);
        putCount(m, KEEP_DAILY, keepDaily);
        putCount(m, KEEP_WEEKLY, keepWeekly);
        putCount(m, KEEP_MONTHLY, keepMonthly);
        putCount(m, KEEP_YEARLY, keepYearly);
        if (!keepWithin.isZero()) {
            m.put(KEEP_WITHIN, keepWithin.toString());
        }
        putCount(m, MIN_KEEP_VERIFIED, minKeepVerified);
        if (!zone.equals(ZoneOffset.UTC)) {
            m.put(ZONE, zone.getId());
        }
        if (!keepUntilVerified) {
            m.put(KEEP_UNTIL_VERIFIED, "false");
        }
        if (!requireVerifiedNewest) {
            m.put(REQUIRE_VERIFIED_NEWEST, "false");
        }
        if (allowEmpty) {
            m.put(ALLOW_EMPTY, "true");
        }
        return m;
    }

    private static void putCount(Map<String, String> m, String option, int n) {
        if (n != 0) {
            m.put(option, Integer.toString(n));
        }
    }

    /**
     * One line for a log or a build page, for example
     * {@code keep last 3, 7 daily, 4 weekly, 12 monthly, within 2d, at least 1 verified (zone Europe/Berlin)}.
     * Options that differ from their defaults follow after a semicolon.
     */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (keepLast > 0) {
            parts.add("last " + keepLast);
        }
        addCount(parts, keepHourly, "hourly");
        addCount(parts, keepDaily, "daily");
        addCount(parts, keepWeekly, "weekly");
        addCount(parts, keepMonthly, "monthly");
        addCount(parts, keepYearly, "yearly");
        if (!keepWithin.isZero()) {
            parts.add("within " + keepWithin);
        }
        if (minKeepVerified > 0) {
            parts.add("at least " + minKeepVerified + " verified");
        }
        StringBuilder s = new StringBuilder();
        if (parts.isEmpty()) {
            s.append("keep only the newest backup (empty policy, explicitly allowed)");
        } else {
            s.append("keep ").append(String.join(", ", parts));
        }
        s.append(" (zone ").append(zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId()).append(')');
        if (!keepUntilVerified) {
            s.append("; no hold after a failed verification");
        }
        if (!requireVerifiedNewest) {
            s.append("; prunes even when the newest backup is not verified");
        }
        return s.toString();
    }

    private static void addCount(List<String> parts, int n, String label) {
        if (n > 0) {
            parts.add(n + " " + label);
        }
    }

    /**
     * Builds a policy; defaults: all counts 0, no {@code keepWithin}, zone UTC, {@code keepUntilVerified} and
     * {@code requireVerifiedNewest} on, {@code allowEmpty} off. Values are checked by {@link #build()}.
     */
    public static final class Builder {
        private int keepLast;
        private int keepHourly;
        private int keepDaily;
        private int keepWeekly;
        private int keepMonthly;
        private int keepYearly;
        private CalendarDuration keepWithin = CalendarDuration.ZERO;
        private int minKeepVerified;
        private ZoneId zone = ZoneOffset.UTC;
        private boolean keepUntilVerified = true;
        private boolean requireVerifiedNewest = true;
        private boolean allowEmpty;

        private Builder() {
        }

        public Builder keepLast(int n) {
            keepLast = n;
            return this;
        }

        public Builder keepHourly(int n) {
            keepHourly = n;
            return this;
        }

        public Builder keepDaily(int n) {
            keepDaily = n;
            return this;
        }

        public Builder keepWeekly(int n) {
            keepWeekly = n;
            return this;
        }

        public Builder keepMonthly(int n) {
            keepMonthly = n;
            return this;
        }

        public Builder keepYearly(int n) {
            keepYearly = n;
            return this;
        }

        public Builder keepWithin(CalendarDuration window) {
            keepWithin = window;
            return this;
        }

        /** Parses {@code window} as {@link CalendarDuration#parse} does, e.g. {@code 2d} or {@code 1y6m}. */
        public Builder keepWithin(String window) {
            keepWithin = CalendarDuration.parse(KEEP_WITHIN, window);
            return this;
        }

        public Builder minKeepVerified(int n) {
            minKeepVerified = n;
            return this;
        }

        public Builder zone(ZoneId z) {
            zone = z;
            return this;
        }

        public Builder zone(String z) {
            zone = RetentionPolicy.zone(ZONE, z);
            return this;
        }

        public Builder keepUntilVerified(boolean b) {
            keepUntilVerified = b;
            return this;
        }

        public Builder requireVerifiedNewest(boolean b) {
            requireVerifiedNewest = b;
            return this;
        }

        public Builder allowEmpty(boolean b) {
            allowEmpty = b;
            return this;
        }

        /** @throws RetentionPolicyException as the canonical constructor does */
        public RetentionPolicy build() {
            return new RetentionPolicy(keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly,
                    keepWithin, minKeepVerified, zone, keepUntilVerified, requireVerifiedNewest, allowEmpty);
        }
    }
}
