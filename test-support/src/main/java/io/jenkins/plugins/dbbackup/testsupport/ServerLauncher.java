package io.jenkins.plugins.dbbackup.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Starts a server process on a free port and waits until it serves requests, retrying with a new
 * port when another process took the chosen one first.
 */
final class ServerLauncher {
    private static final int ATTEMPTS = 5;
    private static final String ADDRESS_IN_USE = "Address already in use";

    private ServerLauncher() {}

    /** A started, ready server and the port it listens on. */
    record Launched(ServerProcess process, int port) {}

    /** Builds the command line for {@code port}; may write files the command reads. */
    @FunctionalInterface
    interface Command {
        List<String> forPort(int port);
    }

    /** Checks whether the server on {@code port} serves requests. */
    @FunctionalInterface
    interface PortProbe {
        void check(int port) throws Exception;
    }

    /**
     * Launches {@code command} on a free port and waits up to {@code timeout} for {@code probe}.
     * On failure the process is killed and the exception carries the tail of {@code log}.
     */
    static Launched launch(String name, ServerDirectory directory, Path log, Duration timeout,
                           Command command, PortProbe probe) {
        for (int attempt = 1; ; attempt++) {
            int port = FreePort.pick();
            ServerProcess process = ServerProcess.launch(name, command.forPort(port), directory.root(), log);
            directory.recordServer(process);
            try {
                process.awaitReady(timeout, () -> probe.check(port));
                return new Launched(process, port);
            } catch (RuntimeException e) {
                process.kill();
                if (attempt < ATTEMPTS && process.logContains(ADDRESS_IN_USE)) {
                    continue; // lost the race for the port
                }
                throw e;
            }
        }
    }
}
