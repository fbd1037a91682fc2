package io.jenkins.plugins.dbbackup.testsupport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal Redis client (RESP2 over one TCP connection) for seeding and checking test data.
 *
 * <p>Replies map to Java as: simple string → {@link String}, integer → {@link Long}, bulk string →
 * {@code byte[]}, array → {@link List} of these, nil → {@code null}; an error reply throws
 * {@link ErrorReply}. I/O failures throw {@link UncheckedIOException}.
 *
 * <p>Not thread-safe: one command at a time. The caller closes it.
 */
public final class RedisClient implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int READ_TIMEOUT_MILLIS = 60_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RedisClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    /** Connects without authenticating. */
    public static RedisClient connect(String host, int port) {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            return new RedisClient(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("cannot connect to Redis at " + host + ":" + port, e);
        }
    }

    /**
     * Connects and authenticates with {@code AUTH [username] password}; {@code username} null means
     * the {@code default} user.
     */
    public static RedisClient connect(String host, int port, String username, String password) {
        RedisClient client = connect(host, port);
        try {
            client.auth(username, password);
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** {@code AUTH [username] password}; {@code username} null means the {@code default} user. */
    public void auth(String username, String password) {
        if (username == null) {
            command("AUTH", password);
        } else {
            command("AUTH", username, password);
        }
    }

    /** {@code SELECT db}. */
    public void select(int db) {
        command("SELECT", Integer.toString(db));
    }

    /** Sends one command and returns its reply (see the class comment for the types). */
    public Object command(byte[]... arguments) {
        try {
            write(arguments);
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException("Redis command " + commandName(arguments) + " failed", e);
        }
    }

    /** Sends one command whose arguments are UTF-8 strings; bulk replies are still {@code byte[]}. */
    public Object command(String... arguments) {
        byte[][] bytes = new byte[arguments.length][];
        for (int i = 0; i < arguments.length; i++) {
            bytes[i] = arguments[i].getBytes(StandardCharsets.UTF_8);
        }
        return command(bytes);
    }

    /**
     * Sends one command and returns the reply as text: a bulk reply decoded as UTF-8, a simple
     * string or integer as is, nil as {@code null}. Fails on an array reply.
     */
    public String commandText(String... arguments) {
        Object reply = command(arguments);
        if (reply == null || reply instanceof String) {
            return (String) reply;
        }
        if (reply instanceof byte[] bulk) {
            return new String(bulk, StandardCharsets.UTF_8);
        }
        if (reply instanceof Long number) {
            return number.toString();
        }
        throw new IllegalStateException("reply to " + arguments[0] + " is not text but " + reply.getClass().getSimpleName());
    }

    /** Closes the connection. Idempotent. */
    @Override
    public void close() {
        closeQuietly(socket);
    }

    private void write(byte[][] arguments) throws IOException {
        out.write(('*' + Integer.toString(arguments.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] argument : arguments) {
            out.write(('$' + Integer.toString(argument.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(argument);
            out.write('\r');
            out.write('\n');
        }
        out.flush();
    }

    private Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("Redis closed the connection");
        }
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new ErrorReply(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bulk = in.readNBytes(length);
                if (bulk.length != length || in.read() != '\r' || in.read() != '\n') {
                    throw new EOFException("truncated bulk reply");
                }
                return bulk;
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> elements = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    try {
                        elements.add(read());
                    } catch (ErrorReply e) {
                        elements.add(e); // an error inside an array (EXEC) is an element, not a failure
                    }
                }
                return elements;
            }
            default:
                throw new IOException("unexpected RESP type byte '" + (char) type + "'");
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("Redis closed the connection");
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("malformed RESP line");
                }
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
    }

    private static String commandName(byte[][] arguments) {
        return arguments.length == 0 ? "(empty)" : new String(arguments[0], StandardCharsets.UTF_8);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    /** An error reply from Redis, such as {@code WRONGPASS ...}; the message is the reply text. */
    public static final class ErrorReply extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ErrorReply(String message) {
            super(message);
        }
    }
}
