package io.jenkins.plugins.dbbackup.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks a TCP port on 127.0.0.1 that is free at the moment of the call. Another process may take
 * it before the server binds it; {@link ServerLauncher} retries with a new port when that happens.
 */
final class FreePort {
    private FreePort() {}

    static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(ThrowawayServer.HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + ThrowawayServer.HOST, e);
        }
    }
}
