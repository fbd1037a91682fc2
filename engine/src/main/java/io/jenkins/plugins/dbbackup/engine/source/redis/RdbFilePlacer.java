package io.jenkins.plugins.dbbackup.engine.source.redis;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/**
 * Writes an RDB stream as a server's RDB file, atomically: into a temporary file beside the target (checked by the
 * parser as it is written, CRC-64 included), fsync, then rename over the target and fsync the directory. A file it
 * replaces is kept beside it as {@code <name>.replaced-<UTC time>} (a hard link, so the switch stays atomic). A
 * failure leaves the target as it was and no temporary file. The new file gets the old file's permissions, or 0600.
 */
final class RdbFilePlacer {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path target;
    private final Clock clock;

    RdbFilePlacer(Path target, Clock clock) {
        this.target = target;
        this.clock = clock;
    }

    /**
     * @param data the plain RDB stream; read to its end, not closed
     * @param replace whether an existing target file may be replaced
     * @param visitor refuses an unsuitable version in {@code header}; may be null
     * @return what the file holds
     */
    RdbSummary place(InputStream data, boolean replace, RdbParser.Visitor visitor) throws IOException {
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
            throw new BackupException("the Redis data directory " + dir + " does not exist");
        }
        if (Files.exists(target) && !replace) {
            throw new BackupException(target + " exists: ask for clean to replace it (the old file is kept beside"
                    + " it)");
        }
        Set<PosixFilePermission> permissions = permissions();
        Path temp = dir.resolve("." + target.getFileName() + ".tmp-" + Long.toHexString(RANDOM.nextLong()));
        FileAttribute<?>[] attrs = permissions == null ? new FileAttribute<?>[0]
                : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
        RdbSummary summary;
        try {
            try (FileChannel out = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    attrs)) {
                summary = RdbParser.parse(data, (b, off, len) -> {
                    ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                }, visitor == null ? new RdbParser.Visitor() {} : visitor, null);
                out.force(true);
            }
            if (permissions != null) {
                Files.setPosixFilePermissions(temp, permissions); // the umask may have narrowed them
            }
            if (Files.exists(target)) {
                keepOld();
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            fsyncDirectory(dir);
            return summary;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void keepOld() throws IOException {
        Path kept = target.resolveSibling(target.getFileName() + ".replaced-" + STAMP.format(clock.instant()));
        try {
            Files.createLink(kept, target);
        } catch (FileAlreadyExistsException e) {
            // replaced twice within a second: the first copy is kept
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(target, kept, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private Set<PosixFilePermission> permissions() throws IOException {
        if (!target.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return null;
        }
        if (Files.exists(target)) {
            return Files.getPosixFilePermissions(target);
        }
        return PosixFilePermissions.fromString("rw-------");
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the rename itself has happened
        }
    }
}
