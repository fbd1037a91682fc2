package io.jenkins.plugins.dbbackup.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Samples every process's command line and environment on this machine (from /proc), as an attacker with a shell
 * would, while an operation runs; records any that contain a secret.
 */
public final class ProcessSnooper implements AutoCloseable {
    private final List<String> secrets;
    private final List<String> leaks = new ArrayList<>();
    private final List<String> seen = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private int samples;

    private ProcessSnooper(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
        this.thread = new Thread(this::loop, "process-snooper");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Starts sampling for {@code secret}. */
    public static ProcessSnooper watchFor(String secret) {
        return new ProcessSnooper(List.of(secret));
    }

    /** Starts sampling for any of {@code secrets}. */
    public static ProcessSnooper watchFor(List<String> secrets) {
        return new ProcessSnooper(secrets);
    }

    private void loop() {
        while (running.get()) {
            sampleOnce();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sampleOnce() {
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                check(proc, "cmdline");
                check(proc, "environ");
            }
            synchronized (this) {
                samples++;
            }
        } catch (IOException ignored) {
            // /proc changes under our feet
        }
    }

    private void check(Path proc, String file) {
        byte[] content;
        try {
            content = Files.readAllBytes(proc.resolve(file));
        } catch (IOException | SecurityException gone) {
            return;
        }
        String text = new String(content, StandardCharsets.UTF_8).replace('\0', ' ');
        synchronized (this) {
            if ("cmdline".equals(file) && !text.isBlank() && seen.size() < 100_000) {
                seen.add(text);
            }
            for (String secret : secrets) {
                if (text.contains(secret)) {
                    String masked = text;
                    for (String s : secrets) {
                        masked = masked.replace(s, "<SECRET>");
                    }
                    leaks.add(proc.getFileName() + "/" + file + ": " + masked);
                }
            }
        }
    }

    /** Command lines seen while sampling. */
    public synchronized List<String> commandLinesSeen() {
        return List.copyOf(seen);
    }

    /** Where the secret was found (with the secret itself masked). */
    public synchronized List<String> leaks() {
        return List.copyOf(leaks);
    }

    public synchronized int samples() {
        return samples;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5_000);
    }
}
