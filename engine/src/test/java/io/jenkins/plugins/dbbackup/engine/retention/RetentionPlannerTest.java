package io.jenkins.plugins.dbbackup.engine.retention;

import static io.jenkins.plugins.dbbackup.engine.retention.VerificationState.NONE;
import static io.jenkins.plugins.dbbackup.engine.retention.VerificationState.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Argument checks and the small API around a plan; the planning itself is in the golden and property tests. */
class RetentionPlannerTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final RetentionPolicy LAST_1 = RetentionPolicy.builder().keepLast(1).build();

    @Test
    void refusesDuplicateIds() {
        List<RetentionCandidate> twice = List.of(RetentionCandidate.complete("b1", NOW, OK, 1),
                RetentionCandidate.complete("b1", NOW.minusSeconds(60), OK, 1));
        assertThatThrownBy(() -> RetentionPlanner.plan(twice, LAST_1, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("backup id b1 appears twice");
    }

    @Test
    void rejectsMissingArguments() {
        assertThatThrownBy(() -> RetentionPlanner.plan(null, LAST_1, NOW)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> RetentionPlanner.plan(List.of(), null, NOW)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> RetentionPlanner.plan(List.of(), LAST_1, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void candidatesAreChecked() {
        assertThatThrownBy(() -> RetentionCandidate.complete(" ", NOW, OK, 1)).hasMessage("backup id is blank");
        assertThatThrownBy(() -> RetentionCandidate.complete("b1", NOW, OK, -1))
                .hasMessage("backup b1: storedBytes is negative: -1");
        assertThatThrownBy(() -> RetentionCandidate.complete("b1", null, OK, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> RetentionCandidate.complete("b1", NOW, null, 1)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aDecisionKeepsWithReasonsAndRemovesWithout() {
        assertThatThrownBy(() -> new RetentionDecision("b1", NOW, true, List.of(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetentionDecision("b1", NOW, false, List.of("newest"), Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new RetentionDecision("b1", NOW, true, List.of("newest", "last 1"), Set.of(Tier.LAST)))
                .hasToString("keep b1: newest, last 1");
    }

    @Test
    void aRefusedPlanCannotRemove() {
        RetentionDecision remove = new RetentionDecision("b1", NOW, false, List.of(), Set.of());
        assertThatThrownBy(() -> new RetentionPlan(List.of(remove), Optional.of("no")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void splitsAndFindsDecisions() {
        RetentionPlan plan = RetentionPlanner.plan(List.of(
                RetentionCandidate.complete("b1", NOW.minusSeconds(7200), OK, 10),
                RetentionCandidate.complete("b2", NOW.minusSeconds(3600), OK, 10),
                RetentionCandidate.incomplete("p3", NOW)), LAST_1, NOW);
        assertThat(plan.toKeep()).extracting(RetentionDecision::id).containsExactly("p3", "b2");
        assertThat(plan.toRemove()).extracting(RetentionDecision::id).containsExactly("b1");
        assertThat(plan.decision("b2").orElseThrow().tiers()).containsExactly(Tier.LAST);
        assertThat(plan.decision("nope")).isEmpty();
        assertThat(plan.refusal()).isEmpty();
    }

    @Test
    void readsNoClock() {
        List<RetentionCandidate> backups = List.of(RetentionCandidate.complete("b1", NOW.minusSeconds(86400 * 3), NONE, 10),
                RetentionCandidate.complete("b2", NOW.minusSeconds(86400 * 2), OK, 10));
        RetentionPolicy within = RetentionPolicy.builder().keepWithin("2d").build();
        assertThat(RetentionPlanner.plan(backups, within, NOW)).isEqualTo(RetentionPlanner.plan(backups, within, NOW));
        assertThat(RetentionPlanner.plan(backups, within, NOW.minusSeconds(86400)).toRemove()).isEmpty();
        assertThat(RetentionPlanner.plan(backups, within, NOW).toRemove()).extracting(RetentionDecision::id)
                .containsExactly("b1");
    }
}
