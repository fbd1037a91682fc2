package io.jenkins.plugins.dbbackup.engine.retention;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link RetentionPlanner#plan}: one decision for every backup given, newest first (time descending,
 * then id descending).
 *
 * <p>When {@code refusal} is present, every decision keeps its backup and {@link #toRemove()} is empty; the refusal is
 * one line saying why (for example: the newest backup is not verified).
 *
 * <p>Not serializable ({@link Optional} is not); send the decisions, or a result built from them, across a channel.
 *
 * @param decisions one decision per backup, newest first
 * @param refusal   why nothing is removed, if the plan refuses to prune
 */
public record RetentionPlan(List<RetentionDecision> decisions, Optional<String> refusal) {

    public RetentionPlan {
        decisions = List.copyOf(decisions);
        Objects.requireNonNull(refusal, "refusal");
        if (refusal.isPresent() && decisions.stream().anyMatch(d -> !d.keep())) {
            throw new IllegalArgumentException("a refused plan removes nothing");
        }
    }

    /** The backups to delete, newest first. */
    public List<RetentionDecision> toRemove() {
        return decisions.stream().filter(d -> !d.keep()).toList();
    }

    /** The backups that stay, newest first. */
    public List<RetentionDecision> toKeep() {
        return decisions.stream().filter(RetentionDecision::keep).toList();
    }

    /** The decision for {@code id}, if that backup was planned. */
    public Optional<RetentionDecision> decision(String id) {
        return decisions.stream().filter(d -> d.id().equals(id)).findFirst();
    }
}
