package io.jenkins.plugins.dbbackup.engine.source.redis;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.UntrustedText;
import io.jenkins.plugins.dbbackup.engine.process.Scrubber;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.source.DatabaseSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis: a whole server (every database) backed up as its RDB snapshot, fetched over the replication protocol the
 * way {@code redis-cli --rdb} does, in Java: {@code AUTH}, {@code REPLCONF rdb-only 1}, {@code REPLCONF capa eof},
 * {@code SYNC}, then the snapshot in its disk-based ({@code $<length>}) or diskless ({@code $EOF:<marker>}) form; the
 * connection is closed after it (this is no real replica). No native tool and no process is involved, so the
 * password travels only inside the authenticated socket.
 *
 * <p>The snapshot is parsed as it streams (bounded memory): the header and CRC-64 trailer are checked and keys are
 * counted per database; a truncated or corrupt snapshot fails the dump. Restores go by {@link RedisRestoreTarget}:
 * replayed with {@code RESTORE} into a running server, or written as the server's RDB file.
 *
 * <p>Servers delay a snapshot for replicas by {@code repl-diskless-sync-delay} (5 s by default) when diskless sync
 * is on; managed services usually forbid {@code SYNC} altogether, which fails with a message saying so.
 */
public final class RedisSource implements DatabaseSource {
    public static final String KIND = "redis-rdb";
    public static final String DATA_EXTENSION = "rdb";
    public static final String TOOL = "redis-replication";
    public static final String COUNT_METHOD = "rdb-stream";
    /** Counted from a snapshot without a checksum ({@code rdbchecksum no}), so not verified end to end. */
    public static final String COUNT_METHOD_UNCHECKED = "rdb-stream-no-checksum";

    private final DatabaseConnection connection;
    private final Path tempDirectory;
    private final RedisRestoreTarget restoreTarget;
    private final Clock clock;

    /** A source whose restores replay commands into the running server. */
    public RedisSource(DatabaseConnection connection, Path tempDirectory) {
        this(connection, tempDirectory, RedisRestoreTarget.commands());
    }

    /**
     * @param connection the server (for a restore: the target server); its database is ignored
     * @param tempDirectory where values too large for memory spill during a command restore (0600, deleted after);
     *     null for the JVM's temporary directory
     * @param restoreTarget how restores write
     */
    public RedisSource(DatabaseConnection connection, Path tempDirectory, RedisRestoreTarget restoreTarget) {
        this(connection, tempDirectory, restoreTarget, Clock.systemUTC());
    }

    RedisSource(DatabaseConnection connection, Path tempDirectory, RedisRestoreTarget restoreTarget, Clock clock) {
        this.connection = connection;
        this.tempDirectory = tempDirectory;
        this.restoreTarget = restoreTarget;
        this.clock = clock;
    }

    /** Connects, authenticates and reads the server version; the tool version is the RDB version it will write. */
    @Override
    public SourceInfo inspect() throws IOException {
        try (RespConnection conn = RespConnection.open(connection)) {
            String version = serverVersion(conn);
            return new SourceInfo(KIND, DATA_EXTENSION, version, TOOL,
                    Integer.toString(RdbVersions.newestReadable(version)));
        }
    }

    @Override
    public RunningDump startDump(SourceInfo info) throws IOException {
        RespConnection conn = RespConnection.open(connection);
        try {
            InputStream snapshot = requestSnapshot(conn);
            return new RedisDump(conn, snapshot);
        } catch (IOException | RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    /** Asks for a full snapshot and returns its bytes, positioned after the transfer header. */
    InputStream requestSnapshot(RespConnection conn) throws IOException {
        replconf(conn, "rdb-only", "1"); // Redis 7: no replication stream for us, close after the snapshot
        replconf(conn, "capa", "eof", "capa", "psync2"); // accept the diskless form
        conn.write(RespConnection.bytes("SYNC"));
        conn.flush();
        InputStream in = conn.input();
        while (true) {
            int b = in.read();
            switch (b) {
                case -1:
                    throw new BackupException("the server " + connection.describe() + " closed the connection instead"
                            + " of sending a snapshot (see its log)");
                case '\n':
                    continue; // keep-alive while the server prepares the snapshot
                case '-':
                    throw syncRefused(UntrustedText.shown(conn.scrub(conn.readLine()), 400));
                case '+':
                    conn.readLine(); // +FULLRESYNC <replid> <offset> of a PSYNC answer
                    continue;
                case '$': {
                    String header = conn.readLine();
                    if (header.startsWith("EOF:")) {
                        byte[] marker = header.substring(4).getBytes(StandardCharsets.ISO_8859_1);
                        if (marker.length != EofMarkedInputStream.MARKER_LENGTH) {
                            throw new BackupException("the server announced a diskless snapshot with a malformed end"
                                    + " marker");
                        }
                        return new EofMarkedInputStream(in, marker);
                    }
                    try {
                        long length = Long.parseLong(header);
                        if (length < 0) {
                            throw new NumberFormatException();
                        }
                        return new LengthBoundedInputStream(in, length);
                    } catch (NumberFormatException e) {
                        throw new BackupException("the server announced a snapshot with a malformed length '"
                                + UntrustedText.shown(header) + "'");
                    }
                }
                default:
                    throw new BackupException("unexpected answer to SYNC from " + connection.describe()
                            + " (byte " + b + "): is this a Redis server?");
            }
        }
    }

    private void replconf(RespConnection conn, String... args) throws IOException {
        String[] command = new String[args.length + 1];
        command[0] = "REPLCONF";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            conn.command(command);
        } catch (RespConnection.ErrorReplyException e) {
            if (e.reply().startsWith("NOPERM") || e.reply().startsWith("ERR unknown command")) {
                throw syncRefused(e.reply());
            }
            // an older server that does not know the option: the snapshot comes without it
        }
    }

    private BackupException syncRefused(String reply) {
        if (reply.startsWith("NOAUTH")) {
            return new BackupException("the server " + connection.describe() + " requires a password: give one"
                    + " (NOAUTH)");
        }
        if (reply.startsWith("NOPERM") || reply.startsWith("ERR unknown command") || reply.contains("not allowed")) {
            return new BackupException("the server " + connection.describe() + " refuses replication (" + reply
                    + "): a backup needs SYNC and REPLCONF, which managed services (ElastiCache, Azure Cache,"
                    + " Memorystore, ...) usually forbid; use the service's snapshot export there, or grant the"
                    + " user +sync +replconf (ACL)");
        }
        return new BackupException("the server " + connection.describe() + " refused to send a snapshot: " + reply);
    }

    /**
     * Refuses early, before a safety backup or anything else, a backup whose RDB version the target server cannot
     * read. The engine can call it with the manifest's tool version (the RDB version, see {@link #inspect()}); the
     * restore itself checks again against the stream's own header. For a file restore to a stopped server, nothing
     * is checked (the server checks the file when it starts).
     *
     * @throws BackupException naming both versions
     */
    public void checkRdbVersion(int rdbVersion) throws IOException {
        String version;
        try (RespConnection conn = RespConnection.open(connection)) {
            version = serverVersion(conn);
        } catch (BackupException e) {
            if (restoreTarget.mode() == RedisRestoreMode.FILE && e.getMessage().startsWith("cannot connect")) {
                return;
            }
            throw e;
        }
        int readable = RdbVersions.newestReadable(version);
        if (rdbVersion > readable) {
            throw new BackupException(KeyReplayer.refusal(rdbVersion, version, readable));
        }
    }

    /** For a command restore: the server answers. For a file restore: the data directory exists. */
    @Override
    public boolean targetExists() throws IOException {
        if (restoreTarget.mode() == RedisRestoreMode.FILE) {
            return Files.isDirectory(restoreTarget.directory());
        }
        try (RespConnection conn = RespConnection.open(connection)) {
            conn.command("PING");
            return true;
        }
    }

    /** For a command restore: no key in any database. For a file restore: no RDB file (or an empty one) there. */
    @Override
    public boolean targetIsEmpty() throws IOException {
        if (restoreTarget.mode() == RedisRestoreMode.FILE) {
            Path file = restoreTarget.file();
            return !Files.exists(file) || Files.size(file) == 0;
        }
        try (RespConnection conn = RespConnection.open(connection)) {
            return keyspace(conn).isEmpty();
        }
    }

    /** A file restore creates the data directory (0700); a server cannot be created: start it first. */
    @Override
    public void createTarget() throws IOException {
        if (restoreTarget.mode() == RedisRestoreMode.FILE) {
            Files.createDirectories(restoreTarget.directory(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return;
        }
        throw new BackupException("the Redis server " + connection.describe() + " is not reachable, and a restore"
                + " cannot create one: start it first");
    }

    /**
     * For a command restore: empties the server ({@code FLUSHALL} and {@code FUNCTION FLUSH}) — a scratch server of
     * verification. For a file restore: deletes the RDB file.
     */
    @Override
    public void dropTarget() throws IOException {
        if (restoreTarget.mode() == RedisRestoreMode.FILE) {
            Files.deleteIfExists(restoreTarget.file());
            return;
        }
        try (RespConnection conn = RespConnection.open(connection)) {
            conn.command("FLUSHALL");
            try {
                conn.command("FUNCTION", "FLUSH");
            } catch (RespConnection.ErrorReplyException e) {
                // a server before 7.0 has no functions
            }
        }
    }

    /**
     * Restores an RDB stream. Refuses, before changing anything, an RDB newer than the target server reads. Options:
     * {@code clean} empties the server first (command restore) or replaces an existing file (file restore); jobs,
     * owner and privileges do not apply.
     */
    @Override
    public void restore(InputStream data, RestoreOptions options) throws IOException, InterruptedException {
        if (restoreTarget.mode() == RedisRestoreMode.FILE) {
            restoreFile(data, options.clean());
            return;
        }
        try (RespConnection conn = RespConnection.open(connection)) {
            String version = serverVersion(conn);
            KeyReplayer replayer = new KeyReplayer(conn, version, options.clean());
            try {
                RdbParser.parse(data, null, replayer, tempDirectory);
            } catch (RdbFormatException e) {
                if (replayer.changed()) {
                    throw new BackupException(e.getMessage() + "; the target now holds a partial restore ("
                            + replayer.keys() + " keys sent): restore again with clean from an intact backup", e);
                }
                throw e;
            }
            replayer.finish();
        }
    }

    private void restoreFile(InputStream data, boolean clean) throws IOException {
        // check the version when the server answers; a stopped server checks the file itself when it starts
        String version = null;
        try (RespConnection conn = RespConnection.open(connection)) {
            version = serverVersion(conn);
        } catch (BackupException e) {
            if (e.getMessage().contains("authentication") || e.getMessage().contains("requires a password")) {
                throw e;
            }
        }
        String serverVersion = version;
        RdbParser.Visitor check = new RdbParser.Visitor() {
            @Override
            public void header(int rdbVersion) throws IOException {
                if (serverVersion != null && rdbVersion > RdbVersions.newestReadable(serverVersion)) {
                    throw new BackupException(KeyReplayer.refusal(rdbVersion, serverVersion,
                            RdbVersions.newestReadable(serverVersion)));
                }
            }
        };
        new RdbFilePlacer(restoreTarget.file(), clock).place(data, clean, check);
    }

    /**
     * Keys per database now in the server, named as in the manifest: {@code db<N>} and {@code db<N>.expires}. For a
     * file restore, counted from the RDB file.
     */
    @Override
    public Map<String, Long> countTarget() throws IOException {
        if (restoreTarget.mode() == RedisRestoreMode.FILE) {
            try (InputStream in = Files.newInputStream(restoreTarget.file())) {
                return RdbParser.scan(in).manifestCounts();
            }
        }
        try (RespConnection conn = RespConnection.open(connection)) {
            return keyspace(conn);
        }
    }

    /**
     * Compares counts recorded in a manifest with counts of a restored server, allowing for keys with an expiry
     * that expired in between: {@code db<N>} may be lower by at most the recorded {@code db<N>.expires}.
     *
     * @return one line per difference; empty when they agree
     */
    public static List<String> compareCounts(Map<String, Long> recorded, Map<String, Long> restored) {
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, Long> e : recorded.entrySet()) {
            String name = e.getKey();
            if (name.endsWith(".expires")) {
                continue;
            }
            long want = e.getValue();
            long slack = recorded.getOrDefault(name + ".expires", 0L);
            long have = restored.getOrDefault(name, 0L);
            if (have > want || have < want - slack) {
                differences.add(name + ": " + want + " keys in the backup" + (slack > 0 ? " (" + slack
                        + " with an expiry)" : "") + ", " + have + " restored");
            }
        }
        for (Map.Entry<String, Long> e : restored.entrySet()) {
            if (!e.getKey().endsWith(".expires") && !recorded.containsKey(e.getKey()) && e.getValue() > 0) {
                differences.add(e.getKey() + ": not in the backup, " + e.getValue() + " keys restored");
            }
        }
        return differences;
    }

    private static Map<String, Long> keyspace(RespConnection conn) throws IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : conn.info("keyspace").entrySet()) {
            if (!e.getKey().startsWith("db")) {
                continue;
            }
            long keys = 0;
            long expires = 0;
            for (String part : e.getValue().split(",")) {
                if (part.startsWith("keys=")) {
                    keys = Long.parseLong(part.substring(5));
                } else if (part.startsWith("expires=")) {
                    expires = Long.parseLong(part.substring(8));
                }
            }
            if (keys > 0) {
                counts.put(e.getKey(), keys);
                counts.put(e.getKey() + ".expires", expires);
            }
        }
        return sorted(counts);
    }

    private static Map<String, Long> sorted(Map<String, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.keySet().stream()
                .sorted((a, b) -> {
                    int c = Integer.compare(dbIndex(a), dbIndex(b));
                    return c != 0 ? c : a.compareTo(b);
                })
                .forEach(k -> out.put(k, counts.get(k)));
        return out;
    }

    private static int dbIndex(String name) {
        String digits = name.substring(2).replaceAll("\\..*", "");
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private String serverVersion(RespConnection conn) throws IOException {
        String version = conn.info("server").get("redis_version");
        if (version == null) {
            throw new BackupException("the server " + connection.describe() + " reports no redis_version: is this a"
                    + " Redis server?");
        }
        return version;
    }

    /**
     * The snapshot in transfer: a parser thread reads the socket, checks and counts, and hands every chunk on through
     * a bounded pipe to {@link #stream()}; a failure reaches the reader of the stream as an exception.
     */
    private final class RedisDump implements RunningDump {
        private final RespConnection conn;
        private final ChunkPipe pipe = new ChunkPipe();
        private final Thread parser;
        private volatile RdbSummary summary;
        private volatile IOException failure;
        private volatile boolean aborted;

        RedisDump(RespConnection conn, InputStream snapshot) {
            this.conn = conn;
            this.parser = new Thread(() -> parse(snapshot), "redis-rdb-" + connection.host() + ":" + connection.port());
            parser.setDaemon(true);
            parser.start();
        }

        private void parse(InputStream snapshot) {
            try {
                RdbSummary s = RdbParser.parse(snapshot, pipe::write, new RdbParser.Visitor() {}, null);
                conn.close(); // the snapshot is all we want; this is no replica
                summary = s;
                pipe.end();
            } catch (IOException | RuntimeException e) {
                conn.close();
                String message = aborted ? "the snapshot transfer was aborted"
                        : e instanceof IOException && !(e instanceof BackupException)
                                ? "the snapshot transfer from " + connection.describe() + " failed: " + e.getMessage()
                                : e.getMessage();
                message = Scrubber.scrub(message, connection.password());
                failure = e instanceof BackupException be && message.equals(be.getMessage()) ? be
                        : new BackupException(message, e);
                pipe.fail(message);
            }
        }

        @Override
        public InputStream stream() {
            return pipe.input();
        }

        @Override
        public BackupManifest.VerificationData finish() throws IOException, InterruptedException {
            parser.join();
            if (failure != null) {
                throw failure;
            }
            RdbSummary s = summary;
            if (s == null) {
                throw new BackupException("the snapshot was not read to its end");
            }
            // a server with rdbchecksum no writes a zero trailer: the snapshot is kept, but the manifest says so
            return new BackupManifest.VerificationData(null, s.manifestCounts(),
                    s.checksumPresent() ? COUNT_METHOD : COUNT_METHOD_UNCHECKED);
        }

        @Override
        public void abort() {
            aborted = true;
            conn.close();
            pipe.close();
        }

        @Override
        public void close() {
            abort();
            try {
                parser.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
