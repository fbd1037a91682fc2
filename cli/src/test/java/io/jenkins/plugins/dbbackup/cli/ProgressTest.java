package io.jenkins.plugins.dbbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void onATerminalTheByteLineIsUpdatedInPlace() {
        StringWriter sink = new StringWriter();
        Progress p = new Progress(new PrintWriter(sink), true, false);
        p.info("dumping orders with pg_dump 15.18");
        p.progress("backup", 10L << 20, 2_000);
        p.info("backup: 10.0 MiB so far, 5.0 MiB/s");
        p.progress("backup", 30L << 20, 4_000);
        p.info("stored 30 MiB");
        p.finish();
        assertThat(sink.toString()).isEqualTo("dumping orders with pg_dump 15.18\n"
                + "\rbackup: 10.0 MiB, 5.0 MiB/s, 2.0 s elapsed"
                + "\rbackup: 30.0 MiB, 7.5 MiB/s, 4.0 s elapsed\n"
                + "stored 30 MiB\n");
    }

    @Test
    void elsewhereEveryReportIsAPlainLine() {
        StringWriter sink = new StringWriter();
        Progress p = new Progress(new PrintWriter(sink), false, false);
        p.progress("restore", 2048, 61_000);
        p.info("restore: 2.0 KiB so far, 0.0 KiB/s");
        p.finish();
        assertThat(sink.toString()).isEqualTo("restore: 2.0 KiB, 33 B/s, 1m01s elapsed\n");
    }

    @Test
    void quietSaysNothing() {
        StringWriter sink = new StringWriter();
        Progress p = new Progress(new PrintWriter(sink), true, true);
        p.info("x");
        p.progress("backup", 1, 1);
        p.finish();
        assertThat(sink.toString()).isEmpty();
    }

    @Test
    void humanUnits() {
        assertThat(Output.bytes(0)).isEqualTo("0 B");
        assertThat(Output.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Output.bytes(5L << 30)).isEqualTo("5.0 GiB");
        assertThat(Output.duration(400)).isEqualTo("0.4 s");
        assertThat(Output.duration(185_000)).isEqualTo("3m05s");
        assertThat(Output.duration(3_723_000)).isEqualTo("1h02m03s");
    }
}
