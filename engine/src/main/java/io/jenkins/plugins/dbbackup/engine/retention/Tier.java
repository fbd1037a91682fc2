package io.jenkins.plugins.dbbackup.engine.retention;

/**
 * The policy rules that can keep a backup, so that storage can pick a storage class or an Object Lock period per
 * tier (for example: monthly and yearly backups to a colder class, locked for a year).
 *
 * <p>The rules without a tier (the always-kept newest backup, the verified minimum, the hold after a failed
 * verification, in-progress entries) protect a backup for a reason that says nothing about how long it will live.
 */
public enum Tier {
    LAST, HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY, WITHIN
}
