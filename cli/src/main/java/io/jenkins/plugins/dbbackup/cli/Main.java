package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** {@code dbbackup}: the engine behind a command line. Exit codes: 0 success, 1 failed, 2 usage error, 3 busy. */
public final class Main {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    /** Another process holds what this one needs (a prune lease). */
    public static final int BUSY = 3;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line; for tests and embedding. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine(out, err);
        return cli.execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new DbBackupCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("dbbackup: " + ex.getMessage());
            cmd.getErr().println("Try 'dbbackup " + commandPath(cmd) + "--help' for usage.");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof UsageException || ex instanceof IllegalArgumentException) {
                cmd.getErr().println("dbbackup: " + ex.getMessage());
                cmd.getErr().println("Try 'dbbackup " + commandPath(cmd) + "--help' for usage.");
                return USAGE;
            }
            if (ex instanceof io.jenkins.plugins.dbbackup.engine.repository.PruneLease.HeldException) {
                cmd.getErr().println("dbbackup: " + ex.getMessage());
                return BUSY;
            }
            if (ex instanceof BackupException) {
                cmd.getErr().println("dbbackup: error: " + ex.getMessage());
                return FAILED;
            }
            if (ex instanceof InterruptedException) {
                cmd.getErr().println("dbbackup: interrupted");
                return FAILED;
            }
            String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            cmd.getErr().println("dbbackup: error: " + message);
            return FAILED;
        });
        return cli;
    }

    private static String commandPath(CommandLine cmd) {
        StringBuilder path = new StringBuilder();
        for (CommandLine c = cmd; c.getParent() != null; c = c.getParent()) {
            path.insert(0, c.getCommandName() + " ");
        }
        return path.toString();
    }
}
