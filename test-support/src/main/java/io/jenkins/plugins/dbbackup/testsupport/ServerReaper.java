package io.jenkins.plugins.dbbackup.testsupport;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shuts down every server that is still open when the JVM exits, even when tests failed, and
 * deletes its directory. Thread-safe.
 */
final class ServerReaper {
    private static final System.Logger LOG = System.getLogger(ServerReaper.class.getName());
    private static final Set<ThrowawayServer> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ServerReaper::shutdownAll, "db-backup test server reaper"));
    }

    private ServerReaper() {}

    static void register(ThrowawayServer server) {
        OPEN.add(server);
    }

    static void unregister(ThrowawayServer server) {
        OPEN.remove(server);
    }

    /** Shuts all open servers down in parallel, so the JVM's exit waits for the slowest only. */
    private static void shutdownAll() {
        List<Thread> threads = OPEN.stream().map(server -> new Thread(() -> {
            try {
                server.shutdown();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot shut down " + server + ": " + e);
            }
        }, "reaper " + server)).toList();
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
