package io.jenkins.plugins.dbbackup.engine;

/**
 * Receives what an operation wants a human to see. Implementations must be thread-safe: progress may be reported
 * from a pipeline thread. Messages never contain secrets.
 */
public interface ProgressListener {
    /** A line for the log, such as "dumping orders with pg_dump 15.18". */
    void info(String message);

    /**
     * Bytes moved so far by a long-running stage; called at most every few seconds.
     *
     * @param stage what is moving, e.g. "backup" or "restore"
     * @param bytes bytes read from the source so far
     * @param elapsedMillis time since the stage started
     */
    default void progress(String stage, long bytes, long elapsedMillis) {}

    /** A listener that drops everything. */
    ProgressListener NONE = message -> {};
}
