package io.jenkins.plugins.dbbackup;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.BackupResult;
import java.io.File;
import java.io.IOException;
import java.io.Serial;

/**
 * Runs one backup on the agent: the data flows from the database to the repository without passing through the
 * controller. Carries the engine request (plain serializable values; the password inside is an engine
 * {@code Secret}, never printed), an optional tool directory, and the build's listener for progress lines.
 */
final class BackupCallable extends EngineCallable<BackupResult> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final BackupRequest request;

    /**
     * @param request what to back up and where to
     * @param toolDirectory a directory on the agent to find {@code pg_dump} and friends in before PATH, or null
     * @param listener receives the engine's progress lines
     */
    BackupCallable(BackupRequest request, String toolDirectory, TaskListener listener) {
        super(toolDirectory, listener);
        this.request = request;
    }

    BackupRequest request() {
        return request;
    }

    @Override
    public BackupResult invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        return engine().backup(request);
    }

    @Override
    public String toString() {
        // DatabaseConnection.describe() leaves the password out; the repository URI holds no secret
        return "BackupCallable[" + request.source().describe() + " -> " + request.repository().uri() + " set "
                + request.set() + "]";
    }
}
