package io.jenkins.plugins.dbbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionPolicyException;
import io.jenkins.plugins.dbbackup.engine.storage.StorageException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** Every kind of failure becomes an exit code and one line (two for usage errors), never a stack trace. */
class ExitCodeMappingTest {
    private String err;

    private int map(Throwable t) {
        StringWriter sink = new StringWriter();
        int code = Main.exitCode(t, new PrintWriter(sink, true), "backup ");
        err = sink.toString();
        assertThat(err).doesNotContain("\tat ");
        return code;
    }

    @Test
    void usage() {
        assertThat(map(new UsageException("name the set"))).isEqualTo(Main.USAGE);
        assertThat(err).isEqualTo("dbbackup: name the set\nTry 'dbbackup backup --help' for usage.\n");
        assertThat(map(new RetentionPolicyException("--keep-daily", "must not be negative, got -1")))
                .isEqualTo(Main.USAGE);
        assertThat(err).startsWith("dbbackup: --keep-daily: must not be negative");
    }

    @Test
    void failures() {
        assertThat(map(new BackupException("pg_dump failed: password authentication failed"))).isEqualTo(Main.FAILED);
        assertThat(err).isEqualTo("dbbackup: error: pg_dump failed: password authentication failed\n");
        assertThat(map(new StorageException(StorageException.Kind.PERMANENT, "disk full"))).isEqualTo(Main.FAILED);
        assertThat(map(new UncheckedIOException(new IOException("reset")))).isEqualTo(Main.FAILED);
        assertThat(err).isEqualTo("dbbackup: error: reset\n");
        assertThat(map(new IOException())).isEqualTo(Main.FAILED);
        assertThat(err).isEqualTo("dbbackup: error: IOException\n");
    }

    @Test
    void interrupted() {
        assertThat(map(new InterruptedException())).isEqualTo(Main.FAILED);
        assertThat(map(new InterruptedIOException("backup interrupted"))).isEqualTo(Main.FAILED);
        assertThat(err).startsWith("dbbackup: interrupted");
    }

    @Test
    void bugsAreOneLineToo() {
        assertThat(map(new NullPointerException("x is null\n\tsecond line"))).isEqualTo(Main.FAILED);
        assertThat(err).isEqualTo("dbbackup: internal error (NullPointerException): x is null; please report it\n");
    }
}
