package io.jenkins.plugins.dbbackup.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetentionPolicyTest {

    private static final String UNITS = "units are y (years), m (months), w (weeks), d (days), h (hours)";

    private static Map<String, String> options(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    // ---------------------------------------------------------------- bad values: one line naming the option

    static Stream<Arguments> badValues() {
        String known = "known options are keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, "
                + "keepWithin, minKeepVerified, zone, keepUntilVerified, requireVerifiedNewest, allowEmpty";
        String badZone = "\"; expected a region such as Europe/Berlin, UTC, or an offset such as +02:00";
        String empty = "allowEmpty: the policy keeps nothing but the newest backup; give at least one of keepLast, "
                + "keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepWithin, minKeepVerified, or set "
                + "allowEmpty=true to prune to the newest backup";
        return Stream.of(
                bad("keepDaily", "-1", "keepDaily: must not be negative, got -1"),
                bad("keepLast", "abc", "keepLast: expected a whole number, 0 or more, got \"abc\""),
                bad("keepHourly", "1.5", "keepHourly: expected a whole number, 0 or more, got \"1.5\""),
                bad("keepWeekly", "+3", "keepWeekly: expected a whole number, 0 or more, got \"+3\""),
                bad("keepMonthly", "  ", "keepMonthly: no value given; expected a whole number, 0 or more"),
                bad("keepYearly", "99999999999", "keepYearly: number too large: 99999999999 (at most 2147483647)"),
                bad("keep-daily", "-2", "keep-daily: must not be negative, got -2"),
                bad("--keep-last", "x", "--keep-last: expected a whole number, 0 or more, got \"x\""),
                bad("minKeepVerified", "-1", "minKeepVerified: must not be negative, got -1"),
                bad("keepWithin", "2x", "keepWithin: unknown unit 'x' in \"2x\"; " + UNITS),
                bad("keepWithin", "3M", "keepWithin: unknown unit 'M' in \"3M\" (m means months; there are no minutes); " + UNITS),
                bad("keepWithin", "30min", "keepWithin: unknown unit 'min' in \"30min\" (m means months; there are no minutes); " + UNITS),
                bad("keepWithin", "2days", "keepWithin: unknown unit 'days' in \"2days\"; " + UNITS),
                bad("keepWithin", "d", "keepWithin: expected a number before 'd' in \"d\"; " + UNITS),
                bad("keepWithin", "12", "keepWithin: missing unit after 12 in \"12\"; " + UNITS),
                bad("keepWithin", "1y6", "keepWithin: missing unit after 6 in \"1y6\"; " + UNITS),
                bad("keepWithin", "-2d", "keepWithin: must not be negative, got \"-2d\""),
                bad("keepWithin", "1d2d", "keepWithin: unit 'd' given twice in \"1d2d\""),
                bad("keepWithin", "2 d", "keepWithin: write the duration without spaces, such as 1y6m, got \"2 d\""),
                bad("keepWithin", "1.5d", "keepWithin: unknown unit '.' in \"1.5d\"; " + UNITS),
                bad("keepWithin", "", "keepWithin: no value given; expected a duration such as 2d, 6w, 12h, 3m or 1y6m"),
                bad("keepWithin", "99999999999d", "keepWithin: number too large: 99999999999d"),
                bad("keepWithin", "999999999w", "keepWithin: too large: \"999999999w\""),
                bad("keep-within", "2x", "keep-within: unknown unit 'x' in \"2x\"; " + UNITS),
                bad("zone", "Europe/Berln", "zone: unknown time zone \"Europe/Berln" + badZone),
                bad("zone", "CEST", "zone: unknown time zone \"CEST" + badZone),
                bad("zone", "+25:00", "zone: unknown time zone \"+25:00" + badZone),
                bad("zone", "", "zone: no value given; expected a time zone such as UTC or Europe/Berlin"),
                bad("keepUntilVerified", "yes", "keepUntilVerified: expected true or false, got \"yes\""),
                bad("requireVerifiedNewest", "1", "requireVerifiedNewest: expected true or false, got \"1\""),
                bad("allowEmpty", "maybe", "allowEmpty: expected true or false, got \"maybe\""),
                bad("keepDayly", "3", "keepDayly: unknown retention option; " + known),
                Arguments.of(options("keepDaily", "1", "keep-daily", "2"), "keep-daily",
                        "keep-daily: given twice (also as keepDaily)"),
                Arguments.of(options(), "allowEmpty", empty),
                Arguments.of(options("keepDaily", "0", "keepWithin", "0d"), "allowEmpty", empty),
                Arguments.of(options("keepDaily", "7", "allowEmpty", "false", "keepDaily ", "1"), "keepDaily ",
                        "keepDaily : given twice (also as keepDaily)"));
    }

    private static Arguments bad(String option, String value, String message) {
        return Arguments.of(options(option, value), option, message);
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void everyBadValueGivesOneLineNamingTheOption(Map<String, String> options, String option, String message) {
        assertThatThrownBy(() -> RetentionPolicy.parse(options))
                .isInstanceOfSatisfying(RetentionPolicyException.class, e -> {
                    assertThat(e.option()).isEqualTo(option);
                    assertThat(e.getMessage()).isEqualTo(message).startsWith(option + ": ").doesNotContain("\n");
                });
    }

    @Test
    void theBuilderAndTheConstructorNameTheOptionToo() {
        assertThatThrownBy(() -> RetentionPolicy.builder().keepDaily(7).keepHourly(-3).build())
                .isInstanceOf(RetentionPolicyException.class).hasMessage("keepHourly: must not be negative, got -3");
        assertThatThrownBy(() -> RetentionPolicy.builder().keepWithin("2q"))
                .hasMessage("keepWithin: unknown unit 'q' in \"2q\"; " + UNITS);
        assertThatThrownBy(() -> RetentionPolicy.builder().keepLast(1).zone("Nowhere/Land"))
                .hasMessageStartingWith("zone: unknown time zone \"Nowhere/Land\"");
        assertThatThrownBy(() -> new RetentionPolicy(0, 0, 0, 0, 0, 0, null, 0, null, true, true, false))
                .isInstanceOf(RetentionPolicyException.class).hasMessageStartingWith("allowEmpty: the policy keeps nothing");
    }

    // ---------------------------------------------------------------- good values

    @Test
    void parsesEveryOption() {
        RetentionPolicy p = RetentionPolicy.parse(options("keepLast", "3", "keepHourly", "24", "keepDaily", "7",
                "keepWeekly", "4", "keepMonthly", "12", "keepYearly", "2", "keepWithin", "2d", "minKeepVerified", "1",
                "zone", "Europe/Berlin", "keepUntilVerified", "false", "requireVerifiedNewest", "FALSE",
                "allowEmpty", "True"));
        assertThat(p).isEqualTo(new RetentionPolicy(3, 24, 7, 4, 12, 2, new CalendarDuration(0, 0, 0, 2, 0), 1,
                ZoneId.of("Europe/Berlin"), false, false, true));
    }

    @Test
    void acceptsKebabCaseDashesAndWhiteSpaceAndTreatsNullAsAbsent() {
        Map<String, String> m = new HashMap<>();
        m.put("--keep-daily", " 7 ");
        m.put("keep-within", " 1y6m ");
        m.put("min-keep-verified", "2");
        m.put("--zone", " America/New_York ");
        m.put("keepWeekly", null);
        RetentionPolicy p = RetentionPolicy.parse(m);
        assertThat(p).isEqualTo(RetentionPolicy.builder().keepDaily(7).keepWithin("1y6m").minKeepVerified(2)
                .zone("America/New_York").build());
    }

    @Test
    void defaults() {
        RetentionPolicy p = RetentionPolicy.parse(options("keepDaily", "7"));
        assertThat(p.zone()).isEqualTo(ZoneOffset.UTC);
        assertThat(p.keepWithin()).isEqualTo(CalendarDuration.ZERO);
        assertThat(p.keepUntilVerified()).isTrue();
        assertThat(p.requireVerifiedNewest()).isTrue();
        assertThat(p.allowEmpty()).isFalse();
        assertThat(p.isEmpty()).isFalse();
    }

    @Test
    void zonesWithFixedRulesAreNormalized() {
        RetentionPolicy utc = RetentionPolicy.parse(options("keepDaily", "7", "zone", "UTC"));
        RetentionPolicy etc = RetentionPolicy.parse(options("keepDaily", "7", "zone", "Etc/UTC"));
        RetentionPolicy dflt = RetentionPolicy.parse(options("keepDaily", "7"));
        assertThat(utc).isEqualTo(dflt).isEqualTo(etc);
        assertThat(RetentionPolicy.parse(options("keepDaily", "7", "zone", "+02:00")).zone())
                .isEqualTo(ZoneOffset.ofHours(2));
    }

    @Test
    void anEmptyPolicyIsAllowedOnlyExplicitly() {
        RetentionPolicy p = RetentionPolicy.parse(options("allowEmpty", "true"));
        assertThat(p.isEmpty()).isTrue();
        assertThat(RetentionPolicy.builder().minKeepVerified(1).build().isEmpty()).isFalse();
        assertThat(RetentionPolicy.builder().keepWithin("12h").build().isEmpty()).isFalse();
    }

    @Test
    void describesItselfOnOneLine() {
        assertThat(RetentionPolicy.builder().keepLast(3).keepDaily(7).keepWeekly(4).keepMonthly(12).keepWithin("2d")
                .minKeepVerified(1).zone("Europe/Berlin").build())
                .hasToString("keep last 3, 7 daily, 4 weekly, 12 monthly, within 2d, at least 1 verified (zone Europe/Berlin)");
        assertThat(RetentionPolicy.builder().keepHourly(24).keepYearly(5).build())
                .hasToString("keep 24 hourly, 5 yearly (zone UTC)");
        assertThat(RetentionPolicy.builder().keepDaily(1).zone(ZoneOffset.ofHours(-5)).keepUntilVerified(false).build())
                .hasToString("keep 1 daily (zone -05:00); no hold after a failed verification");
        assertThat(RetentionPolicy.builder().allowEmpty(true).requireVerifiedNewest(false).build())
                .hasToString("keep only the newest backup (empty policy, explicitly allowed) (zone UTC); "
                        + "prunes even when the newest backup is not verified");
    }

    @Test
    void writesTheOptionsItWasParsedFrom() {
        Map<String, String> given = options("keepLast", "3", "keepDaily", "7", "keepWithin", "1y6m", "zone",
                "Europe/Berlin", "requireVerifiedNewest", "false");
        RetentionPolicy p = RetentionPolicy.parse(given);
        assertThat(p.toOptions()).containsExactlyEntriesOf(given);
        assertThat(RetentionPolicy.parse(p.toOptions())).isEqualTo(p);
        assertThat(p.toBuilder().build()).isEqualTo(p);
    }

    @Test
    void travelsOverARemotingChannel() throws Exception {
        RetentionPolicy p = RetentionPolicy.builder().keepDaily(7).keepWithin("1y6m").zone("Europe/Berlin").build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(p);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(p);
        }
    }
}
