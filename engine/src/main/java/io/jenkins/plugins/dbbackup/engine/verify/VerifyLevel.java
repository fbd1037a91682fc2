package io.jenkins.plugins.dbbackup.engine.verify;

import java.util.Locale;

/** How deeply to verify; each level includes the ones before. */
public enum VerifyLevel {
    /** Re-read the stored object; compare size and SHA-256 with the manifest. Needs no key. */
    CHECKSUM,
    /** Also decrypt and decompress, compare the original size and SHA-256, and check the dump's format. */
    STRUCTURE,
    /** Also restore into a scratch database and compare row (or key) counts with the manifest. */
    RESTORE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code checksum}, {@code structure} or {@code restore}, case-insensitive. */
    public static VerifyLevel parse(String value) {
        if (value != null) {
            for (VerifyLevel level : values()) {
                if (level.name().equalsIgnoreCase(value.trim())) {
                    return level;
                }
            }
        }
        throw new IllegalArgumentException("unknown verification level '" + value
                + "': use checksum, structure or restore");
    }
}
