package io.jenkins.plugins.dbbackup.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetentionCalendarDurationTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static CalendarDuration d(String s) {
        return CalendarDuration.parse("keepWithin", s);
    }

    @ParameterizedTest
    @CsvSource({
        "2d,     0, 0, 0, 2, 0,  2d",
        "6w,     0, 0, 6, 0, 0,  6w",
        "12h,    0, 0, 0, 0, 12, 12h",
        "1y,     1, 0, 0, 0, 0,  1y",
        "3m,     0, 3, 0, 0, 0,  3m",
        "1y6m,   1, 6, 0, 0, 0,  1y6m",
        "6m1y,   1, 6, 0, 0, 0,  1y6m",
        "1d12h,  0, 0, 0, 1, 12, 1d12h",
        "2y3m1w4d5h, 2, 3, 1, 4, 5, 2y3m1w4d5h",
        "0,      0, 0, 0, 0, 0,  0",
        "0d,     0, 0, 0, 0, 0,  0",
        "' 2d ', 0, 0, 0, 2, 0,  2d",
    })
    void parsesAndPrintsCanonically(String text, int y, int m, int w, int days, int h, String canonical) {
        CalendarDuration parsed = d(text);
        assertThat(parsed).isEqualTo(new CalendarDuration(y, m, w, days, h));
        assertThat(parsed).hasToString(canonical);
        assertThat(d(parsed.toString())).isEqualTo(parsed);
    }

    @ParameterizedTest
    @CsvSource({
        // window, zone, end, start
        "2d,   UTC,           2026-11-22T12:00:00Z, 2026-11-20T12:00:00Z",
        "48h,  UTC,           2026-11-22T12:00:00Z, 2026-11-20T12:00:00Z",
        "1m,   UTC,           2026-03-31T10:00:00Z, 2026-02-28T10:00:00Z",
        "1m,   UTC,           2024-03-31T10:00:00Z, 2024-02-29T10:00:00Z",
        "1y,   UTC,           2024-02-29T10:00:00Z, 2023-02-28T10:00:00Z",
        "1y1m, UTC,           2024-02-29T10:00:00Z, 2023-01-29T10:00:00Z",
        "6w,   UTC,           2026-11-22T12:00:00Z, 2026-10-11T12:00:00Z",
        // Berlin: 1d across the 23-hour day is 23 hours, across the 25-hour day 25 hours; 24h is always 24
        "1d,   Europe/Berlin, 2026-03-29T12:00:00Z, 2026-03-28T13:00:00Z",
        "24h,  Europe/Berlin, 2026-03-29T12:00:00Z, 2026-03-28T12:00:00Z",
        "1d,   Europe/Berlin, 2026-10-25T12:00:00Z, 2026-10-24T11:00:00Z",
        // 30 March 02:30 CEST minus 1d is 29 March 02:30, which does not exist: moved forward to 03:30 CEST
        "1d,   Europe/Berlin, 2026-03-30T00:30:00Z, 2026-03-29T01:30:00Z",
        // 1d12h: the day on the calendar first (12:00 CEST back to 12:00 CEST, 24 hours), then 12 exact hours
        // across the spring-forward night: 29 March 12:00 CEST minus 12h is 28 March 23:00 CET
        "1d12h, Europe/Berlin, 2026-03-30T10:00:00Z, 2026-03-28T22:00:00Z",
        "1d,   America/New_York, 2026-11-01T17:00:00Z, 2026-10-31T16:00:00Z",
    })
    void subtractsTheCalendarPartInTheZoneThenExactHours(String window, String zone, String end, String start) {
        assertThat(d(window).subtractFrom(Instant.parse(end), ZoneId.of(zone))).isEqualTo(Instant.parse(start));
    }

    @Test
    void aWindowBeyondTheCalendarStartsAtTheBeginningOfTime() {
        assertThat(d("2147483647y").subtractFrom(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC))
                .isEqualTo(Instant.MIN);
        assertThat(d("2147483647h").subtractFrom(Instant.parse("2026-11-22T12:00:00Z"), BERLIN))
                .isEqualTo(Instant.parse("2026-11-22T12:00:00Z").minusSeconds(3600L * Integer.MAX_VALUE));
    }

    @Test
    void zeroIsZero() {
        assertThat(CalendarDuration.ZERO.isZero()).isTrue();
        assertThat(d("0y0d").isZero()).isTrue();
        assertThat(d("1h").isZero()).isFalse();
    }
}
