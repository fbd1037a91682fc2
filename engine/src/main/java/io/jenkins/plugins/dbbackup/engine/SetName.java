package io.jenkins.plugins.dbbackup.engine;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Names of backup sets. A set name becomes a directory or key prefix, so it is restricted to a safe alphabet:
 * no path separators, no {@code ..}, no leading dot.
 */
public final class SetName {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private SetName() {}

    /**
     * Checks a set name.
     *
     * @throws IllegalArgumentException naming the set and the allowed characters
     */
    public static String check(String set) {
        if (set == null || !VALID.matcher(set).matches() || set.contains("..")) {
            throw new IllegalArgumentException("set name '" + UntrustedText.shown(set) + "' is not allowed: use 1 to"
                    + " 128 letters, digits, '.', '_' or '-', starting with a letter or digit (no '/', no '..')");
        }
        return set;
    }

    /** Turns any text (a database name, a host) into a valid set name. */
    public static String sanitize(String text) {
        String cleaned = text == null ? "" : text.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("\\.{2,}", ".");
        cleaned = cleaned.replaceAll("^[^A-Za-z0-9]+", "");
        if (cleaned.isEmpty()) {
            cleaned = "backup";
        }
        return cleaned.length() > 128 ? cleaned.substring(0, 128).toLowerCase(Locale.ROOT) : cleaned;
    }
}
