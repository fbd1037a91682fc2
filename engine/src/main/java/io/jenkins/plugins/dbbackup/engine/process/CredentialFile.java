package io.jenkins.plugins.dbbackup.engine.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A short-lived file that hands a secret to a native tool ({@code PGPASSFILE}, MySQL's
 * {@code --defaults-extra-file}): created 0600 before anything is written to it, deleted on {@link #close()}.
 */
public final class CredentialFile implements AutoCloseable {
    private final Path path;

    private CredentialFile(Path path) {
        this.path = path;
    }

    /**
     * Writes {@code content} to a new 0600 file in {@code directory} (the JVM's temp directory when null).
     */
    public static CredentialFile create(Path directory, String prefix, String content) throws IOException {
        Path dir = directory != null ? directory : Path.of(System.getProperty("java.io.tmpdir"));
        Path file;
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            file = Files.createTempFile(dir, prefix, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            file = Files.createTempFile(dir, prefix, ".tmp");
        }
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new CredentialFile(file);
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(path);
    }
}
