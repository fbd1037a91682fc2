package io.jenkins.plugins.dbbackup.engine.codec;

import java.util.Locale;

/** Compression algorithms for stored backups. */
public enum Compression {
    NONE(""),
    GZIP(".gz"),
    ZSTD(".zst");

    private final String suffix;

    Compression(String suffix) {
        this.suffix = suffix;
    }

    /** The file-name suffix of a stored object, e.g. {@code .zst}. */
    public String suffix() {
        return suffix;
    }

    /** Parses {@code none}, {@code gzip} or {@code zstd}, case-insensitive. */
    public static Compression parse(String value) {
        if (value != null) {
            for (Compression c : values()) {
                if (c.name().equalsIgnoreCase(value.trim())) {
                    return c;
                }
            }
        }
        throw new IllegalArgumentException("unknown compression '" + value + "': use zstd, gzip or none");
    }

    /** Lower-case id used in manifests. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
