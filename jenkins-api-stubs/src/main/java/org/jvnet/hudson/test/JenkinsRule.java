package org.jvnet.hudson.test;

import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TopLevelItem;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import jenkins.model.Jenkins;

public class JenkinsRule {
    public Jenkins jenkins;

    public JenkinsRule() {
        throw new UnsupportedOperationException("stand-in");
    }

    public <T extends TopLevelItem> T createProject(Class<T> type, String name) throws IOException {
        throw new UnsupportedOperationException("stand-in");
    }

    public <J extends Job<J, R>, R extends Run<J, R>> R buildAndAssertSuccess(J job) throws Exception {
        throw new UnsupportedOperationException("stand-in");
    }

    public <J extends Job<J, R>, R extends Run<J, R>> R buildAndAssertStatus(Result status, J job) throws Exception {
        throw new UnsupportedOperationException("stand-in");
    }

    public void assertLogContains(String substring, Run run) throws IOException {
        throw new UnsupportedOperationException("stand-in");
    }

    public void assertLogNotContains(String substring, Run run) throws IOException {
        throw new UnsupportedOperationException("stand-in");
    }

    public void assertEqualDataBoundBeans(Object lhs, Object rhs)
            throws InvocationTargetException, NoSuchMethodException, IllegalAccessException {
        throw new UnsupportedOperationException("stand-in");
    }

    public void configRoundtrip() throws Exception {
        throw new UnsupportedOperationException("stand-in");
    }
}
