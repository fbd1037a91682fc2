package io.jenkins.plugins.dbbackup.engine;

/**
 * Receives what an operation wants a human to see. Implementations must be thread-safe: progress may be reported
 * from a pipeline thread. Messages never contain secrets.
 */
public interface ProgressListener {
    /** A line for the log, such as "dumping orders with pg_dump 15.18". */
    void info(String message);

    /**
     * Bytes moved so far by a long-running stage; called at most every few seconds. By default it becomes an
     * {@link #info} line such as {@code backup: 1.2 GiB so far, 140.3 MiB/s}; front ends that show progress their
     * own way override it.
     *
     * @param stage what is moving, e.g. "backup" or "restore"
     * @param bytes bytes read from the source so far
     * @param elapsedMillis time since the stage started
     */
    default void progress(String stage, long bytes, long elapsedMillis) {
        info(String.format(java.util.Locale.ROOT, "%s: %s so far, %s/s", stage, Pump.humanBytes(bytes),
                Pump.humanBytes(bytes * 1000 / Math.max(1, elapsedMillis))));
    }

    /** A listener that drops everything. */
    ProgressListener NONE = message -> {};
}
