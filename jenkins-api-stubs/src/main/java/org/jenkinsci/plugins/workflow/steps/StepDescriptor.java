package org.jenkinsci.plugins.workflow.steps;

import hudson.model.Descriptor;
import java.util.Map;
import java.util.Set;

public abstract class StepDescriptor extends Descriptor<Step> {
    public StepDescriptor() {
        throw new UnsupportedOperationException("stand-in");
    }

    public abstract String getFunctionName();

    public abstract Set<? extends Class<?>> getRequiredContext();

    public boolean takesImplicitBlockArgument() {
        throw new UnsupportedOperationException("stand-in");
    }

    public String argumentsToString(Map<String, Object> namedArgs) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static StepDescriptor byFunctionName(String name) {
        throw new UnsupportedOperationException("stand-in");
    }
}
