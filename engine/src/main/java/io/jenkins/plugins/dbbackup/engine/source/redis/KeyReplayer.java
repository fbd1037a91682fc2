package io.jenkins.plugins.dbbackup.engine.source.redis;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Replays an RDB stream into a running server: {@code SELECT} when the database changes, {@code RESTORE} per key with
 * the key's value in the {@code DUMP} payload format (value, 2-byte RDB version, CRC-64, little-endian), and
 * {@code FUNCTION LOAD} per function library. Commands are pipelined: a second thread reads the replies of
 * flushed commands while parsing and sending go on (at most {@value #MAX_IN_FLIGHT} outstanding); the first error
 * reply fails the restore.
 *
 * <p>Refuses in {@link #header} (before writing anything) an RDB newer than the server reads. With {@code clean},
 * empties the server ({@code FLUSHALL}) right after that check and restores with {@code REPLACE}; without it, an
 * existing key fails the restore ({@code BUSYKEY}).
 */
final class KeyReplayer implements RdbParser.Visitor {
    /** Commands written before a flush hands them to the reply reader. */
    static final int BATCH = 256;
    static final long BATCH_BYTES = 4L * 1024 * 1024;
    /** Flushed commands whose replies may be outstanding at once. */
    static final int MAX_IN_FLIGHT = 8192;
    private static final Sent END = new Sent(null, 0, null);

    private final RespConnection conn;
    private final String serverVersion;
    private final boolean clean;
    /** Written, not yet flushed. */
    private final List<Sent> batch = new ArrayList<>();
    private long batchBytes;
    /** Flushed, reply not yet read. */
    private final BlockingQueue<Sent> inFlight = new ArrayBlockingQueue<>(MAX_IN_FLIGHT);
    private Thread replyReader;
    private volatile String firstError;
    private volatile IOException readFailure;
    private int rdbVersion;
    private int selectedDb = 0;
    private long keys;
    private boolean changed;

    KeyReplayer(RespConnection conn, String serverVersion, boolean clean) {
        this.conn = conn;
        this.serverVersion = serverVersion;
        this.clean = clean;
    }

    @Override
    public void header(int version) throws IOException {
        int readable = RdbVersions.newestReadable(serverVersion);
        if (version > readable) {
            throw new BackupException(refusal(version, serverVersion, readable));
        }
        if (readable < 9) {
            throw new BackupException("a command restore needs Redis 5.0 or newer on the target (RESTORE with"
                    + " ABSTTL), but it runs Redis " + serverVersion + ": restore as a file instead; nothing was"
                    + " changed");
        }
        this.rdbVersion = version;
        if (clean) {
            changed = true;
            conn.command("FLUSHALL");
        }
        conn.command("SELECT", "0");
    }

    static String refusal(int rdbVersion, String serverVersion, int readable) {
        return "the backup is in RDB format version " + rdbVersion + " (written by Redis "
                + RdbVersions.firstRelease(rdbVersion) + " or newer), but the target runs Redis " + serverVersion
                + ", which reads RDB versions up to " + readable + ": restore into Redis "
                + RdbVersions.firstRelease(rdbVersion) + " or newer; nothing was changed";
    }

    @Override
    public boolean wantsValues() {
        return true;
    }

    @Override
    public void functionLibrary(byte[] code) throws IOException {
        List<byte[]> args = new ArrayList<>(List.of(RespConnection.bytes("FUNCTION"), RespConnection.bytes("LOAD")));
        if (clean) {
            args.add(RespConnection.bytes("REPLACE"));
        }
        args.add(code);
        changed = true;
        conn.write(args.toArray(new byte[0][]));
        queued(new Sent("FUNCTION LOAD of a function library", -1, null), code.length);
    }

    @Override
    public void key(RdbParser.KeyEntry entry) throws IOException {
        if (entry.db() != selectedDb) {
            conn.write(RespConnection.bytes("SELECT"), RespConnection.bytes(Integer.toString(entry.db())));
            queued(new Sent("SELECT", entry.db(), null), 0);
            selectedDb = entry.db();
        }
        List<byte[]> options = new ArrayList<>();
        if (clean) {
            options.add(RespConnection.bytes("REPLACE"));
        }
        boolean expires = entry.expireAtMillis() != -1;
        if (expires) {
            options.add(RespConnection.bytes("ABSTTL"));
        }
        if (entry.idleSeconds() >= 0) {
            options.add(RespConnection.bytes("IDLETIME"));
            options.add(RespConnection.bytes(Long.toString(entry.idleSeconds())));
        }
        if (entry.frequency() >= 0) {
            options.add(RespConnection.bytes("FREQ"));
            options.add(RespConnection.bytes(Integer.toString(entry.frequency())));
        }
        ValueBuffer value = entry.value();
        // the DUMP trailer: the RDB version and a CRC-64 over value and version, both little-endian
        value.write(rdbVersion & 0xff);
        value.write((rdbVersion >>> 8) & 0xff);
        long crc = value.crc();
        byte[] crcBytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            crcBytes[i] = (byte) (crc >>> (8 * i));
        }
        conn.writeArrayHeader(4 + options.size());
        conn.writeBulk(RespConnection.bytes("RESTORE"));
        conn.writeBulk(entry.key());
        conn.writeBulk(RespConnection.bytes(expires ? Long.toString(Math.max(1, entry.expireAtMillis())) : "0"));
        conn.writeBulkHeader(value.length() + 8);
        value.writeTo(conn.output());
        conn.output().write(crcBytes);
        conn.writeCrlf();
        for (byte[] option : options) {
            conn.writeBulk(option);
        }
        keys++;
        changed = true;
        byte[] key = entry.key();
        queued(new Sent("RESTORE", entry.db(), key.length <= 100 ? key : Arrays.copyOf(key, 100)),
                value.length() + key.length);
    }

    /** Sends what is queued and waits for every reply; throws the first error. */
    void finish() throws IOException, InterruptedException {
        flushBatch();
        if (replyReader != null) {
            inFlight.put(END);
            replyReader.join();
        }
        check();
    }

    long keys() {
        return keys;
    }

    /** Whether anything was sent that changes the server. */
    boolean changed() {
        return changed;
    }

    private void queued(Sent sent, long bytes) throws IOException {
        batch.add(sent);
        batchBytes += bytes + 64;
        if (batch.size() >= BATCH || batchBytes >= BATCH_BYTES) {
            flushBatch();
        }
    }

    /** Flushes the written commands and hands them to the reply reader (which only waits for flushed ones). */
    private void flushBatch() throws IOException {
        conn.flush();
        if (replyReader == null) {
            replyReader = new Thread(this::readReplies, "redis-restore-replies");
            replyReader.setDaemon(true);
            replyReader.start();
        }
        try {
            for (Sent sent : batch) {
                inFlight.put(sent);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("restore interrupted");
        }
        batch.clear();
        batchBytes = 0;
        check();
    }

    private void check() throws IOException {
        if (firstError != null) {
            throw new BackupException(firstError + " (" + keys + " keys were sent; the target now holds a partial"
                    + " restore)");
        }
        if (readFailure != null) {
            throw new BackupException("the connection to " + conn.connection().describe() + " failed during the"
                    + " restore: " + readFailure.getMessage() + " (the target now holds a partial restore)");
        }
    }

    /** The reply reader: one reply per flushed command, keeping the first error. */
    private void readReplies() {
        try {
            while (true) {
                Sent sent = inFlight.take();
                if (sent == END) {
                    return;
                }
                Object reply = conn.readReply();
                if (reply instanceof RespConnection.ErrorReply error && firstError == null) {
                    firstError = sent.describe() + " was refused: " + explain(conn.scrub(error.message()));
                }
            }
        } catch (IOException e) {
            readFailure = e;
            inFlight.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A command whose reply is awaited, described only when it fails. */
    private record Sent(String command, int db, byte[] key) {
        String describe() {
            return switch (command) {
                case "RESTORE" -> "RESTORE of key " + printable(key) + " in db " + db;
                case "SELECT" -> "SELECT " + db + " (the target may have fewer databases than the source: raise"
                        + " 'databases' in its configuration)";
                default -> command;
            };
        }
    }

    private static String explain(String reply) {
        if (reply.startsWith("BUSYKEY")) {
            return reply + ": the key exists in the target; restore with clean to replace the content";
        }
        if (reply.startsWith("NOPERM")) {
            return reply + ": the user needs permission for RESTORE, SELECT and FUNCTION (and FLUSHALL with clean)";
        }
        if (reply.contains("payload version or checksum")) {
            return reply + ": the target's Redis is older than the one that wrote the backup";
        }
        return reply;
    }

    /** A key for a message: printable ASCII as is, other bytes as \xNN, at most 80 characters. */
    static String printable(byte[] key) {
        StringBuilder s = new StringBuilder("'");
        for (byte b : key) {
            if (s.length() > 80) {
                s.append("...");
                break;
            }
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02x", c));
            }
        }
        return s.append('\'').toString();
    }

}
