package io.jenkins.plugins.dbbackup.engine.source.redis;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Replays an RDB stream into a running server: {@code SELECT} when the database changes, {@code RESTORE} per key with
 * the key's value in the {@code DUMP} payload format (value, 2-byte RDB version, CRC-64, little-endian), and
 * {@code FUNCTION LOAD} per function library. Commands are pipelined: replies are read after every
 * {@value #MAX_PENDING} commands or {@value #MAX_PENDING_BYTES} bytes, and the first error reply fails the restore.
 *
 * <p>Refuses in {@link #header} (before writing anything) an RDB newer than the server reads. With {@code clean},
 * empties the server ({@code FLUSHALL}) right after that check and restores with {@code REPLACE}; without it, an
 * existing key fails the restore ({@code BUSYKEY}).
 */
final class KeyReplayer implements RdbParser.Visitor {
    static final int MAX_PENDING = 512;
    static final long MAX_PENDING_BYTES = 16L * 1024 * 1024;

    private final RespConnection conn;
    private final String serverVersion;
    private final boolean clean;
    private final Deque<String> pending = new ArrayDeque<>();
    private long pendingBytes;
    private int rdbVersion;
    private int selectedDb = 0;
    private long keys;
    private String firstError;
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
        queued("FUNCTION LOAD of a function library", code.length);
    }

    @Override
    public void key(RdbParser.KeyEntry entry) throws IOException {
        if (entry.db() != selectedDb) {
            conn.write(RespConnection.bytes("SELECT"), RespConnection.bytes(Integer.toString(entry.db())));
            queued("SELECT " + entry.db() + " (the target may have fewer databases than the source: raise"
                    + " 'databases' in its configuration)", 0);
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
        queued("RESTORE of key " + printable(entry.key()) + " in db " + entry.db(), value.length() + entry.key().length);
    }

    /** Sends what is queued and checks every reply. */
    void finish() throws IOException {
        drain();
    }

    long keys() {
        return keys;
    }

    /** Whether anything was sent that changes the server. */
    boolean changed() {
        return changed;
    }

    private void queued(String what, long bytes) throws IOException {
        pending.add(what);
        pendingBytes += bytes + 64;
        if (pending.size() >= MAX_PENDING || pendingBytes >= MAX_PENDING_BYTES) {
            drain();
        }
    }

    private void drain() throws IOException {
        conn.flush();
        while (!pending.isEmpty()) {
            String what = pending.poll();
            Object reply = conn.readReply();
            if (reply instanceof RespConnection.ErrorReply error && firstError == null) {
                firstError = what + " was refused: " + explain(conn.scrub(error.message()));
            }
        }
        pendingBytes = 0;
        if (firstError != null) {
            throw new BackupException(firstError + " (" + keys + " keys were sent; the target now holds a partial"
                    + " restore)");
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
