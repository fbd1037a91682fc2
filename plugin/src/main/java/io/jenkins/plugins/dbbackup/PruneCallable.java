package io.jenkins.plugins.dbbackup;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.dbbackup.engine.PruneRequest;
import io.jenkins.plugins.dbbackup.engine.PruneResult;
import java.io.File;
import java.io.IOException;
import java.io.Serial;

/** Applies retention to one set on the agent (or, in a dry run, only plans and logs it). */
final class PruneCallable extends EngineCallable<PruneResult> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final PruneRequest request;

    PruneCallable(PruneRequest request, TaskListener listener) {
        super(null, listener);
        this.request = request;
    }

    PruneRequest request() {
        return request;
    }

    @Override
    public PruneResult invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        if (Thread.interrupted()) { // pruning does not block on a tool; do not start one that was already stopped
            throw new InterruptedException();
        }
        return engine().prune(request);
    }

    @Override
    public String toString() {
        return "PruneCallable[" + request.repository().uri() + " set " + request.set() + " " + request.policy()
                + (request.dryRun() ? " dry run" : "") + "]";
    }
}
