package io.jenkins.plugins.dbbackup.engine;

import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import io.jenkins.plugins.dbbackup.engine.verify.VerifyLevel;
import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;

/**
 * Which backup to verify, and how deeply.
 *
 * @param repository where the backup lives
 * @param set its series (null: the repository must hold only one set)
 * @param backupId a backup id or {@code latest} (null means latest)
 * @param level how deeply to verify
 * @param keys keys to decrypt an encrypted backup (levels structure and restore); null for none
 * @param scratchServer for the restore level of PostgreSQL and MariaDB backups: the server to create the scratch
 *     database on (its {@code database} field is ignored; a unique scratch name is used and dropped afterwards);
 *     Redis backups are restored into a throwaway {@code redis-server} the engine starts, so null there
 * @param record whether to store the result next to the backup as {@code verify-<time>.json}
 */
public record VerifyRequest(
        RepositorySpec repository,
        String set,
        String backupId,
        VerifyLevel level,
        DecryptionKeys keys,
        DatabaseConnection scratchServer,
        boolean record)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public VerifyRequest {
        Objects.requireNonNull(repository, "repository");
        level = level == null ? VerifyLevel.CHECKSUM : level;
        if (set != null) {
            SetName.check(set);
        }
    }
}
