package io.jenkins.plugins.dbbackup.engine.source.redis;

/**
 * Which RDB format versions a Redis server reads and writes, from its {@code redis_version}. A server loads every
 * version up to the one it writes and refuses newer ones, so an RDB may be restored into a server whose
 * {@link #newestReadable} is at least the RDB's version.
 */
public final class RdbVersions {
    private RdbVersions() {}

    /**
     * The newest RDB version a server of {@code redisVersion} reads (and writes): 6 for 2.6 to 3.0, 7 for 3.2, 8 for
     * 4.0, 9 for 5.0 to 6.2, 10 for 7.0, 11 for 7.2, 12 for 7.4 and 8.0 (and, as far as this tool knows, later).
     * Valkey reports {@code redis_version} 7.2.x and writes 11.
     *
     * @throws IllegalArgumentException when the version cannot be parsed
     */
    public static int newestReadable(String redisVersion) {
        String[] parts = redisVersion == null ? new String[0] : redisVersion.strip().split("\\.");
        if (parts.length < 2) {
            throw new IllegalArgumentException("cannot read the Redis version '" + redisVersion + "'");
        }
        int major;
        int minor;
        try {
            major = Integer.parseInt(parts[0]);
            minor = Integer.parseInt(parts[1].replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot read the Redis version '" + redisVersion + "'");
        }
        int v = major * 100 + minor;
        if (v >= 704) {
            return 12;
        }
        if (v >= 702) {
            return 11;
        }
        if (v >= 700) {
            return 10;
        }
        if (v >= 500) {
            return 9;
        }
        if (v >= 400) {
            return 8;
        }
        if (v >= 302) {
            return 7;
        }
        if (v >= 206) {
            return 6;
        }
        return 5;
    }

    /** The oldest Redis release that writes {@code rdbVersion}, for messages: 10 → "7.0". */
    public static String firstRelease(int rdbVersion) {
        return switch (rdbVersion) {
            case 12 -> "7.4";
            case 11 -> "7.2";
            case 10 -> "7.0";
            case 9 -> "5.0";
            case 8 -> "4.0";
            case 7 -> "3.2";
            case 6 -> "2.6";
            default -> rdbVersion > 12 ? "a release newer than 8.0" : "2.4";
        };
    }
}
