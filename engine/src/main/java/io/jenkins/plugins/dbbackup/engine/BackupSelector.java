package io.jenkins.plugins.dbbackup.engine;

import io.jenkins.plugins.dbbackup.engine.repository.BackupId;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.BackupRepository;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** Chooses a complete backup: by id, the latest of a set, or the newest at or before a point in time. */
final class BackupSelector {
    private BackupSelector() {}

    static BackupManifest select(BackupRepository repository, String set, String backupId, Instant at)
            throws IOException {
        boolean latest = backupId == null || backupId.isBlank() || "latest".equals(backupId);
        if (!latest) {
            BackupId.check(backupId);
            List<BackupManifest> all = repository.list(set);
            return all.stream().filter(m -> m.id().equals(backupId)).findFirst()
                    .orElseThrow(() -> new BackupException("backup " + backupId + " was not found in "
                            + repository.describe() + (set == null ? "" : " set " + set)
                            + ": list the backups to see which exist"));
        }
        List<BackupManifest> all = repository.list(set);
        if (set == null && all.stream().map(BackupManifest::set).distinct().count() > 1) {
            throw new BackupException("the repository holds several sets: name the set to choose from");
        }
        BackupManifest chosen = null;
        for (BackupManifest m : all) {
            if (at == null || !m.startedAtInstant().isAfter(at)) {
                chosen = m; // the list is oldest first
            }
        }
        if (chosen == null) {
            throw new BackupException(at == null
                    ? "no complete backup in " + repository.describe() + (set == null ? "" : " set " + set)
                    : "no complete backup at or before " + at + " in " + repository.describe()
                            + (set == null ? "" : " set " + set));
        }
        return chosen;
    }
}
