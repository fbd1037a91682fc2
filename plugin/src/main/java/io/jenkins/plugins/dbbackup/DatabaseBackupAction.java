package io.jenkins.plugins.dbbackup;

import hudson.model.Run;
import io.jenkins.plugins.dbbackup.engine.BackupResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jenkins.model.RunAction2;

/**
 * What a build backed up: one row per {@code backupDatabase} call, shown on the build page. Saved with the build;
 * holds no secret (locations are repository URIs, sources are never stored here).
 */
public final class DatabaseBackupAction implements RunAction2 {
    private final List<Row> backups = new CopyOnWriteArrayList<>();
    private transient Run<?, ?> run;

    /** Adds a row for this result to the build's action, creating the action on first use. */
    static void record(Run<?, ?> run, BackupResult result) {
        DatabaseBackupAction action;
        synchronized (DatabaseBackupAction.class) { // parallel branches may finish backups at the same time
            action = run.getAction(DatabaseBackupAction.class);
            if (action == null) {
                action = new DatabaseBackupAction();
                run.addAction(action);
            }
        }
        action.backups.add(Row.of(result));
    }

    public List<Row> getBackups() {
        return Collections.unmodifiableList(new ArrayList<>(backups));
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public String getIconFileName() {
        return "symbol-server";
    }

    @Override
    public String getDisplayName() {
        return Messages.DatabaseBackupAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "database-backups";
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    /** One backup, as the build page shows it. */
    public static final class Row {
        private final String set;
        private final String id;
        private final String location;
        private final long originalBytes;
        private final long storedBytes;
        private final String compression;
        private final boolean encrypted;
        private final String storedSha256;
        private final long durationMillis;

        private Row(BackupResult r) {
            this.set = r.set();
            this.id = r.id();
            this.location = r.location();
            this.originalBytes = r.originalBytes();
            this.storedBytes = r.storedBytes();
            this.compression = r.compression();
            this.encrypted = r.encrypted();
            this.storedSha256 = r.storedSha256();
            this.durationMillis = r.durationMillis();
        }

        static Row of(BackupResult result) {
            return new Row(result);
        }

        public String getSet() {
            return set;
        }

        public String getId() {
            return id;
        }

        public String getLocation() {
            return location;
        }

        public long getOriginalBytes() {
            return originalBytes;
        }

        public long getStoredBytes() {
            return storedBytes;
        }

        public String getOriginalSize() {
            return Bytes.human(originalBytes);
        }

        public String getStoredSize() {
            return Bytes.human(storedBytes);
        }

        public String getCompression() {
            return compression;
        }

        public boolean isEncrypted() {
            return encrypted;
        }

        public String getStoredSha256() {
            return storedSha256;
        }

        public long getDurationMillis() {
            return durationMillis;
        }

        public String getDuration() {
            return String.format(java.util.Locale.ROOT, "%.1f s", durationMillis / 1000.0);
        }
    }
}
