package io.jenkins.plugins.dbbackup.testsupport;

import java.util.function.Supplier;

/**
 * Holds the one shared server of a kind for this JVM, started on first use. A failed start is
 * remembered and reported again to later callers instead of being retried for every test class.
 * Thread-safe.
 */
final class SharedServer<T extends ThrowawayServer> {
    private final String kind;
    private final Supplier<T> starter;
    private T server;
    private RuntimeException failure;

    SharedServer(String kind, Supplier<T> starter) {
        this.kind = kind;
        this.starter = starter;
    }

    synchronized T get() {
        if (server != null) {
            return server;
        }
        if (failure != null) {
            throw new ThrowawayServerException("the shared " + kind + " server failed to start earlier in this JVM: "
                    + failure.getMessage(), failure);
        }
        try {
            server = starter.get();
            server.markShared();
            return server;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }
}
