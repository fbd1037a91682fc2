package io.jenkins.plugins.dbbackup.engine.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The record of one complete backup, stored as {@code manifest.json} next to the data and written last: no manifest,
 * no backup. Immutable once written (verifications go to their own files). Holds no secret.
 *
 * <p>The JSON form is documented in {@code docs/repository-format.md}; {@link #formatVersion} guards it.
 *
 * @param formatVersion the manifest format; readers refuse a newer one than they know
 * @param id backup id, sortable by time
 * @param set the series
 * @param kind dump format: {@code postgresql-custom}, {@code mariadb-sql} or {@code redis-rdb}
 * @param dataObject the data object's file name inside the backup's directory
 * @param source what was backed up
 * @param tool the dump tool and its version
 * @param startedAt start, ISO-8601 UTC
 * @param finishedAt end, ISO-8601 UTC
 * @param original size and SHA-256 of the dump as the tool produced it
 * @param stored size and SHA-256 of the stored object (after compression and encryption)
 * @param compression compression of the stored object
 * @param encryption encryption of the stored object, or null when not encrypted
 * @param verification what verification needs to compare after a restore
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "formatVersion", "id", "set", "kind", "dataObject", "source", "tool", "startedAt", "finishedAt", "original",
    "stored", "compression", "encryption", "verification"
})
public record BackupManifest(
        int formatVersion,
        String id,
        String set,
        String kind,
        String dataObject,
        Source source,
        Tool tool,
        String startedAt,
        String finishedAt,
        Content original,
        Content stored,
        CompressionInfo compression,
        EncryptionInfo encryption,
        VerificationData verification)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The format this engine writes and the newest it reads. */
    public static final int CURRENT_FORMAT = 1;

    public Instant startedAtInstant() {
        return Instant.parse(startedAt);
    }

    public Instant finishedAtInstant() {
        return Instant.parse(finishedAt);
    }

    /**
     * The database that was backed up. Never a password.
     *
     * @param type {@code postgresql}, {@code mariadb} or {@code redis}
     * @param host host name
     * @param port port
     * @param database database name (null for Redis)
     * @param user user name the backup ran as (null when none)
     * @param serverVersion the server's version
     */
    public record Source(String type, String host, int port, String database, String user, String serverVersion)
            implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /**
     * The tool that produced the dump.
     *
     * @param name e.g. {@code pg_dump}
     * @param version e.g. {@code 15.18}
     */
    public record Tool(String name, String version) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /**
     * Size and digest of a byte stream.
     *
     * @param bytes length
     * @param sha256 lower-case hex SHA-256
     */
    public record Content(long bytes, String sha256) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /**
     * @param algorithm {@code zstd}, {@code gzip} or {@code none}
     * @param level level used (0 for none)
     */
    public record CompressionInfo(String algorithm, int level) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /**
     * @param format always {@code openpgp}
     * @param recipients the public keys the data was encrypted to
     * @param passphrase whether a symmetric passphrase can also decrypt it
     */
    public record EncryptionInfo(String format, List<RecipientInfo> recipients, boolean passphrase)
            implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /**
     * @param fingerprint primary key fingerprint, hex
     * @param keyId encryption subkey id, hex
     */
    public record RecipientInfo(String fingerprint, String keyId) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /**
     * What a restore verification compares.
     *
     * @param tables row count per table ({@code schema.table}), taken from the dump's own snapshot; PostgreSQL and
     *     MariaDB
     * @param keysPerDatabase key count per Redis database index
     * @param countMethod how the counts were taken, e.g. {@code exported-snapshot} or {@code dump-stream}
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record VerificationData(Map<String, Long> tables, Map<String, Long> keysPerDatabase, String countMethod)
            implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }
}
