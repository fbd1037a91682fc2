package io.jenkins.plugins.dbbackup;

import hudson.model.Run;
import io.jenkins.plugins.dbbackup.engine.BackupResult;
import io.jenkins.plugins.dbbackup.engine.PruneResult;
import io.jenkins.plugins.dbbackup.engine.RestoreResult;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import jenkins.model.RunAction2;

/**
 * What a build did with databases: one row per backup, verification, restore and prune, shown on the build page
 * ({@code index.jelly}, a table per kind) and summarized on the build's main page ({@code summary.jelly}). Saved
 * with the build; holds no secret (locations are repository URIs, connections are described without passwords).
 *
 * <p>Builds saved before verifications, restores and prunes were recorded load with those lists empty.
 */
public final class DatabaseBackupAction implements RunAction2 {
    private final List<Row> backups = new CopyOnWriteArrayList<>();
    private List<VerificationRow> verifications = new CopyOnWriteArrayList<>();
    private List<RestoreRow> restores = new CopyOnWriteArrayList<>();
    private List<PruneRow> prunes = new CopyOnWriteArrayList<>();
    private transient Run<?, ?> run;

    /** Adds a row for this backup to the build's action, creating the action on first use. */
    static void record(Run<?, ?> run, BackupResult result) {
        of(run).add(result);
    }

    void add(BackupResult result) {
        backups.add(Row.of(result));
    }

    /** Adds a row for this verification. */
    static void record(Run<?, ?> run, VerificationRecord result) {
        of(run).add(result);
    }

    void add(VerificationRecord result) {
        verifications.add(VerificationRow.of(result));
    }

    /** Adds a row for this restore. */
    static void record(Run<?, ?> run, RestoreResult result) {
        of(run).add(result);
    }

    void add(RestoreResult result) {
        restores.add(RestoreRow.of(result));
    }

    /** Adds a row for this prune (or dry run). */
    static void record(Run<?, ?> run, PruneResult result) {
        of(run).add(result);
    }

    void add(PruneResult result) {
        prunes.add(PruneRow.of(result));
    }

    private static DatabaseBackupAction of(Run<?, ?> run) {
        synchronized (DatabaseBackupAction.class) { // parallel branches may finish operations at the same time
            DatabaseBackupAction action = run.getAction(DatabaseBackupAction.class);
            if (action == null) {
                action = new DatabaseBackupAction();
                run.addAction(action);
            }
            return action;
        }
    }

    /** XStream leaves fields absent from an older build.xml null. */
    private Object readResolve() {
        if (verifications == null) {
            verifications = new CopyOnWriteArrayList<>();
        }
        if (restores == null) {
            restores = new CopyOnWriteArrayList<>();
        }
        if (prunes == null) {
            prunes = new CopyOnWriteArrayList<>();
        }
        return this;
    }

    public List<Row> getBackups() {
        return Collections.unmodifiableList(new ArrayList<>(backups));
    }

    public List<VerificationRow> getVerifications() {
        return Collections.unmodifiableList(new ArrayList<>(verifications));
    }

    public List<RestoreRow> getRestores() {
        return Collections.unmodifiableList(new ArrayList<>(restores));
    }

    public List<PruneRow> getPrunes() {
        return Collections.unmodifiableList(new ArrayList<>(prunes));
    }

    /** The last backup this build took, or null. */
    public Row getLatestBackup() {
        List<Row> all = getBackups();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** How long ago the last backup of this build finished, e.g. {@code 3 h 12 min}; null without a backup. */
    public String getLatestBackupAge() {
        Row latest = getLatestBackup();
        return latest == null ? null : latest.ageAt(Clock.systemUTC().instant());
    }

    /**
     * The outcome of the last verification of the last backup in this build ({@code OK}, {@code CHECKSUM_MISMATCH}
     * ...), or null when this build did not verify it.
     */
    public String getLatestBackupOutcome() {
        Row latest = getLatestBackup();
        if (latest == null) {
            return null;
        }
        String outcome = null;
        for (VerificationRow v : verifications) {
            if (latest.getId().equals(v.getBackupId())) {
                outcome = v.getOutcome();
            }
        }
        return outcome;
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

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
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
        private final String finishedAt;

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
            this.finishedAt = r.finishedAt();
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
            return seconds(durationMillis);
        }

        /** When the backup finished, ISO-8601 UTC; null in builds saved before it was recorded. */
        public String getFinishedAt() {
            return finishedAt;
        }

        /** The age of the backup at {@code now}, in the two largest units; null when unknown. */
        String ageAt(Instant now) {
            if (finishedAt == null) {
                return null;
            }
            Duration age;
            try {
                age = Duration.between(Instant.parse(finishedAt), now);
            } catch (DateTimeParseException e) {
                return null;
            }
            if (age.isNegative()) {
                age = Duration.ZERO;
            }
            if (age.toDays() > 0) {
                return age.toDays() + " d " + age.toHoursPart() + " h";
            }
            if (age.toHours() > 0) {
                return age.toHours() + " h " + age.toMinutesPart() + " min";
            }
            if (age.toMinutes() > 0) {
                return age.toMinutes() + " min";
            }
            return age.toSeconds() + " s";
        }
    }

    /** One verification: the outcome, the level and the measured recovery time. */
    public static final class VerificationRow {
        private final String set;
        private final String backupId;
        private final String level;
        private final String outcome;
        private final List<String> details;
        private final long checksumMillis;
        private final long structureMillis;
        private final long restoreMillis;
        private final String scratchTarget;

        private VerificationRow(VerificationRecord r) {
            this.set = r.set();
            this.backupId = r.backupId();
            this.level = r.level();
            this.outcome = r.outcome();
            // a plain ArrayList: XStream cannot write java.util's immutable lists without opening java.base
            this.details = r.details() == null ? new ArrayList<>() : new ArrayList<>(r.details());
            this.checksumMillis = r.checksumMillis();
            this.structureMillis = r.structureMillis();
            this.restoreMillis = r.restoreMillis();
            this.scratchTarget = r.scratchTarget();
        }

        static VerificationRow of(VerificationRecord record) {
            return new VerificationRow(record);
        }

        public String getSet() {
            return set;
        }

        public String getBackupId() {
            return backupId;
        }

        public String getLevel() {
            return level;
        }

        public String getOutcome() {
            return outcome;
        }

        public boolean isOk() {
            return "OK".equals(outcome);
        }

        public List<String> getDetails() {
            return details == null ? List.of() : Collections.unmodifiableList(details);
        }

        public long getDurationMillis() {
            return checksumMillis + structureMillis + restoreMillis;
        }

        public String getDuration() {
            return seconds(getDurationMillis());
        }

        /** The measured recovery time (restore level), 0 for the other levels. */
        public long getRestoreMillis() {
            return restoreMillis;
        }

        /** The measured recovery time for people, or null when the level did not restore. */
        public String getRecoveryTime() {
            return restoreMillis > 0 ? seconds(restoreMillis) : null;
        }

        public String getScratchTarget() {
            return scratchTarget;
        }
    }

    /** One restore: which backup went where, and the safety backup taken first. */
    public static final class RestoreRow {
        private final String set;
        private final String backupId;
        private final String target;
        private final String safetyBackupId;
        private final long restoredBytes;
        private final long durationMillis;
        private final int countsChecked;
        private final String subset;

        private RestoreRow(RestoreResult r) {
            this.set = r.set();
            this.backupId = r.backupId();
            this.target = r.target();
            this.safetyBackupId = r.safetyBackupId();
            this.restoredBytes = r.restoredBytes();
            this.durationMillis = r.durationMillis();
            this.countsChecked = r.countsChecked();
            this.subset = r.subset();
        }

        static RestoreRow of(RestoreResult result) {
            return new RestoreRow(result);
        }

        public String getSet() {
            return set;
        }

        public String getBackupId() {
            return backupId;
        }

        /** The target database, described without a password. */
        public String getTarget() {
            return target;
        }

        /** The id of the safety backup taken of the target first, or null. */
        public String getSafetyBackupId() {
            return safetyBackupId;
        }

        public long getRestoredBytes() {
            return restoredBytes;
        }

        public String getRestoredSize() {
            return Bytes.human(restoredBytes);
        }

        public long getDurationMillis() {
            return durationMillis;
        }

        public String getDuration() {
            return seconds(durationMillis);
        }

        public int getCountsChecked() {
            return countsChecked;
        }

        /** The schema or table subset restored (only its tables were counted), or null for the whole backup. */
        public String getSubset() {
            return subset;
        }
    }

    /** One prune: how many backups were kept and removed, or why nothing was removed. */
    public static final class PruneRow {
        private final String set;
        private final String policy;
        private final boolean dryRun;
        private final String refusal;
        private final int kept;
        private final int removed;
        private final int keptByLock;

        private PruneRow(PruneResult r) {
            this.set = r.set();
            this.policy = r.policy();
            this.dryRun = r.dryRun();
            this.refusal = r.refusal();
            this.kept = (int) r.decisions().stream().filter(PruneResult.Decision::keep).count();
            // a dry run or a refused plan removes nothing: show what the plan would remove
            this.removed = r.dryRun() || r.refusal() != null ? (int) r.toRemoveCount() : r.deleted().size();
            this.keptByLock = r.keptByLock().size();
        }

        static PruneRow of(PruneResult result) {
            return new PruneRow(result);
        }

        public String getSet() {
            return set;
        }

        public String getPolicy() {
            return policy;
        }

        public boolean isDryRun() {
            return dryRun;
        }

        /** Why nothing was removed (e.g. the newest backup is not verified), or null. */
        public String getRefusal() {
            return refusal;
        }

        public int getKept() {
            return kept;
        }

        /** Backups removed; in a dry run or a refused plan, those the plan would remove. */
        public int getRemoved() {
            return removed;
        }

        /** Whether {@link #getRemoved()} counts backups actually deleted. */
        public boolean isApplied() {
            return !dryRun && refusal == null;
        }

        public int getKeptByLock() {
            return keptByLock;
        }
    }
}
