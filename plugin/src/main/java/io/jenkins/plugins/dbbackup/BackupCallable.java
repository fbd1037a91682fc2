package io.jenkins.plugins.dbbackup;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.dbbackup.engine.BackupEngine;
import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.BackupResult;
import io.jenkins.plugins.dbbackup.engine.EngineOptions;
import io.jenkins.plugins.dbbackup.engine.ProgressListener;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serial;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import jenkins.MasterToSlaveFileCallable;

/**
 * Runs one backup on the agent: the data flows from the database to the repository without passing through the
 * controller. Carries the engine request (plain serializable values; the password inside is an engine
 * {@code Secret}, never printed), an optional tool directory, and the build's listener for progress lines.
 */
final class BackupCallable extends MasterToSlaveFileCallable<BackupResult> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final BackupRequest request;
    private final String toolDirectory;
    private final TaskListener listener;

    /**
     * @param request what to back up and where to
     * @param toolDirectory a directory on the agent to find {@code pg_dump} and friends in before PATH, or null
     * @param listener receives the engine's progress lines
     */
    BackupCallable(BackupRequest request, String toolDirectory, TaskListener listener) {
        this.request = request;
        this.toolDirectory = toolDirectory;
        this.listener = listener;
    }

    BackupRequest request() {
        return request;
    }

    @Override
    public BackupResult invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        EngineOptions options = new EngineOptions(toolDirectory == null ? null : Path.of(toolDirectory), null);
        return new BackupEngine(options, new LogProgress(listener.getLogger()), Clock.systemUTC()).backup(request);
    }

    @Override
    public String toString() {
        // DatabaseConnection.describe() leaves the password out; the repository URI holds no secret
        return "BackupCallable[" + request.source().describe() + " -> " + request.repository().uri() + " set "
                + request.set() + "]";
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
