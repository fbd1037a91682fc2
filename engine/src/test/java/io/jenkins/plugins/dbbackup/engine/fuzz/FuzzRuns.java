package io.jenkins.plugins.dbbackup.engine.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the inputs each fuzz target ran in this JVM and, when the JVM ends, writes the count to
 * {@code <jazzer.internal.basedir>/executions/<target>.txt} (target/jazzer/executions/ in the `fuzz` execution), so
 * that scripts/fuzz can report executions per target. Nothing is written when that property is not set.
 */
public final class FuzzRuns {
    private static final AtomicLong COUNT = new AtomicLong();
    private static final long STARTED = System.nanoTime();
    private static volatile String target;

    private FuzzRuns() {}

    /** Counts one input of {@code fuzzTest}; the first call registers the report. */
    public static void count(Class<?> fuzzTest) {
        if (COUNT.getAndIncrement() == 0) {
            register(fuzzTest.getSimpleName());
        }
    }

    private static synchronized void register(String name) {
        if (target != null) {
            return;
        }
        target = name;
        String base = System.getProperty("jazzer.internal.basedir");
        if (base == null || System.getenv("JAZZER_FUZZ") == null) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long seconds = (System.nanoTime() - STARTED) / 1_000_000_000L;
            try {
                Path dir = Files.createDirectories(Path.of(base, "executions"));
                Files.writeString(dir.resolve(name + ".txt"), name + " " + COUNT.get() + " executions in " + seconds
                        + " s\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "fuzz-runs-report"));
    }
}
