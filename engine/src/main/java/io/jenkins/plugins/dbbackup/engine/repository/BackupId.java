package io.jenkins.plugins.dbbackup.engine.repository;

import io.jenkins.plugins.dbbackup.engine.UntrustedText;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Backup ids: {@code 20261122T020000Z-3f9a1c2b}, the UTC start second and 32 random bits. They sort by time as
 * strings, and two backups of one set started in the same second on two machines still get different ids.
 */
public final class BackupId {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern VALID = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{8}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private BackupId() {}

    public static String generate(Instant start) {
        return FORMAT.format(start.truncatedTo(ChronoUnit.SECONDS)) + "-"
                + HexFormat.of().toHexDigits(RANDOM.nextInt());
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /**
     * @throws IllegalArgumentException naming the expected form
     */
    public static String check(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("backup id '" + UntrustedText.shown(id)
                    + "' is not valid: ids look like 20261122T020000Z-3f9a1c2b (use 'latest' for the newest)");
        }
        return id;
    }
}
