package io.jenkins.plugins.dbbackup.engine;

import io.jenkins.plugins.dbbackup.engine.retention.RetentionPolicy;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * What to prune.
 *
 * @param repository where the backups live
 * @param set the series to prune (required: retention applies per set)
 * @param policy what to keep
 * @param dryRun plan and report, delete nothing
 * @param holder who prunes, recorded in the lease (e.g. {@code jenkins:nightly#42} or {@code alice@host})
 * @param leaseTtl how long the lease protects this prune before another may take it over
 */
public record PruneRequest(RepositorySpec repository, String set, RetentionPolicy policy, boolean dryRun,
        String holder, Duration leaseTtl) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public PruneRequest {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(policy, "policy");
        if (set == null || set.isBlank()) {
            throw new IllegalArgumentException("name the set to prune: retention applies to one set at a time");
        }
        SetName.check(set);
        holder = holder == null || holder.isBlank() ? defaultHolder() : holder;
        leaseTtl = leaseTtl == null ? Duration.ofHours(1) : leaseTtl;
        if (leaseTtl.isNegative() || leaseTtl.isZero()) {
            throw new IllegalArgumentException("the lease duration must be positive");
        }
    }

    static String defaultHolder() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown-host";
        }
        return System.getProperty("user.name", "unknown") + "@" + host + " pid " + ProcessHandle.current().pid();
    }
}
