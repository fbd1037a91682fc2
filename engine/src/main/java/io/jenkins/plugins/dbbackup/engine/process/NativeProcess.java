package io.jenkins.plugins.dbbackup.engine.process;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A native tool run as a child process: arguments never hold secrets (they go through files the tool reads),
 * stderr is captured (last {@value #STDERR_LIMIT} bytes) for error messages, and {@link #kill()} ends the process
 * and its descendants. Messages built from the tool's output are scrubbed of the given secrets.
 */
public final class NativeProcess implements AutoCloseable {
    static final int STDERR_LIMIT = 64 * 1024;

    /** Environment variables that could carry a password to a tool behind our back; always removed. */
    private static final List<String> SECRET_ENV = List.of("PGPASSWORD", "MYSQL_PWD", "REDISCLI_AUTH");

    private final String toolName;
    private final Process process;
    private final Thread stderrReader;
    private final TailBuffer stderr = new TailBuffer(STDERR_LIMIT);
    private final Secret[] secrets;

    private NativeProcess(String toolName, Process process, Secret[] secrets) {
        this.toolName = toolName;
        this.process = process;
        this.secrets = secrets;
        this.stderrReader = new Thread(this::drainStderr, toolName + "-stderr");
        this.stderrReader.setDaemon(true);
        this.stderrReader.start();
    }

    /**
     * Starts a tool.
     *
     * @param command the executable and its arguments (no secrets)
     * @param environment variables to set (e.g. {@code PGPASSFILE}); secret-bearing variables are removed
     * @param stdinFromParent true to let the caller write stdin via {@link #stdin()}, false to give the tool none
     * @param secrets secrets to scrub from any message built from the tool's output
     */
    public static NativeProcess start(List<String> command, Map<String, String> environment, boolean stdinFromParent,
            Secret... secrets) throws BackupException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        SECRET_ENV.forEach(env::remove);
        env.put("LC_ALL", "C");
        env.putAll(environment);
        if (!stdinFromParent) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        String name = Path.of(command.get(0)).getFileName().toString();
        try {
            return new NativeProcess(name, builder.start(), Scrubber.nonNull(secrets));
        } catch (IOException e) {
            throw new BackupException("cannot start " + name + ": " + Scrubber.scrub(e.getMessage(), secrets));
        }
    }

    /**
     * Runs a short command to completion and returns its stdout (at most 1 MiB), e.g. {@code pg_dump --version}.
     *
     * @throws BackupException when it fails or exits non-zero
     */
    public static String run(List<String> command, Map<String, String> environment, long timeoutSeconds,
            Secret... secrets) throws BackupException, InterruptedException {
        try (NativeProcess p = start(command, environment, false, secrets)) {
            byte[] out;
            try (InputStream in = p.stdout()) {
                out = in.readNBytes(1 << 20);
            } catch (IOException e) {
                throw new BackupException("cannot read the output of " + p.toolName + ": " + e.getMessage());
            }
            if (!p.process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.kill();
                throw new BackupException(p.toolName + " did not finish within " + timeoutSeconds + " s");
            }
            p.checkExit();
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    public String toolName() {
        return toolName;
    }

    public InputStream stdout() {
        return process.getInputStream();
    }

    public OutputStream stdin() {
        return process.getOutputStream();
    }

    public long pid() {
        return process.pid();
    }

    /** Waits for the process to end; on interrupt, kills it and rethrows. */
    public int waitFor() throws InterruptedException {
        try {
            int code = process.waitFor();
            stderrReader.join(5_000);
            return code;
        } catch (InterruptedException e) {
            kill();
            throw e;
        }
    }

    /**
     * Waits for the process and fails unless it exited 0.
     *
     * @throws BackupException with the tool's exit code and the tail of its stderr, scrubbed
     */
    public void checkExit() throws BackupException, InterruptedException {
        int code = waitFor();
        if (code != 0) {
            String how = code > 128 && code < 160 ? "exit code " + code + ", killed by signal " + (code - 128)
                    : "exit code " + code;
            throw new BackupException(toolName + " failed (" + how + "): " + errorSummary());
        }
    }

    /** The last lines the tool wrote to stderr, scrubbed, on one line; "no error output" when empty. */
    public String errorSummary() {
        String text = Scrubber.scrub(stderr.toString().strip(), secrets);
        if (text.isEmpty()) {
            return "no error output";
        }
        String[] lines = text.split("\\R");
        List<String> kept = new ArrayList<>();
        for (int i = Math.max(0, lines.length - 4); i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                kept.add(lines[i].strip());
            }
        }
        return String.join(" | ", kept);
    }

    /** The full (bounded) stderr text, scrubbed. */
    public String stderrText() {
        return Scrubber.scrub(stderr.toString(), secrets);
    }

    /**
     * Reads the tool's stdout on a background thread, keeping at most {@code limit} bytes, so a tool that writes
     * while the caller feeds its stdin cannot block on a full pipe.
     */
    public java.util.concurrent.Future<String> collectStdout(int limit) {
        java.util.concurrent.FutureTask<String> task = new java.util.concurrent.FutureTask<>(() -> {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try (InputStream in = process.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    int room = limit - kept.size();
                    if (room > 0) {
                        kept.write(buf, 0, Math.min(room, n));
                    }
                }
            }
            return Scrubber.scrub(kept.toString(StandardCharsets.UTF_8), secrets);
        });
        Thread t = new Thread(task, toolName + "-stdout");
        t.setDaemon(true);
        t.start();
        return task;
    }

    /**
     * Writes {@code data} to the tool's stdin and closes it. When the tool stops reading early (it has seen what it
     * needs, or failed) and {@code drainAll} is set, the rest of {@code data} is still read to its end and
     * discarded, so that digests computed over {@code data} cover every byte; otherwise feeding stops there. Either
     * way the tool's exit status tells whether stopping early was a failure.
     *
     * @return bytes the tool accepted
     */
    public long feed(InputStream data, boolean drainAll) throws IOException, InterruptedException {
        byte[] buffer = new byte[256 * 1024];
        long accepted = 0;
        boolean open = true;
        OutputStream stdin = process.getOutputStream();
        int n;
        while ((n = data.read(buffer)) >= 0) {
            if (Thread.interrupted()) {
                kill();
                throw new InterruptedException(toolName + " interrupted");
            }
            if (open && n > 0) {
                try {
                    stdin.write(buffer, 0, n);
                    accepted += n;
                } catch (IOException brokenPipe) {
                    open = false;
                }
            }
            if (!open && !drainAll) {
                break;
            }
        }
        try {
            stdin.close();
        } catch (IOException brokenPipe) {
            // the tool already closed its end
        }
        return accepted;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Ends the process and its descendants at once. */
    public void kill() {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(process.getInputStream());
        closeQuietly(process.getOutputStream());
    }

    private void drainStderr() {
        byte[] buf = new byte[8192];
        try (InputStream err = process.getErrorStream()) {
            int n;
            while ((n = err.read(buf)) > 0) {
                stderr.write(buf, 0, n);
            }
        } catch (IOException ignored) {
            // the process ended or was killed
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** Keeps the last {@code limit} bytes written. */
    private static final class TailBuffer {
        private final int limit;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        TailBuffer(int limit) {
            this.limit = limit;
        }

        synchronized void write(byte[] b, int off, int len) {
            out.write(b, off, len);
            if (out.size() > 2 * limit) {
                byte[] all = out.toByteArray();
                out.reset();
                out.write(all, all.length - limit, limit);
            }
        }

        @Override
        public synchronized String toString() {
            byte[] all = out.toByteArray();
            int from = Math.max(0, all.length - limit);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        }
    }
}
