package io.jenkins.plugins.dbbackup.engine.codec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the stored object is compressed. The suffix is what the repository appends to the object name. */
public enum Compression {
    /** Stored as is. */
    NONE(""),
    /** RFC 1952 gzip, readable by {@code gzip -d}. */
    GZIP(".gz"),
    /** Zstandard frames with content checksums, readable by {@code zstd -d}. */
    ZSTD(".zst");

    private final String suffix;

    Compression(String suffix) {
        this.suffix = suffix;
    }

    /** The file name suffix: {@code ""}, {@code ".gz"} or {@code ".zst"}. */
    /** The lower-case name used in manifests, options and step arguments: {@code none}, {@code gzip}, {@code zstd}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public String suffix() {
        return suffix;
    }

    /**
     * The algorithm named {@code value}, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException naming the valid values when {@code value} is null or unknown
     */
    public static Compression parse(String value) {
        String key = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
        for (Compression c : values()) {
            if (c.name().equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException("Unknown compression '" + value + "'; valid values are: "
                + Arrays.stream(values()).map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}
