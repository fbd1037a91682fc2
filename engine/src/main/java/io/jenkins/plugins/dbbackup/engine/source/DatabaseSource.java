package io.jenkins.plugins.dbbackup.engine.source;

import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * One kind of database: how to dump it as a byte stream, restore such a stream, and count what verification
 * compares. Implementations take every setting as a constructor parameter and hold no global state.
 */
public interface DatabaseSource {

    /**
     * Checks that the server is reachable with the given credentials and that a suitable dump tool exists; reports
     * their versions. Writes nothing.
     */
    SourceInfo inspect() throws IOException, InterruptedException;

    /**
     * Starts a dump. The caller reads {@link RunningDump#stream()} to its end, then calls
     * {@link RunningDump#finish()}, and always closes the dump.
     */
    RunningDump startDump(SourceInfo info) throws IOException, InterruptedException;

    /** Whether the target database exists. */
    boolean targetExists() throws IOException, InterruptedException;

    /** Whether the target database holds no user tables (or keys). */
    boolean targetIsEmpty() throws IOException, InterruptedException;

    /** Creates the (missing) target database. */
    void createTarget() throws IOException, InterruptedException;

    /** Drops the target database; used for scratch databases of verification. */
    void dropTarget() throws IOException, InterruptedException;

    /**
     * Restores a plain (decrypted, decompressed) dump stream into the target database.
     *
     * @param data the dump; read to its end, not closed
     * @param options how to restore
     */
    void restore(InputStream data, RestoreOptions options) throws IOException, InterruptedException;

    /** What verification compares, counted now in the target database (e.g. rows per table). */
    Map<String, Long> countTarget() throws IOException, InterruptedException;

    /**
     * Facts about a server and its dump tool.
     *
     * @param kind the dump format, e.g. {@code postgresql-custom}
     * @param dataExtension extension of the data object, e.g. {@code pgdump}
     * @param serverVersion the server's version
     * @param toolName the dump tool
     * @param toolVersion its version
     */
    record SourceInfo(String kind, String dataExtension, String serverVersion, String toolName, String toolVersion) {}

    /**
     * How to restore.
     *
     * @param clean replace existing content
     * @param jobs parallel jobs where the format allows
     * @param noOwner do not restore ownership (PostgreSQL)
     * @param noPrivileges do not restore grants (PostgreSQL)
     * @param schemas restore only objects in these schemas (PostgreSQL); empty for all
     * @param tables restore only these tables (PostgreSQL); empty for all
     * @param kind the dump kind as recorded in the manifest; null for the source's default kind
     */
    record RestoreOptions(boolean clean, int jobs, boolean noOwner, boolean noPrivileges, List<String> schemas,
            List<String> tables, String kind) {
        public RestoreOptions {
            schemas = schemas == null ? List.of() : List.copyOf(schemas);
            tables = tables == null ? List.of() : List.copyOf(tables);
        }

        /** Everything in a dump of the given kind. */
        public RestoreOptions(boolean clean, int jobs, boolean noOwner, boolean noPrivileges, String kind) {
            this(clean, jobs, noOwner, noPrivileges, List.of(), List.of(), kind);
        }

        /** A subset of a dump of the source's default kind. */
        public RestoreOptions(boolean clean, int jobs, boolean noOwner, boolean noPrivileges, List<String> schemas,
                List<String> tables) {
            this(clean, jobs, noOwner, noPrivileges, schemas, tables, null);
        }

        /** Everything in a dump of the source's default kind. */
        public RestoreOptions(boolean clean, int jobs, boolean noOwner, boolean noPrivileges) {
            this(clean, jobs, noOwner, noPrivileges, List.of(), List.of(), null);
        }

        public static RestoreOptions defaults() {
            return new RestoreOptions(false, 1, false, false);
        }
    }

    /**
     * How a backup dumps, where the database offers a choice (PostgreSQL only, today).
     *
     * @param directory dump in PostgreSQL's directory format ({@code pg_dump --format=directory}) into a private
     *     temporary directory, then store it as one tar stream; false for the custom format streamed directly
     * @param jobs parallel dump jobs of the directory format (1 to {@link #MAX_JOBS})
     */
    record DumpOptions(boolean directory, int jobs) implements java.io.Serializable {
        public static final int MAX_JOBS = 64;

        public DumpOptions {
            if (jobs < 1 || jobs > MAX_JOBS) {
                throw new IllegalArgumentException("jobs must be between 1 and " + MAX_JOBS + ", not " + jobs);
            }
            if (!directory && jobs != 1) {
                throw new IllegalArgumentException("parallel dump jobs need the directory format");
            }
        }

        public static DumpOptions defaults() {
            return new DumpOptions(false, 1);
        }
    }

    /** A dump in progress. Not thread-safe except {@link #abort()}, which any thread may call. */
    interface RunningDump extends AutoCloseable {
        /** The dump bytes. */
        InputStream stream();

        /**
         * After the stream ended: waits for the tool, checks its exit status and that the dump is complete, and
         * returns what verification needs.
         *
         * @throws IOException naming the cause when the dump failed or is incomplete
         */
        BackupManifest.VerificationData finish() throws IOException, InterruptedException;

        /** Stops the dump at once (kills the tool). */
        void abort();

        /** Releases everything (processes, sessions, credential files). Idempotent. */
        @Override
        void close();
    }
}
