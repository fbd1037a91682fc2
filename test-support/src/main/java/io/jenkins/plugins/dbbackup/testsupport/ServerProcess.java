package io.jenkins.plugins.dbbackup.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One operating-system process started by the harness, with its output in a log file.
 *
 * <p>Thread-safe: the methods only signal, wait for or read the process.
 */
final class ServerProcess {
    private static final System.Logger LOG = System.getLogger(ServerProcess.class.getName());
    private static final int LOG_TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final Path log;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} in {@code workDir} with standard input closed and standard output and
     * error written to {@code log} (replaced if present).
     */
    static ServerProcess launch(String name, List<String> command, Path workDir, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        scrubEnvironment(builder.environment());
        try {
            return new ServerProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new ThrowawayServerException("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    /**
     * Runs a set-up tool such as {@code initdb} to completion; fails with its output when it exits
     * with a non-zero status or outlives {@code timeout}.
     */
    static void run(String name, List<String> command, Path workDir, Path log, Duration timeout) {
        long started = System.nanoTime();
        ServerProcess tool = launch(name, command, workDir, log);
        try {
            awaitTool(tool, name, timeout);
        } finally {
            LOG.log(Level.DEBUG, () -> name + " took " + (System.nanoTime() - started) / 1_000_000 + " ms");
        }
    }

    private static void awaitTool(ServerProcess tool, String name, Duration timeout) {
        if (!tool.awaitExit(timeout)) {
            tool.kill();
            throw new ThrowawayServerException(name + " did not finish within " + timeout.toSeconds() + " s" + tool.logTailSection());
        }
        int status = tool.process.exitValue();
        if (status != 0) {
            throw new ThrowawayServerException(name + " failed with exit status " + status + tool.logTailSection());
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /**
     * Polls {@code probe} until it succeeds. Fails at once when the process exits and after
     * {@code timeout} otherwise, with the last probe error and the tail of the log; the caller
     * stops the process.
     */
    void awaitReady(Duration timeout, Probe probe) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        Exception last = null;
        while (true) {
            if (!process.isAlive()) {
                throw new ThrowawayServerException(name + " exited with status " + process.exitValue()
                        + " while starting" + logTailSection(), last);
            }
            try {
                probe.check();
                LOG.log(Level.DEBUG, () -> name + " ready after " + (System.nanoTime() - started) / 1_000_000 + " ms");
                return;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new ThrowawayServerException(name + " did not accept connections within "
                        + timeout.toSeconds() + " s; last attempt: " + last + logTailSection(), last);
            }
            sleep(25);
        }
    }

    /** Sends {@code SIGKILL} to the process and every descendant and waits for the process to exit. */
    void kill() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        awaitExit(Duration.ofSeconds(10));
        descendants.forEach(child -> child.onExit().completeOnTimeout(child, 5, TimeUnit.SECONDS).join());
    }

    /** Sends {@code SIGTERM}. */
    void terminate() {
        process.destroy();
    }

    /** Sends a named signal such as {@code INT} with the {@code kill} command. */
    void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (kill.waitFor() != 0 && process.isAlive()) {
                throw new ThrowawayServerException("kill -s " + signal + " " + process.pid() + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ThrowawayServerException("interrupted while signalling " + name, e);
        }
    }

    /** Waits for the process to exit; true when it has. */
    boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Whether the log contains {@code text}. */
    boolean logContains(String text) {
        return readLog().contains(text);
    }

    /** The last lines of the log, introduced by a line naming the file; for error messages. */
    String logTailSection() {
        List<String> lines = readLog().lines().toList();
        List<String> tail = new ArrayList<>(lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        return "\n--- last " + tail.size() + " lines of " + name + " output (" + log.getFileName() + ") ---\n" + String.join("\n", tail);
    }

    private String readLog() {
        try {
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Keeps client settings of the developer's shell (PGPASSWORD, MYSQL_PWD, ...) away from servers. */
    private static void scrubEnvironment(Map<String, String> environment) {
        environment.keySet().removeIf(key -> key.startsWith("PG") || key.startsWith("MYSQL") || key.startsWith("REDIS"));
        environment.put("LC_ALL", "C.UTF-8");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ThrowawayServerException("interrupted", e);
        }
    }

    /** A readiness check: returns normally when the server serves requests. */
    @FunctionalInterface
    interface Probe {
        void check() throws Exception;
    }
}
