package io.jenkins.plugins.dbbackup.engine.source.redis;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a Redis restore writes.
 *
 * @param mode commands into a running server, or a file for a server to load
 * @param directory for {@link RedisRestoreMode#FILE}: the server's data directory ({@code CONFIG GET dir}); else null
 * @param fileName for {@link RedisRestoreMode#FILE}: the server's {@code dbfilename}, {@code dump.rdb} by default
 */
public record RedisRestoreTarget(RedisRestoreMode mode, Path directory, String fileName) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_FILE_NAME = "dump.rdb";

    public RedisRestoreTarget {
        Objects.requireNonNull(mode, "mode");
        if (mode == RedisRestoreMode.FILE) {
            if (directory == null) {
                throw new IllegalArgumentException("a file restore needs the Redis server's data directory");
            }
            if (fileName == null || fileName.isBlank()) {
                fileName = DEFAULT_FILE_NAME;
            }
            if (fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
                throw new IllegalArgumentException("the RDB file name '" + fileName + "' must be a plain file name"
                        + " such as dump.rdb");
            }
        }
    }

    /** Replay into the running server. */
    public static RedisRestoreTarget commands() {
        return new RedisRestoreTarget(RedisRestoreMode.COMMANDS, null, null);
    }

    /** Place {@code dump.rdb} into {@code directory}. */
    public static RedisRestoreTarget file(Path directory) {
        return new RedisRestoreTarget(RedisRestoreMode.FILE, directory, DEFAULT_FILE_NAME);
    }

    /** The RDB file to write; null for {@link RedisRestoreMode#COMMANDS}. */
    public Path file() {
        return directory == null ? null : directory.resolve(fileName);
    }
}
