package io.jenkins.plugins.dbbackup.engine.retention;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * What retention needs to know about one backup of a set: a row of the repository catalog.
 *
 * @param id           the backup id; ids sort by time ({@code 20261122T020000Z-3f9a}) and break ties between equal
 *                     times; not blank, unique within one plan
 * @param time         when the backup was taken (the manifest's start time); not null
 * @param complete     whether the manifest exists; an incomplete entry (upload in progress, or abandoned) is never
 *                     touched by retention
 * @param verification the latest verification; not null
 * @param storedBytes  bytes of the stored object per the manifest, at least 0; 0 for an incomplete entry
 */
public record RetentionCandidate(String id, Instant time, boolean complete, VerificationState verification,
        long storedBytes) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public RetentionCandidate {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("backup id is blank");
        }
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(verification, "verification");
        if (storedBytes < 0) {
            throw new IllegalArgumentException("backup " + id + ": storedBytes is negative: " + storedBytes);
        }
    }

    /** A complete backup. */
    public static RetentionCandidate complete(String id, Instant time, VerificationState verification, long storedBytes) {
        return new RetentionCandidate(id, time, true, verification, storedBytes);
    }

    /** An entry without a manifest. */
    public static RetentionCandidate incomplete(String id, Instant time) {
        return new RetentionCandidate(id, time, false, VerificationState.NONE, 0);
    }

    /**
     * Complete and holding data. A complete backup of 0 stored bytes is the classic silent failure (a dump that
     * exited early, reported as success): compressed or encrypted output is never empty, so such a backup can never be
     * restored and never counts as "the newest backup".
     */
    public boolean hasData() {
        return complete && storedBytes > 0;
    }

    /**
     * Fit to fill a slot of {@code keepLast} or a calendar bucket: has data and did not fail its latest
     * verification. A damaged backup must not take the daily slot of a good backup from the same day.
     */
    public boolean isSound() {
        return hasData() && verification != VerificationState.FAILED;
    }

    /** Sound and verified OK: counts for {@code minKeepVerified} and lifts a {@code keepUntilVerified} hold. */
    public boolean isVerified() {
        return hasData() && verification == VerificationState.OK;
    }
}
