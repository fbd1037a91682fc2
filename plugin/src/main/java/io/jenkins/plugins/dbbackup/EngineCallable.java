package io.jenkins.plugins.dbbackup;

import hudson.model.TaskListener;
import io.jenkins.plugins.dbbackup.engine.BackupEngine;
import io.jenkins.plugins.dbbackup.engine.EngineOptions;
import io.jenkins.plugins.dbbackup.engine.ProgressListener;
import java.io.PrintStream;
import java.io.Serial;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import jenkins.MasterToSlaveFileCallable;

/**
 * What every engine call on an agent shares: an optional tool directory and the build's listener, and an engine
 * built on the agent (engine options never travel). Subclasses carry one engine request of plain serializable
 * values; secrets inside are engine {@code Secret}s, which print redacted.
 *
 * <p>Runs on the agent's remoting thread for the step; interrupting it (the build's stop button) reaches the engine,
 * which stops the native tool and cleans up. Subclasses must let {@link InterruptedException} through.
 *
 * @param <T> the engine's result, small and serializable
 */
abstract class EngineCallable<T> extends MasterToSlaveFileCallable<T> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String toolDirectory;
    private final TaskListener listener;

    /**
     * @param toolDirectory a directory on the agent to find {@code pg_dump} and friends in before PATH, or null
     * @param listener receives the engine's progress lines
     */
    EngineCallable(String toolDirectory, TaskListener listener) {
        this.toolDirectory = toolDirectory;
        this.listener = listener;
    }

    /** An engine for this agent, logging to the build. */
    final BackupEngine engine() {
        EngineOptions options = new EngineOptions(toolDirectory == null ? null : Path.of(toolDirectory), null, true);
        return new BackupEngine(options, new LogProgress(listener.getLogger()), Clock.systemUTC());
    }

    /** Engine progress as build log lines. */
    private record LogProgress(PrintStream log) implements ProgressListener {
        @Override
        public void info(String message) {
            log.println(message);
        }

        @Override
        public void progress(String stage, long bytes, long elapsedMillis) {
            log.println(String.format(
                    Locale.ROOT, "%s: %s in %.0f s", stage, Bytes.human(bytes), elapsedMillis / 1000.0));
        }
    }
}
