package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.repository.PruneLease;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * {@code dbbackup}: the engine behind a command line.
 *
 * <p>Exit codes: {@value #OK} success, {@value #FAILED} the operation failed (a verification outcome other than OK
 * included), {@value #USAGE} the command line cannot be run as given, {@value #BUSY} another prune holds the set's
 * lease. Every failure prints one line on stderr that says what failed and what to do; never a stack trace.
 */
public final class Main {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    /** Another process holds what this one needs (a prune lease). */
    public static final int BUSY = 3;

    /** How long Ctrl-C waits for the running operation to stop its tools and remove what it partly wrote. */
    private static final long CLEANUP_WAIT_MILLIS = 20_000;

    private Main() {}

    public static void main(String[] args) {
        CountDownLatch done = new CountDownLatch(1);
        Thread worker = Thread.currentThread();
        // Ctrl-C / SIGTERM: interrupt the operation (the engine then kills the dump tool and removes what it partly
        // wrote) and wait for that before the JVM goes. The exit status is then the signal's (130, 143).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (done.getCount() > 0) {
                worker.interrupt();
                try {
                    done.await(CLEANUP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "dbbackup-interrupt"));
        Charset charset = Charset.defaultCharset();
        int code;
        try {
            code = run(args, new PrintWriter(new OutputStreamWriter(System.out, charset), true),
                    new PrintWriter(new OutputStreamWriter(System.err, charset), true), System.getenv(),
                    System.console() != null);
        } finally {
            done.countDown(); // before System.exit, which waits for the hook
        }
        System.exit(code);
    }

    /** Runs a command line with this process's environment; for tests and embedding. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, System.getenv(), false);
    }

    /**
     * Runs a command line.
     *
     * @param env the environment variables to read secrets and defaults from
     * @param terminal whether stderr is a terminal (progress is then updated in place)
     */
    static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env, boolean terminal) {
        CommandLine cli = commandLine(out, err, env, terminal);
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env, boolean terminal) {
        CommandLine cli = new CommandLine(new DbBackupCommand(env, terminal));
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setUsageHelpWidth(100);
        cli.setUsageHelpAutoWidth(true);
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            String message = ex instanceof CommandLine.UnmatchedArgumentException u ? unmatched(u)
                    : firstLine(ex.getMessage());
            cmd.getErr().println("dbbackup: " + message);
            cmd.getErr().println("Try 'dbbackup " + commandPath(cmd) + "--help' for usage.");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> exitCode(ex, cmd.getErr(), commandPath(cmd)));
        cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().footer("", "Example:",
                "  source <(dbbackup generate-completion)    # now, or in ~/.bashrc",
                "  dbbackup generate-completion > /etc/bash_completion.d/dbbackup",
                "(dbbackup must be a command on PATH, e.g. a script running java -jar .../dbbackup.jar)");
        return cli;
    }

    /**
     * Names an unknown option without repeating any value: picocli's own message lists every unmatched word, which
     * may be a secret typed after an option that does not exist here ({@code list --password s3cret}).
     */
    static String unmatched(CommandLine.UnmatchedArgumentException ex) {
        java.util.List<String> words = ex.getUnmatched();
        String first = words.isEmpty() ? "" : words.get(0);
        String hint = ex.getSuggestions().isEmpty() ? ""
                : "; did you mean " + String.join(" or ", ex.getSuggestions().stream().limit(3).toList()) + "?";
        if (first.startsWith("-")) {
            int eq = first.indexOf('=');
            return "unknown option '" + (eq > 0 ? first.substring(0, eq) : first) + "'" + hint;
        }
        return "unexpected argument (" + words.size() + " word(s) not taken by any option; values are not repeated"
                + " here)" + hint;
    }

    /** One line on stderr for a failure, and its exit code. */
    static int exitCode(Throwable ex, PrintWriter err, String commandPath) {
        if (ex instanceof UncheckedIOException u && u.getCause() != null) {
            ex = u.getCause();
        }
        if (ex instanceof UsageException || ex instanceof IllegalArgumentException) {
            err.println("dbbackup: " + message(ex));
            err.println("Try 'dbbackup " + commandPath + "--help' for usage.");
            return USAGE;
        }
        if (ex instanceof PruneLease.HeldException) {
            err.println("dbbackup: " + message(ex));
            return BUSY;
        }
        if (ex instanceof InterruptedException || ex instanceof java.io.InterruptedIOException) {
            err.println("dbbackup: interrupted; the operation was stopped and what it had partly written removed");
            return FAILED;
        }
        if (ex instanceof BackupException || ex instanceof IOException) {
            err.println("dbbackup: error: " + message(ex));
            return FAILED;
        }
        // a bug, not the user's fault: still one line, with the type to report it by
        err.println("dbbackup: internal error (" + ex.getClass().getSimpleName() + "): " + message(ex)
                + "; please report it");
        return FAILED;
    }

    private static String message(Throwable ex) {
        String m = ex.getMessage();
        if ((m == null || m.isBlank()) && ex.getCause() != null) {
            m = ex.getCause().getMessage();
        }
        return m == null || m.isBlank() ? ex.getClass().getSimpleName() : firstLine(m);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }

    static String commandPath(CommandLine cmd) {
        StringBuilder path = new StringBuilder();
        for (CommandLine c = cmd; c != null && c.getParent() != null; c = c.getParent()) {
            path.insert(0, c.getCommandName() + " ");
        }
        return path.toString();
    }
}
