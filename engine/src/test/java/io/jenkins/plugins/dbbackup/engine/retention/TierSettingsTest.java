package io.jenkins.plugins.dbbackup.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TierSettingsTest {
    private static final TierSettings ISSUE_EXAMPLE = TierSettings.parse("daily: STANDARD, 8d; monthly: STANDARD_IA, 400d");
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void parsesTheIssuesExampleAndPrintsItBack() {
        assertThat(ISSUE_EXAMPLE.byTier()).containsOnlyKeys(Tier.DAILY, Tier.MONTHLY);
        assertThat(ISSUE_EXAMPLE.byTier().get(Tier.MONTHLY)).isEqualTo(new TierSettings.Setting("STANDARD_IA", 400));
        assertThat(ISSUE_EXAMPLE.toString()).isEqualTo("daily: STANDARD, 8d; monthly: STANDARD_IA, 400d");
        assertThat(TierSettings.parse(ISSUE_EXAMPLE.toString())).isEqualTo(ISSUE_EXAMPLE);
        assertThat(TierSettings.parse("\n Yearly: glacier_ir \n weekly:30D\n")).hasToString("weekly: 30d; yearly: GLACIER_IR");
        assertThat(TierSettings.parse("  ")).isEqualTo(TierSettings.NONE);
        assertThat(TierSettings.parse(null).isEmpty()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "monthly STANDARD_IA              | is not 'tier: CLASS, DAYSd'",
        "fortnightly: 8d                  | 'fortnightly' is not a retention tier: use last, hourly",
        "daily: 8d; daily: 9d             | tier daily is given twice",
        "daily: 8d, 9d                    | tier daily: two lock periods",
        "daily: STANDARD, GLACIER         | tier daily: two storage classes",
        "daily: 0d                        | tier daily: a lock period is at least 1d",
        "daily: 8 days                    | tier daily: '8 days' is neither a storage class (STANDARD_IA) nor a lock",
        "daily:                           | tier daily: a tier setting names a storage class, a lock period (400d), or both",
        "daily: 99999999999d              | tier daily: lock period '99999999999d' is too long",
    })
    void badTextIsOneLineNamingTheTier(String text, String message) {
        assertThatThrownBy(() -> TierSettings.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void theLongestLockAndTheLongestLivedTiersClassWin() {
        Instant time = Instant.parse("2026-10-31T02:00:00Z");
        TierSettings.Target t = ISSUE_EXAMPLE.target(EnumSet.of(Tier.DAILY, Tier.MONTHLY), time, NOW, ZoneOffset.UTC);
        assertThat(t.storageClass()).isEqualTo("STANDARD_IA");
        assertThat(t.retainUntil()).isEqualTo(Instant.parse("2027-12-05T02:00:00Z"));
        assertThat(t.tiers()).containsExactly("monthly", "daily");
        // the same backup and tiers give the same target at any later time: applying twice changes nothing
        assertThat(ISSUE_EXAMPLE.target(EnumSet.of(Tier.DAILY, Tier.MONTHLY), time, NOW.plusSeconds(86_400 * 40),
                ZoneOffset.UTC)).isEqualTo(t);
    }

    @Test
    void aCalendarTiersSettingsWaitUntilItsPeriodIsOver() {
        // the newest backup of November is November's "monthly" only until a newer one is made
        Instant today = Instant.parse("2026-11-30T02:00:00Z");
        TierSettings.Target t = ISSUE_EXAMPLE.target(EnumSet.of(Tier.DAILY, Tier.MONTHLY), today, NOW, ZoneOffset.UTC);
        assertThat(t.isEmpty()).isTrue();
        Instant yesterday = Instant.parse("2026-11-29T02:00:00Z");
        t = ISSUE_EXAMPLE.target(EnumSet.of(Tier.DAILY), yesterday, NOW, ZoneOffset.UTC);
        assertThat(t.storageClass()).isEqualTo("STANDARD");
        assertThat(t.retainUntil()).isEqualTo(Instant.parse("2026-12-07T02:00:00Z"));
        // the zone decides where a day ends: 23:30 UTC on the 29th is already the 30th in Berlin
        Instant late = Instant.parse("2026-11-29T23:30:00Z");
        assertThat(ISSUE_EXAMPLE.target(EnumSet.of(Tier.DAILY), late, NOW, ZoneOffset.UTC).isEmpty()).isFalse();
        assertThat(ISSUE_EXAMPLE.target(EnumSet.of(Tier.DAILY), late, NOW, ZoneId.of("Europe/Berlin")).isEmpty()).isTrue();
    }

    @Test
    void lastAndWithinApplyAtOnceAndTiersWithoutSettingsAskNothing() {
        TierSettings s = TierSettings.parse("last: 3d; within: GLACIER_IR");
        TierSettings.Target t = s.target(Set.of(Tier.LAST, Tier.WITHIN), NOW, NOW, ZoneOffset.UTC);
        assertThat(t.storageClass()).isEqualTo("GLACIER_IR");
        assertThat(t.retainUntil()).isEqualTo(NOW.plusSeconds(3 * 86_400));
        assertThat(s.target(Set.of(Tier.YEARLY), Instant.parse("2020-01-01T00:00:00Z"), NOW, ZoneOffset.UTC).isEmpty())
                .isTrue();
    }

    @Test
    void periodsEndAtTheirCalendarBoundaries() {
        Instant sunday = Instant.parse("2026-11-29T10:00:00Z"); // ISO week 48 ends on this Sunday
        assertThat(TierSettings.periodOver(Tier.WEEKLY, sunday, Instant.parse("2026-11-29T23:59:59Z"), ZoneOffset.UTC)).isFalse();
        assertThat(TierSettings.periodOver(Tier.WEEKLY, sunday, Instant.parse("2026-11-30T00:00:00Z"), ZoneOffset.UTC)).isTrue();
        assertThat(TierSettings.periodOver(Tier.HOURLY, sunday, sunday.plusSeconds(3599), ZoneOffset.UTC)).isFalse();
        assertThat(TierSettings.periodOver(Tier.HOURLY, sunday, sunday.plusSeconds(3600), ZoneOffset.UTC)).isTrue();
        assertThat(TierSettings.periodOver(Tier.YEARLY, Instant.parse("2026-12-31T23:00:00Z"),
                Instant.parse("2027-01-01T00:00:00Z"), ZoneOffset.UTC)).isTrue();
        assertThat(TierSettings.periodOver(Tier.YEARLY, Instant.parse("2026-12-31T23:00:00Z"),
                Instant.parse("2027-01-01T00:00:00Z"), ZoneId.of("Europe/Berlin"))).isFalse();
    }
}
