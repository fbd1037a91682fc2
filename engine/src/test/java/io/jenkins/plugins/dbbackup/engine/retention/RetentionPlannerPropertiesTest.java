package io.jenkins.plugins.dbbackup.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.WeekFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random histories and policies against a reference written independently of the planner: each rule is recomputed
 * from its definition on {@link RetentionPolicy} and {@link RetentionPlanner} (grouping and sorting rather than the
 * planner's single walk, {@link WeekFields#ISO} rather than {@code IsoFields}, formatters rather than
 * {@code String.format}). The one shared piece is the {@code keepWithin} cutoff, {@link CalendarDuration#subtractFrom},
 * which has its own example tests.
 */
class RetentionPlannerPropertiesTest {

    private static final long HOUR = 3600;
    private static final long DAY = 24 * HOUR;
    private static final List<String> ZONES = List.of("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata",
            "Australia/Lord_Howe", "Pacific/Chatham", "America/Santiago", "America/Goose_Bay");

    /** Newest first: time descending, then id descending; written here again on purpose. */
    private static final Comparator<RetentionCandidate> ORDER = (a, b) -> {
        int c = b.time().compareTo(a.time());
        return c != 0 ? c : b.id().compareTo(a.id());
    };

    // ---------------------------------------------------------------- properties

    @Property(tries = 1000)
    void planMatchesTheReferenceRuleByRule(@ForAll("scenarios") Scenario scenario,
            @ForAll("policies") RetentionPolicy policy) {
        List<RetentionCandidate> backups = scenario.backups();
        Instant now = scenario.now();
        RetentionPlan plan = RetentionPlanner.plan(backups, policy, now);
        Reference ref = new Reference(backups, policy, now);
        assertThat(plan.refusal()).isEqualTo(ref.refusal());
        for (RetentionDecision d : plan.decisions()) {
            List<String> expected = ref.reasons.get(d.id());
            if (expected.isEmpty() && ref.refusal().isPresent()) {
                expected = List.of(RetentionPlanner.REFUSED);
            }
            assertThat(d.reasons()).as("reasons of %s", d.id()).isEqualTo(expected);
            assertThat(d.tiers()).as("tiers of %s", d.id()).isEqualTo(ref.tiers.get(d.id()));
            assertThat(d.keep()).isEqualTo(!expected.isEmpty());
        }
    }

    @Property(tries = 500)
    void oneDecisionPerBackupNewestFirst(@ForAll("scenarios") Scenario scenario,
            @ForAll("policies") RetentionPolicy policy) {
        List<RetentionCandidate> backups = scenario.backups();
        Instant now = scenario.now();
        RetentionPlan plan = RetentionPlanner.plan(backups, policy, now);
        List<RetentionCandidate> sorted = new ArrayList<>(backups);
        sorted.sort(ORDER);
        assertThat(plan.decisions()).extracting(RetentionDecision::id)
                .containsExactlyElementsOf(sorted.stream().map(RetentionCandidate::id).toList());
    }

    @Property(tries = 500)
    void theOrderOfTheInputDoesNotMatter(@ForAll("scenarios") Scenario scenario,
            @ForAll("policies") RetentionPolicy policy, @ForAll long seed) {
        List<RetentionCandidate> backups = scenario.backups();
        Instant now = scenario.now();
        List<RetentionCandidate> shuffled = new ArrayList<>(backups);
        Collections.shuffle(shuffled, new Random(seed));
        assertThat(RetentionPlanner.plan(shuffled, policy, now)).isEqualTo(RetentionPlanner.plan(backups, policy, now));
    }

    @Property(tries = 1000)
    void theNewestCompleteBackupWithDataIsAlwaysKept(@ForAll("scenarios") Scenario scenario,
            @ForAll("policies") RetentionPolicy policy) {
        List<RetentionCandidate> backups = scenario.backups();
        Instant now = scenario.now();
        RetentionPlan plan = RetentionPlanner.plan(backups, policy, now);
        backups.stream().filter(RetentionCandidate::hasData).min(ORDER).ifPresent(newest -> {
            RetentionDecision d = plan.decision(newest.id()).orElseThrow();
            assertThat(d.keep()).isTrue();
            assertThat(d.reasons()).contains(RetentionPlanner.NEWEST);
        });
    }

    @Property(tries = 1000)
    void incompleteBackupsAreNeverRemoved(@ForAll("scenarios") Scenario scenario,
            @ForAll("policies") RetentionPolicy policy) {
        List<RetentionCandidate> backups = scenario.backups();
        Instant now = scenario.now();
        RetentionPlan plan = RetentionPlanner.plan(backups, policy, now);
        for (RetentionCandidate b : backups) {
            if (!b.complete()) {
                assertThat(plan.decision(b.id()).orElseThrow().reasons()).containsExactly(RetentionPlanner.IN_PROGRESS);
            }
        }
    }

    @Property(tries = 1000)
    void neverFewerVerifiedThanTheMinimumWhenThatManyExist(@ForAll("scenarios") Scenario scenario,
            @ForAll("policies") RetentionPolicy policy) {
        List<RetentionCandidate> backups = scenario.backups();
        Instant now = scenario.now();
        RetentionPlan plan = RetentionPlanner.plan(backups, policy, now);
        Map<String, RetentionCandidate> byId = byId(backups);
        long available = backups.stream().filter(b -> b.complete() && b.storedBytes() > 0
                && b.verification() == VerificationState.OK).count();
        long kept = plan.toKeep().stream().map(d -> byId.get(d.id()))
                .filter(b -> b.complete() && b.storedBytes() > 0 && b.verification() == VerificationState.OK).count();
        assertThat(kept).isGreaterThanOrEqualTo(Math.min(policy.minKeepVerified(), available));
    }

    @Property(tries = 1000)
    void aRefusedPlanRemovesNothing(@ForAll("scenarios") Scenario scenario,
            @ForAll("policies") RetentionPolicy policy) {
        List<RetentionCandidate> backups = scenario.backups();
        Instant now = scenario.now();
        RetentionPlan plan = RetentionPlanner.plan(backups, policy, now);
        if (plan.refusal().isPresent()) {
            assertThat(plan.toRemove()).isEmpty();
            assertThat(plan.toKeep()).hasSameSizeAs(backups);
        }
    }

    @Property(tries = 1000)
    void planningAgainOverTheKeptBackupsRemovesNothing(@ForAll("scenarios") Scenario scenario,
            @ForAll("policies") RetentionPolicy policy) {
        List<RetentionCandidate> backups = scenario.backups();
        Instant now = scenario.now();
        RetentionPlan first = RetentionPlanner.plan(backups, policy, now);
        Map<String, RetentionCandidate> byId = byId(backups);
        List<RetentionCandidate> kept = first.toKeep().stream().map(d -> byId.get(d.id())).toList();
        RetentionPlan second = RetentionPlanner.plan(kept, policy, now);
        assertThat(second.toRemove()).isEmpty();
    }

    @Property(tries = 500)
    void policiesSurviveOptionsRoundTrip(@ForAll("policies") RetentionPolicy policy) {
        assertThat(RetentionPolicy.parse(policy.toOptions())).isEqualTo(policy);
        assertThat(policy.toString()).doesNotContain("\n").contains("(zone ");
    }

    // ---------------------------------------------------------------- reference

    /** Each rule on its own, straight from its definition. */
    static final class Reference {
        final Map<String, List<String>> reasons = new LinkedHashMap<>();
        final Map<String, Set<Tier>> tiers = new HashMap<>();
        private final List<RetentionCandidate> sorted;
        private final RetentionPolicy policy;

        Reference(List<RetentionCandidate> backups, RetentionPolicy policy, Instant now) {
            this.policy = policy;
            sorted = new ArrayList<>(backups);
            sorted.sort(ORDER);
            for (RetentionCandidate b : sorted) {
                reasons.put(b.id(), new ArrayList<>());
                tiers.put(b.id(), EnumSet.noneOf(Tier.class));
            }
            List<RetentionCandidate> withData = sorted.stream().filter(b -> b.complete() && b.storedBytes() > 0).toList();
            List<RetentionCandidate> sound = withData.stream()
                    .filter(b -> b.verification() != VerificationState.FAILED).toList();
            List<RetentionCandidate> verified = withData.stream()
                    .filter(b -> b.verification() == VerificationState.OK).toList();

            withData.stream().findFirst().ifPresent(b -> add(b, RetentionPlanner.NEWEST, null));
            sound.stream().limit(policy.keepLast()).forEach(b -> add(b, "last " + policy.keepLast(), Tier.LAST));
            ZoneId zone = policy.zone();
            DateTimeFormatter hour = DateTimeFormatter.ofPattern("uuuu-MM-dd HH':00'xxx", Locale.ROOT);
            buckets(sound, policy.keepHourly(), "hourly", Tier.HOURLY, t -> t.atZone(zone).format(hour));
            buckets(sound, policy.keepDaily(), "daily", Tier.DAILY, t -> t.atZone(zone).toLocalDate().toString());
            buckets(sound, policy.keepWeekly(), "weekly", Tier.WEEKLY, t -> {
                ZonedDateTime z = t.atZone(zone);
                int year = z.get(WeekFields.ISO.weekBasedYear());
                int week = z.get(WeekFields.ISO.weekOfWeekBasedYear());
                return year + "-W" + (week < 10 ? "0" : "") + week;
            });
            buckets(sound, policy.keepMonthly(), "monthly", Tier.MONTHLY, t -> YearMonth.from(t.atZone(zone)).toString());
            buckets(sound, policy.keepYearly(), "yearly", Tier.YEARLY, t -> Year.from(t.atZone(zone)).toString());
            if (!policy.keepWithin().isZero()) {
                Instant cutoff = policy.keepWithin().subtractFrom(now, zone);
                sorted.stream().filter(b -> b.complete() && b.time().compareTo(cutoff) >= 0)
                        .forEach(b -> add(b, "within " + policy.keepWithin(), Tier.WITHIN));
            }
            verified.stream().limit(policy.minKeepVerified()).forEach(b -> add(b, RetentionPlanner.VERIFIED_MINIMUM, null));
            if (policy.keepUntilVerified()) {
                Optional<RetentionCandidate> lastFailed = sorted.stream()
                        .filter(b -> b.complete() && b.verification() == VerificationState.FAILED).findFirst();
                Optional<RetentionCandidate> lastVerified = verified.stream().findFirst();
                if (lastFailed.isPresent()
                        && (lastVerified.isEmpty() || ORDER.compare(lastVerified.get(), lastFailed.get()) > 0)) {
                    sorted.stream().filter(b -> b.complete() && ORDER.compare(b, lastFailed.get()) >= 0)
                            .forEach(b -> add(b, RetentionPlanner.HELD_UNTIL_VERIFIED, null));
                }
            }
            sorted.stream().filter(b -> !b.complete()).forEach(b -> add(b, RetentionPlanner.IN_PROGRESS, null));
        }

        /** The newest member of each bucket; buckets ranked by that member; the first {@code n} buckets. */
        private void buckets(List<RetentionCandidate> sound, int n, String label, Tier tier, Function<Instant, String> key) {
            Map<String, RetentionCandidate> newestOfBucket = new HashMap<>();
            for (RetentionCandidate b : sound) {
                newestOfBucket.merge(key.apply(b.time()), b, (x, y) -> ORDER.compare(x, y) <= 0 ? x : y);
            }
            newestOfBucket.entrySet().stream().sorted(Map.Entry.comparingByValue(ORDER)).limit(n)
                    .forEach(e -> add(e.getValue(), label + " " + e.getKey(), tier));
        }

        private void add(RetentionCandidate b, String reason, Tier tier) {
            reasons.get(b.id()).add(reason);
            if (tier != null) {
                tiers.get(b.id()).add(tier);
            }
        }

        Optional<String> refusal() {
            if (!policy.requireVerifiedNewest()) {
                return Optional.empty();
            }
            Optional<RetentionCandidate> newest = sorted.stream().filter(RetentionCandidate::complete).findFirst();
            if (newest.isEmpty()) {
                return Optional.empty();
            }
            RetentionCandidate b = newest.get();
            String why = b.storedBytes() == 0 ? "stored 0 bytes"
                    : b.verification() == VerificationState.FAILED ? "failed verification"
                    : b.verification() == VerificationState.NONE ? "is not verified" : null;
            return Optional.ofNullable(why).map(w -> "nothing removed: the newest backup " + b.id() + " " + w
                    + "; pruning needs a newest backup verified at level checksum or higher"
                    + " (or requireVerifiedNewest=false)");
        }
    }

    private static Map<String, RetentionCandidate> byId(List<RetentionCandidate> backups) {
        return backups.stream().collect(Collectors.toMap(RetentionCandidate::id, Function.identity()));
    }

    // ---------------------------------------------------------------- generators

    record Proto(long secondsBeforeEnd, boolean complete, VerificationState verification, boolean empty) {
    }

    /** A history and the {@code now} it is planned at. */
    record Scenario(List<RetentionCandidate> backups, Instant now) {
    }

    /**
     * Histories end near one of these: ISO week 53 years, DST changes in Europe and America, a leap day, and the night
     * Goose Bay set its clocks back from 00:01 to 23:01 (local dates out of time order).
     */
    private static final List<Instant> ANCHORS = List.of("2021-01-03T12:00:00Z", "2027-01-03T12:00:00Z",
            "2025-12-31T12:00:00Z", "2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z", "2026-03-08T07:00:00Z",
            "2026-11-01T06:00:00Z", "2024-02-29T12:00:00Z", "2025-06-15T12:00:00Z", "2010-11-07T03:01:00Z").stream().map(Instant::parse).toList();

    /**
     * Up to 30 backups over a span from six hours to three years before an end near an interesting date (so some
     * histories are dense, some sparse), times often rounded to the hour or day (identical timestamps), some
     * incomplete, empty or failed; {@code now} from two days before the end (backups from the future) to sixty days
     * after it.
     */
    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Instant> ends = Combinators.combine(Arbitraries.of(ANCHORS), Arbitraries.longs().between(-3 * DAY, 3 * DAY))
                .as(Instant::plusSeconds);
        Arbitrary<Long> spans = Arbitraries.of(6 * HOUR, 3 * DAY, 40 * DAY, 400 * DAY, 3 * 366 * DAY);
        Arbitrary<List<Proto>> protos = spans.flatMap(span -> {
            Arbitrary<Long> offsets = Arbitraries.longs().between(0, span)
                    .flatMap(o -> Arbitraries.of(o, o - o % HOUR, o - o % DAY));
            Arbitrary<Proto> proto = Combinators.combine(offsets,
                    Arbitraries.frequency(Tuple.of(9, true), Tuple.of(1, false)),
                    Arbitraries.frequency(Tuple.of(3, VerificationState.NONE), Tuple.of(5, VerificationState.OK),
                            Tuple.of(1, VerificationState.FAILED)),
                    Arbitraries.frequency(Tuple.of(1, true), Tuple.of(12, false))).as(Proto::new);
            return proto.list().ofMaxSize(30);
        });
        Arbitrary<Long> nowAfterEnd = Arbitraries.longs().between(-2 * DAY, 60 * DAY);
        return Combinators.combine(ends, protos, nowAfterEnd).as((end, ps, after) -> {
            // the end is rounded to the hour so that rounded offsets give whole hours and days
            Instant roundEnd = end.minusSeconds(end.getEpochSecond() % HOUR);
            List<RetentionCandidate> backups = IntStream.range(0, ps.size()).mapToObj(i -> {
                Proto p = ps.get(i);
                Instant time = roundEnd.minusSeconds(p.secondsBeforeEnd());
                String id = String.format(Locale.ROOT, "b%02d", i);
                return p.complete()
                        ? RetentionCandidate.complete(id, time, p.verification(), p.empty() ? 0 : 1000 + i)
                        : RetentionCandidate.incomplete(id, time);
            }).toList();
            return new Scenario(backups, roundEnd.plusSeconds(after));
        });
    }

    private static Arbitrary<Integer> count() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0)), Tuple.of(2, Arbitraries.integers().between(1, 6)));
    }

    @Provide
    Arbitrary<RetentionPolicy> policies() {
        Arbitrary<CalendarDuration> within = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(CalendarDuration.ZERO)),
                Tuple.of(1, Arbitraries.of("12h", "1d", "2d", "1w", "1m", "1y", "1y6m", "24h", "1d12h")
                        .map(s -> CalendarDuration.parse("keepWithin", s))),
                Tuple.of(1, Combinators.combine(Arbitraries.integers().between(0, 1), Arbitraries.integers().between(0, 13),
                        Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, 40),
                        Arbitraries.integers().between(0, 48)).as(CalendarDuration::new)));
        return Builders.withBuilder(RetentionPolicy::builder)
                .use(count()).in(RetentionPolicy.Builder::keepLast)
                .use(count()).in(RetentionPolicy.Builder::keepHourly)
                .use(count()).in(RetentionPolicy.Builder::keepDaily)
                .use(count()).in(RetentionPolicy.Builder::keepWeekly)
                .use(count()).in(RetentionPolicy.Builder::keepMonthly)
                .use(count()).in(RetentionPolicy.Builder::keepYearly)
                .use(within).in(RetentionPolicy.Builder::keepWithin)
                .use(Arbitraries.integers().between(0, 3)).in(RetentionPolicy.Builder::minKeepVerified)
                .use(Arbitraries.of(ZONES)).in(RetentionPolicy.Builder::zone)
                .use(Arbitraries.of(true, false)).in(RetentionPolicy.Builder::keepUntilVerified)
                .use(Arbitraries.of(true, false)).in(RetentionPolicy.Builder::requireVerifiedNewest)
                .use(Arbitraries.of(true, false)).in(RetentionPolicy.Builder::allowEmpty)
                .build(b -> {
                    try {
                        return b.build();
                    } catch (RetentionPolicyException empty) {
                        return b.allowEmpty(true).build();
                    }
                });
    }
}
