package io.jenkins.plugins.dbbackup.engine.retention;

import java.io.Serial;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * The length of the {@code keepWithin} window: years, months, weeks, days and hours, as a user writes it
 * ({@code 2d}, {@code 6w}, {@code 12h}, {@code 1y}, {@code 3m}, {@code 1y6m}, {@code 1d12h}).
 *
 * <p>Not a {@link java.time.Duration}: a month or a year has no fixed length, and "within 1m" should mean "since this
 * day last month". {@link #subtractFrom(Instant, ZoneId)} says exactly how the window is laid on the calendar.
 *
 * <h2>Syntax</h2>
 * One or more {@code <number><unit>} parts, no spaces, each unit at most once, in any order. Units (lower case only):
 * {@code y} years, {@code m} <b>months</b>, {@code w} weeks, {@code d} days, {@code h} hours. There are no minutes:
 * the finest retention bucket is the hour. {@code 0} alone, or any combination of zeros, is the empty window (no
 * {@code keepWithin}). {@link #toString()} writes the canonical form, largest unit first ({@code 6m1y} prints as
 * {@code 1y6m}); zero parts are left out.
 *
 * @param years  whole years, at least 0
 * @param months whole months, at least 0
 * @param weeks  whole weeks (7 calendar days each), at least 0
 * @param days   whole calendar days, at least 0
 * @param hours  whole hours of 3600 seconds, at least 0
 */
public record CalendarDuration(int years, int months, int weeks, int days, int hours) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The empty window. */
    public static final CalendarDuration ZERO = new CalendarDuration(0, 0, 0, 0, 0);

    /** How a bad value is explained, after the option name. */
    private static final String UNITS = "units are y (years), m (months), w (weeks), d (days), h (hours)";

    public CalendarDuration {
        if (years < 0 || months < 0 || weeks < 0 || days < 0 || hours < 0) {
            throw new IllegalArgumentException("a calendar duration cannot be negative: " + years + "y" + months
                    + "m" + weeks + "w" + days + "d" + hours + "h");
        }
    }

    /**
     * Parses the syntax described in the class comment.
     *
     * @param option the option name to start error messages with, e.g. {@code keepWithin}
     * @param text   the value as given; surrounding white space is ignored
     * @throws RetentionPolicyException with a one-line message naming {@code option}
     */
    public static CalendarDuration parse(String option, String text) {
        Objects.requireNonNull(option, "option");
        if (text == null || text.isBlank()) {
            throw new RetentionPolicyException(option, "no value given; expected a duration such as 2d, 6w, 12h, 3m or 1y6m");
        }
        String s = text.strip();
        if (s.startsWith("-")) {
            throw new RetentionPolicyException(option, "must not be negative, got \"" + s + "\"");
        }
        if (s.equals("0")) {
            return ZERO;
        }
        if (s.chars().anyMatch(Character::isWhitespace)) {
            throw new RetentionPolicyException(option, "write the duration without spaces, such as 1y6m, got \"" + s + "\"");
        }
        int[] parts = new int[5]; // y m w d h
        boolean[] seen = new boolean[5];
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            int unitStart = i;
            while (i < s.length() && !(s.charAt(i) >= '0' && s.charAt(i) <= '9')) {
                i++;
            }
            String digits = s.substring(start, unitStart);
            String unit = s.substring(unitStart, i);
            if (digits.isEmpty()) {
                throw new RetentionPolicyException(option, "expected a number before '" + unit + "' in \"" + s + "\"; "
                        + UNITS);
            }
            if (unit.isEmpty()) {
                throw new RetentionPolicyException(option, "missing unit after " + digits + " in \"" + s + "\"; " + UNITS);
            }
            int slot = switch (unit) {
                case "y" -> 0;
                case "m" -> 1;
                case "w" -> 2;
                case "d" -> 3;
                case "h" -> 4;
                default -> -1;
            };
            if (slot < 0) {
                String hint = unit.equals("M") || unit.startsWith("mi") ? " (m means months; there are no minutes)" : "";
                throw new RetentionPolicyException(option, "unknown unit '" + unit + "' in \"" + s + "\"" + hint + "; "
                        + UNITS);
            }
            if (seen[slot]) {
                throw new RetentionPolicyException(option, "unit '" + unit + "' given twice in \"" + s + "\"");
            }
            seen[slot] = true;
            try {
                parts[slot] = Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                throw new RetentionPolicyException(option, "number too large: " + digits + unit);
            }
        }
        CalendarDuration d = new CalendarDuration(parts[0], parts[1], parts[2], parts[3], parts[4]);
        try {
            d.period(); // weeks * 7 + days must fit
        } catch (ArithmeticException e) {
            throw new RetentionPolicyException(option, "too large: \"" + s + "\"");
        }
        return d;
    }

    /** Whether this is the empty window. */
    public boolean isZero() {
        return equals(ZERO);
    }

    /** The calendar part: years, months, and weeks folded into days. */
    private Period period() {
        return Period.of(years, months, Math.addExact(Math.multiplyExact(weeks, 7), days));
    }

    /**
     * The start of the window that ends at {@code end}: the calendar part (years, months, weeks, days) is subtracted
     * from the local date-time of {@code end} in {@code zone}, then the hours are subtracted as exact hours.
     *
     * <ul>
     *   <li>Days are calendar days: across a 23- or 25-hour DST day, {@code 1d} before 12:00 local is 12:00 local the
     *       day before (23 or 25 real hours), while {@code 24h} is always 24 real hours.</li>
     *   <li>Months and years keep the day of month, clamped to the end of a shorter month: 31 March minus {@code 1m}
     *       is 28 (or 29) February; years, months and days are applied together as one {@link Period}.</li>
     *   <li>If the resulting local time falls in a DST gap it moves forward by the length of the gap; in an overlap
     *       the offset of {@code end} is kept where valid (the rules of {@link ZonedDateTime#minus}).</li>
     *   <li>A window reaching before the supported range of dates starts at {@link Instant#MIN}.</li>
     * </ul>
     */
    public Instant subtractFrom(Instant end, ZoneId zone) {
        try {
            return end.atZone(zone).minus(period()).toInstant().minusSeconds(3600L * hours);
        } catch (DateTimeException | ArithmeticException e) {
            return Instant.MIN;
        }
    }

    /** The canonical form, largest unit first: {@code 1y6m}, {@code 6w}, {@code 1d12h}; the empty window is {@code 0}. */
    @Override
    public String toString() {
        if (isZero()) {
            return "0";
        }
        StringBuilder b = new StringBuilder();
        append(b, years, 'y');
        append(b, months, 'm');
        append(b, weeks, 'w');
        append(b, days, 'd');
        append(b, hours, 'h');
        return b.toString();
    }

    private static void append(StringBuilder b, int n, char unit) {
        if (n != 0) {
            b.append(n).append(unit);
        }
    }
}
