package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

public abstract class StepExecution implements Serializable {
    private static final long serialVersionUID = 1L;

    protected StepExecution(StepContext context) {
        throw new UnsupportedOperationException("stand-in");
    }

    public StepContext getContext() {
        throw new UnsupportedOperationException("stand-in");
    }

    public abstract boolean start() throws Exception;

    public void stop(Throwable cause) throws Exception {
        throw new UnsupportedOperationException("stand-in");
    }

    public void onResume() {
        throw new UnsupportedOperationException("stand-in");
    }

    public String getStatus() {
        throw new UnsupportedOperationException("stand-in");
    }
}
