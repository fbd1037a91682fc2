package io.jenkins.plugins.dbbackup;

import java.util.Locale;

/** Byte counts for people. */
final class Bytes {
    private Bytes() {}

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 12.3 MiB} ... */
    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String units = "KMGTPE";
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length() - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %siB", value, units.charAt(unit));
    }
}
