package io.jenkins.plugins.dbbackup.engine.codec;

import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;

/**
 * Which compression to apply and how hard to work at it.
 *
 * <ul>
 *   <li>{@link Compression#ZSTD}: level 1 to 19 (zstd's normal range; the "ultra" levels 20–22 need hundreds of MiB
 *       of window memory and are refused), workers 0 (compress on the writing thread) to {@value #MAX_WORKERS}
 *       (zstd's own threads compress while the writer produces the next block), or {@link #AUTO_WORKERS}: one per
 *       core of the machine that runs the backup, see {@link #resolvedWorkers()}. zstd writes the same bytes for
 *       every worker count from 1 up, so the choice changes speed, not the backup.</li>
 *   <li>{@link Compression#GZIP}: level 1 to 9, workers must be 0 (gzip has no threads); {@link #AUTO_WORKERS} is
 *       stored as 0.</li>
 *   <li>{@link Compression#NONE}: level and workers are meaningless and are stored as 0.</li>
 * </ul>
 *
 * @param algorithm the algorithm, never null
 * @param level     the compression level, see above
 * @param workers   zstd worker threads, see above
 */
public record CompressionSettings(Compression algorithm, int level, int workers) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The most zstd worker threads accepted. */
    public static final int MAX_WORKERS = 64;

    /** Workers: as many as the machine running the backup has cores, at most {@value #MAX_AUTO_WORKERS}. */
    public static final int AUTO_WORKERS = -1;

    /** The most workers {@link #AUTO_WORKERS} starts: more rarely helps while one dump process feeds them. */
    static final int MAX_AUTO_WORKERS = 4;

    public CompressionSettings {
        Objects.requireNonNull(algorithm, "compression algorithm must not be null");
        switch (algorithm) {
            case NONE -> {
                level = 0;
                workers = 0;
            }
            case GZIP -> {
                if (level < 1 || level > 9) {
                    throw new IllegalArgumentException("gzip level must be between 1 and 9, was " + level);
                }
                if (workers == AUTO_WORKERS) {
                    workers = 0;
                }
                if (workers != 0) {
                    throw new IllegalArgumentException("gzip has no worker threads; workers must be 0, was " + workers);
                }
            }
            case ZSTD -> {
                if (level < 1 || level > 19) {
                    throw new IllegalArgumentException("zstd level must be between 1 and 19, was " + level);
                }
                if (workers < AUTO_WORKERS || workers > MAX_WORKERS) {
                    throw new IllegalArgumentException(
                            "zstd workers must be between 0 and " + MAX_WORKERS + " (or " + AUTO_WORKERS
                                    + " for one per core), was " + workers);
                }
            }
        }
    }

    /**
     * zstd level 3 (zstd's own default) with {@link #AUTO_WORKERS}: compression then runs on zstd's threads, beside
     * the thread that reads the dump, as {@code zstd -T0} would.
     */
    public static CompressionSettings defaults() {
        return new CompressionSettings(Compression.ZSTD, 3, AUTO_WORKERS);
    }

    /**
     * The number of zstd worker threads to start on this machine: {@link #workers()}, or for {@link #AUTO_WORKERS}
     * the number of cores available to this JVM, from 1 to {@value #MAX_AUTO_WORKERS}. Always 0 for gzip and none.
     */
    public int resolvedWorkers() {
        if (workers != AUTO_WORKERS) {
            return workers;
        }
        return Math.max(1, Math.min(MAX_AUTO_WORKERS, Runtime.getRuntime().availableProcessors()));
    }

    /** No compression. */
    public static CompressionSettings none() {
        return new CompressionSettings(Compression.NONE, 0, 0);
    }
}
