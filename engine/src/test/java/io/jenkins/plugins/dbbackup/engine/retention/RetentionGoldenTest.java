package io.jenkins.plugins.dbbackup.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden cases under {@code src/test/resources/retention/*.txt}, one file per case, written by hand:
 *
 * <pre>
 * # what the case is about (any number of comment lines)
 * policy: keepDaily=3 zone=Europe/Berlin      options as RetentionPolicy.parse reads them
 * now: 2026-10-27T12:00Z                      ISO instant or offset date-time
 * describe: keep 3 daily (zone Europe/Berlin) optional: the policy's toString()
 * refusal: nothing removed: …                 optional: the exact refusal; absent means none
 * # rows, newest first exactly as the plan orders them (time desc, then id desc):
 * # id   time                   state   bytes | keep reason; reason | TIER,TIER
 * b2   2026-10-26T23:30+01:00   OK      100   | keep newest; daily 2026-10-26 | DAILY
 * b1   2026-10-26T08:00+01:00   NONE    100   | remove
 * p1   2026-10-27T11:00Z        INCOMPLETE    | keep in progress
 * </pre>
 *
 * States: {@code OK}, {@code NONE}, {@code FAILED} (complete, with the given stored bytes), {@code INCOMPLETE}
 * (no manifest, no bytes column). A failing case prints the actual plan in the same row format.
 */
class RetentionGoldenTest {

    record Row(RetentionCandidate candidate, boolean keep, List<String> reasons, Set<Tier> tiers, String line) {
    }

    record Case(String name, RetentionPolicy policy, Instant now, String describe, Optional<String> refusal, List<Row> rows) {
    }

    static Path casesDir() throws URISyntaxException {
        return Path.of(RetentionGoldenTest.class.getResource("/retention").toURI());
    }

    static List<Path> caseFiles() throws IOException, URISyntaxException {
        try (Stream<Path> s = Files.list(casesDir())) {
            return s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
    }

    @Test
    void thereAreAtLeastThirtyCases() throws Exception {
        assertThat(caseFiles()).hasSizeGreaterThanOrEqualTo(30);
    }

    @TestFactory
    Stream<DynamicTest> goldenCases() throws Exception {
        return caseFiles().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(read(p))));
    }

    static void check(Case c) {
        RetentionPlan plan = RetentionPlanner.plan(c.rows().stream().map(Row::candidate).toList(), c.policy(), c.now());
        String expected = c.rows().stream().map(r -> format(r.candidate(), r.keep(), r.reasons(), r.tiers()))
                .collect(Collectors.joining("\n"));
        Map<String, RetentionCandidate> byId = new LinkedHashMap<>();
        c.rows().forEach(r -> byId.put(r.candidate().id(), r.candidate()));
        String actual = plan.decisions().stream()
                .map(d -> format(byId.get(d.id()), d.keep(), d.reasons(), d.tiers()))
                .collect(Collectors.joining("\n"));
        assertThat(actual).as("plan of %s (policy %s)", c.name(), c.policy()).isEqualTo(expected);
        assertThat(plan.refusal()).as("refusal of %s", c.name()).isEqualTo(c.refusal());
        if (c.describe() != null) {
            assertThat(c.policy()).hasToString(c.describe());
        }
    }

    static String format(RetentionCandidate b, boolean keep, List<String> reasons, Set<Tier> tiers) {
        String state = b.complete() ? b.verification() + " " + b.storedBytes() : "INCOMPLETE";
        StringBuilder s = new StringBuilder(b.id() + " " + b.time() + " " + state + " | ");
        s.append(keep ? "keep " + String.join("; ", reasons) : "remove");
        if (!tiers.isEmpty()) {
            s.append(" | ").append(tiers.stream().map(Tier::name).collect(Collectors.joining(",")));
        }
        return s.toString();
    }

    static Case read(Path file) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        Instant now = null;
        String describe = null;
        Optional<String> refusal = Optional.empty();
        List<Row> rows = new ArrayList<>();
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("policy:")) {
                for (String kv : line.substring("policy:".length()).strip().split("\\s+")) {
                    if (!kv.isEmpty()) {
                        String[] parts = kv.split("=", 2);
                        options.put(parts[0], parts[1]);
                    }
                }
            } else if (line.startsWith("now:")) {
                now = instant(line.substring("now:".length()).strip());
            } else if (line.startsWith("describe:")) {
                describe = line.substring("describe:".length()).strip();
            } else if (line.startsWith("refusal:")) {
                refusal = Optional.of(line.substring("refusal:".length()).strip());
            } else {
                rows.add(row(line));
            }
        }
        if (now == null) {
            throw new IllegalStateException(file + ": no now: line");
        }
        return new Case(file.getFileName().toString(), RetentionPolicy.parse(options), now, describe, refusal, rows);
    }

    static Instant instant(String s) {
        return OffsetDateTime.parse(s).toInstant();
    }

    static Row row(String line) {
        String[] cols = line.split("\\|");
        String[] b = cols[0].strip().split("\\s+");
        String id = b[0];
        Instant time = instant(b[1]);
        RetentionCandidate candidate = b[2].equals("INCOMPLETE")
                ? RetentionCandidate.incomplete(id, time)
                : RetentionCandidate.complete(id, time, VerificationState.valueOf(b[2]), Long.parseLong(b[3]));
        String decision = cols[1].strip();
        boolean keep = decision.startsWith("keep");
        List<String> reasons = keep
                ? Arrays.stream(decision.substring("keep".length()).strip().split(";")).map(String::strip).toList()
                : List.of();
        Set<Tier> tiers = EnumSet.noneOf(Tier.class);
        if (cols.length > 2) {
            for (String t : cols[2].strip().split(",")) {
                tiers.add(Tier.valueOf(t.strip()));
            }
        }
        return new Row(candidate, keep, reasons, tiers, line);
    }
}
