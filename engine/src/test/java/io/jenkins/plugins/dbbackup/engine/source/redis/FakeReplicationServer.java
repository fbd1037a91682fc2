package io.jenkins.plugins.dbbackup.engine.source.redis;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback TCP server that speaks just enough of the Redis protocol to hand out a given RDB payload over
 * {@code SYNC}, in small writes, diskless ({@code $EOF:}) or with a length. It lets tests put a damaged snapshot on
 * the wire (truncated, a flipped byte), which a real server never sends. Answers AUTH with the given password only.
 */
final class FakeReplicationServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread thread;

    FakeReplicationServer(byte[] payload, boolean diskless, String password, int announcedLength) throws IOException {
        socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serve(payload, diskless, password, announcedLength), "fake-redis");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve(byte[] payload, boolean diskless, String password, int announcedLength) {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                while (true) {
                    List<String> command = readCommand(in);
                    if (command == null) {
                        break;
                    }
                    String name = command.get(0).toUpperCase();
                    switch (name) {
                        case "AUTH" -> out.write((command.get(command.size() - 1).equals(password) ? "+OK\r\n"
                                : "-WRONGPASS invalid username-password pair or user is disabled.\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        case "INFO" -> {
                            byte[] info = "# Server\r\nredis_version:7.0.15\r\n".getBytes(StandardCharsets.US_ASCII);
                            out.write(("$" + info.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.write(info);
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        case "SYNC" -> {
                            out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
                            String marker = "0123456789abcdefghijABCDEFGHIJ0123456789";
                            out.write((diskless ? "$EOF:" + marker + "\r\n" : "$" + announcedLength + "\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                            for (int i = 0; i < payload.length; i += 1000) {
                                out.write(payload, i, Math.min(1000, payload.length - i));
                                out.flush();
                            }
                            if (diskless) {
                                byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
                                out.write(m, 0, 17); // the marker split across writes
                                out.flush();
                                out.write(m, 17, 23);
                            }
                            out.flush();
                            s.shutdownOutput();
                            while (in.read() >= 0) {
                                // wait for the client to hang up
                            }
                        }
                        default -> out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                }
            } catch (IOException e) {
                // client went away; serve the next one
            }
        }
    }

    private static List<String> readCommand(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            return null;
        }
        if (b != '*') {
            throw new IOException("inline commands are not supported here");
        }
        int count = Integer.parseInt(line(in));
        List<String> args = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            in.read(); // '$'
            int len = Integer.parseInt(line(in));
            args.add(new String(in.readNBytes(len), StandardCharsets.UTF_8));
            in.read();
            in.read();
        }
        return args;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("eof");
            }
            s.append((char) b);
        }
        in.read();
        return s.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
