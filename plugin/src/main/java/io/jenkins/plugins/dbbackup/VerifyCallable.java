package io.jenkins.plugins.dbbackup;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.dbbackup.engine.VerifyRequest;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import java.io.File;
import java.io.IOException;
import java.io.Serial;

/** Verifies one backup on the agent; a bad finding is the record's outcome, not an exception. */
final class VerifyCallable extends EngineCallable<VerificationRecord> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final VerifyRequest request;

    VerifyCallable(VerifyRequest request, String toolDirectory, TaskListener listener) {
        super(toolDirectory, listener);
        this.request = request;
    }

    VerifyRequest request() {
        return request;
    }

    @Override
    public VerificationRecord invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        return engine().verify(request);
    }

    @Override
    public String toString() {
        return "VerifyCallable[" + request.repository().uri() + " set " + request.set() + " backup "
                + request.backupId() + " level " + request.level().id() + "]";
    }
}
