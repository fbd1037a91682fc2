package io.jenkins.plugins.dbbackup.engine.source.redis;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.UntrustedText;
import io.jenkins.plugins.dbbackup.engine.process.Scrubber;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One authenticated RESP2 connection to a Redis server over plain TCP. Replies map to: simple string →
 * {@link String}, integer → {@link Long}, bulk → {@code byte[]}, array → {@link List}, nil → null, error →
 * {@link ErrorReply} (returned by {@link #readReply()}, thrown by {@link #command}). The password goes to the server in
 * an {@code AUTH} command and nowhere else. Not thread-safe, except {@link #close()}, which any thread may call to
 * unblock a read.
 */
final class RespConnection implements AutoCloseable {
    static final int CONNECT_TIMEOUT_MILLIS = 15_000;
    /** Longer than any pause of a healthy server: during a snapshot it sends a newline every second. */
    static final int READ_TIMEOUT_MILLIS = 120_000;
    private static final byte[] CRLF = {'\r', '\n'};
    /** Largest bulk reply accepted: Redis' own default {@code proto-max-bulk-len}. */
    static final long MAX_BULK = 512L * 1024 * 1024;
    /** Deepest array nesting accepted; Redis replies nest a few levels (e.g. XINFO, SLOWLOG). */
    static final int MAX_NESTING = 32;

    private final DatabaseConnection connection;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespConnection(DatabaseConnection connection, Socket socket) throws IOException {
        this(connection, socket, socket.getInputStream(), socket.getOutputStream());
    }

    private RespConnection(DatabaseConnection connection, Socket socket, InputStream in, OutputStream out) {
        this.connection = connection;
        this.socket = socket;
        this.in = new BufferedInputStream(in, 128 * 1024);
        this.out = new BufferedOutputStream(out, 256 * 1024);
    }

    /**
     * A connection over given streams, already past authentication: for feeding the reply reader bytes no real
     * server sends on demand (the fuzz tests). {@link #close()} does nothing.
     */
    static RespConnection over(DatabaseConnection connection, InputStream in, OutputStream out) {
        return new RespConnection(connection, null, in, out);
    }

    /** Connects and authenticates ({@code AUTH [user] password} when a password is given). */
    static RespConnection open(DatabaseConnection connection) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(connection.host(), connection.port()), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        } catch (UnknownHostException e) {
            closeQuietly(socket);
            throw new BackupException("cannot connect to " + connection.describe() + ": unknown host "
                    + connection.host());
        } catch (ConnectException | SocketTimeoutException e) {
            closeQuietly(socket);
            throw new BackupException("cannot connect to " + connection.describe() + ": " + e.getMessage()
                    + " (is the server running and the port right?)");
        } catch (IOException e) {
            closeQuietly(socket);
            throw new BackupException("cannot connect to " + connection.describe() + ": " + e.getMessage());
        }
        RespConnection c = new RespConnection(connection, socket);
        try {
            c.authenticate();
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void authenticate() throws IOException {
        if (connection.password() == null) {
            return;
        }
        List<byte[]> args = new ArrayList<>(List.of(bytes("AUTH")));
        if (connection.user() != null && !connection.user().isEmpty()) {
            args.add(bytes(connection.user()));
        }
        byte[] password = connection.password().reveal().getBytes(StandardCharsets.UTF_8);
        args.add(password);
        try {
            write(args.toArray(new byte[0][]));
        } finally {
            java.util.Arrays.fill(password, (byte) 0);
        }
        flush();
        Object reply = readReply();
        if (reply instanceof ErrorReply error) {
            throw authFailure(error.message());
        }
    }

    private BackupException authFailure(String message) {
        String text = UntrustedText.shown(scrub(message), 400);
        if (text.startsWith("WRONGPASS") || text.startsWith("ERR invalid password")) {
            return new BackupException("authentication to " + connection.describe() + " failed: wrong user name or"
                    + " password (" + firstWord(text) + ")");
        }
        if (text.contains("without any password configured")) {
            return new BackupException("authentication to " + connection.describe() + " failed: the server has no"
                    + " password set, but one was given; give none, or set requirepass on the server");
        }
        return new BackupException("authentication to " + connection.describe() + " failed: " + text);
    }

    /**
     * Sends a command and returns its reply.
     *
     * @throws ErrorReplyException for an error reply
     */
    Object command(String... args) throws IOException {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = bytes(args[i]);
        }
        write(b);
        flush();
        Object reply = readReply();
        if (reply instanceof ErrorReply error) {
            if (error.message().startsWith("NOAUTH")) {
                throw new BackupException("the server " + connection.describe() + " requires a password: give one"
                        + " (NOAUTH)");
            }
            throw new ErrorReplyException(args[0], UntrustedText.shown(scrub(error.message()), 400));
        }
        return reply;
    }

    /** {@code INFO section} parsed into name → value. */
    Map<String, String> info(String section) throws IOException {
        Object reply = command("INFO", section);
        if (!(reply instanceof byte[] text)) {
            throw new BackupException("unexpected reply to INFO from " + connection.describe());
        }
        Map<String, String> fields = new TreeMap<>();
        for (String line : new String(text, StandardCharsets.UTF_8).split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return fields;
    }

    /** Writes one command without flushing. */
    void write(byte[]... args) throws IOException {
        writeArrayHeader(args.length);
        for (byte[] arg : args) {
            writeBulk(arg);
        }
    }

    void writeArrayHeader(int count) throws IOException {
        out.write('*');
        out.write(bytes(Integer.toString(count)));
        out.write(CRLF);
    }

    void writeBulk(byte[] arg) throws IOException {
        writeBulkHeader(arg.length);
        out.write(arg);
        out.write(CRLF);
    }

    void writeBulkHeader(long length) throws IOException {
        out.write('$');
        out.write(bytes(Long.toString(length)));
        out.write(CRLF);
    }

    void writeCrlf() throws IOException {
        out.write(CRLF);
    }

    OutputStream output() {
        return out;
    }

    void flush() throws IOException {
        out.flush();
    }

    /** The buffered input, positioned after the last reply read; for the snapshot that follows {@code SYNC}. */
    InputStream input() {
        return in;
    }

    /** Reads one reply; an error reply is returned as {@link ErrorReply}. */
    Object readReply() throws IOException {
        return readReply(0);
    }

    private Object readReply(int depth) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("the server " + connection.describe() + " closed the connection");
        }
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                return new ErrorReply(line);
            case ':':
                return number(line);
            case '$': {
                long length = number(line);
                if (length < 0) {
                    return null;
                }
                if (length > MAX_BULK) {
                    throw new IOException("a reply from " + connection.describe() + " announces " + length
                            + " bytes, more than the " + MAX_BULK + " a Redis server sends: is this a Redis server?");
                }
                byte[] bulk = in.readNBytes((int) length); // grows with the bytes that arrive
                if (bulk.length != length || in.read() != '\r' || in.read() != '\n') {
                    throw new EOFException("the server " + connection.describe() + " closed the connection mid-reply");
                }
                return bulk;
            }
            case '*': {
                long count = number(line);
                if (count < 0) {
                    return null;
                }
                if (depth >= MAX_NESTING) {
                    throw new IOException("a reply from " + connection.describe() + " nests arrays more than "
                            + MAX_NESTING + " deep: is this a Redis server?");
                }
                List<Object> items = new ArrayList<>((int) Math.min(count, 1024));
                for (long i = 0; i < count; i++) {
                    items.add(readReply(depth + 1));
                }
                return items;
            }
            default:
                throw new IOException("unexpected reply from " + connection.describe() + " (type byte " + type
                        + "): is this a Redis server?");
        }
    }

    /** The number of an integer reply or a bulk or array header. */
    private long number(String line) throws IOException {
        try {
            return Long.parseLong(line);
        } catch (NumberFormatException e) {
            throw new IOException("malformed reply from " + connection.describe() + ": '"
                    + UntrustedText.shown(line) + "' is not a number: is this a Redis server?");
        }
    }

    /** A CRLF-terminated line (without it), at most 64 KiB. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server " + connection.describe() + " closed the connection");
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("malformed reply from " + connection.describe() + ": is this a Redis server?");
                }
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() >= 65536) {
                throw new IOException("a reply line from " + connection.describe() + " is too long: is this a Redis"
                        + " server?");
            }
            line.write(b);
        }
    }

    String scrub(String text) {
        return Scrubber.scrub(text, connection.password());
    }

    DatabaseConnection connection() {
        return connection;
    }

    /** Closes the socket; unblocks a read in another thread. Idempotent. */
    @Override
    public void close() {
        closeQuietly(socket);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String firstWord(String text) {
        int space = text.indexOf(' ');
        return space < 0 ? text : text.substring(0, space);
    }

    private static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    /** An error reply. */
    record ErrorReply(String message) {}

    /** An error reply to a command, as an exception; the message is the scrubbed reply. */
    static final class ErrorReplyException extends BackupException {
        private static final long serialVersionUID = 1L;
        private final String reply;

        ErrorReplyException(String command, String reply) {
            super(command + " was refused: " + reply);
            this.reply = reply;
        }

        /** The server's error text, e.g. {@code NOPERM ...}. */
        String reply() {
            return reply;
        }
    }
}
