package io.jenkins.plugins.dbbackup;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.dbbackup.engine.RestoreRequest;
import io.jenkins.plugins.dbbackup.engine.RestoreResult;
import java.io.File;
import java.io.IOException;
import java.io.Serial;

/** Restores one backup on the agent, straight from the repository into the target database. */
final class RestoreCallable extends EngineCallable<RestoreResult> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final RestoreRequest request;

    RestoreCallable(RestoreRequest request, String toolDirectory, TaskListener listener) {
        super(toolDirectory, listener);
        this.request = request;
    }

    RestoreRequest request() {
        return request;
    }

    @Override
    public RestoreResult invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        return engine().restore(request);
    }

    @Override
    public String toString() {
        return "RestoreCallable[" + request.repository().uri() + " set " + request.set() + " -> "
                + request.target().describe() + "]";
    }
}
