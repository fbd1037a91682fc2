package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on stderr. On a terminal the byte count is one line updated in place; otherwise each report is a plain
 * line (logs, cron mails). Thread-safe: the engine reports from its pipeline threads.
 */
final class Progress implements ProgressListener {
    private final PrintWriter err;
    private final boolean terminal;
    private final boolean quiet;
    /** Length of the in-place line now on screen, 0 when none. */
    private int openLine;
    /** The stage of the last byte report: the engine's matching text line is then redundant. */
    private String lastStage;

    Progress(PrintWriter err, boolean terminal, boolean quiet) {
        this.err = err;
        this.terminal = terminal;
        this.quiet = quiet;
    }

    @Override
    public synchronized void info(String message) {
        if (quiet) {
            return;
        }
        // the engine also logs each byte report as text ("backup: 1.0 GiB so far, ..."); the byte line says it
        if (lastStage != null && message.startsWith(lastStage + ": ") && message.contains(" so far")) {
            return;
        }
        endLine();
        err.println(message);
        err.flush();
    }

    @Override
    public synchronized void progress(String stage, long bytes, long elapsedMillis) {
        if (quiet) {
            return;
        }
        lastStage = stage;
        String line = String.format(Locale.ROOT, "%s: %s, %s, %s elapsed", stage, Output.bytes(bytes),
                Output.rate(bytes, elapsedMillis), Output.duration(elapsedMillis));
        if (terminal) {
            String padded = line.length() < openLine ? line + " ".repeat(openLine - line.length()) : line;
            err.print("\r" + padded);
            openLine = line.length();
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Ends an in-place line, so what follows starts on a line of its own. */
    synchronized void finish() {
        endLine();
        err.flush();
    }

    private void endLine() {
        if (openLine > 0) {
            err.println();
            openLine = 0;
        }
    }
}
