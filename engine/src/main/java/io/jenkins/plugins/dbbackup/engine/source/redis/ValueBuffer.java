package io.jenkins.plugins.dbbackup.engine.source.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * One key's serialized value on its way into a {@code RESTORE} command, whose protocol needs the length first:
 * held in memory up to {@link #MEMORY_LIMIT}, spilled to a 0600 temporary file beyond (deleted on reset and close),
 * so a value of hundreds of megabytes does not need that much heap. Keeps the CRC-64 of what was written, which the
 * {@code DUMP} payload format ends with. Reusable through {@link #reset()}. Not thread-safe.
 */
final class ValueBuffer extends OutputStream {
    static final int MEMORY_LIMIT = 8 * 1024 * 1024;

    private final Path tempDirectory;
    private byte[] memory = new byte[64 * 1024];
    private int memoryLength;
    private Path file;
    private OutputStream fileOut;
    private long length;
    private Crc64 crc = new Crc64();

    /** @param tempDirectory where large values spill; null for the JVM's temporary directory */
    ValueBuffer(Path tempDirectory) {
        this.tempDirectory = tempDirectory;
    }

    @Override
    public void write(int b) throws IOException {
        if (fileOut == null && memoryLength < memory.length) {
            // the common case of a length byte inside a small value: no temporary array
            memory[memoryLength++] = (byte) b;
            crc.update(b);
            length++;
            return;
        }
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        crc.update(b, off, len);
        length += len;
        if (fileOut != null) {
            fileOut.write(b, off, len);
            return;
        }
        if (memoryLength + len > MEMORY_LIMIT) {
            spill();
            fileOut.write(b, off, len);
            return;
        }
        if (memoryLength + len > memory.length) {
            memory = Arrays.copyOf(memory, Math.min(MEMORY_LIMIT, Math.max(memory.length * 2, memoryLength + len)));
        }
        System.arraycopy(b, off, memory, memoryLength, len);
        memoryLength += len;
    }

    /** Bytes written since the last reset. */
    long length() {
        return length;
    }

    /** The CRC-64 of the bytes written since the last reset. */
    long crc() {
        return crc.value();
    }

    /** Copies the content to {@code out}. */
    void writeTo(OutputStream out) throws IOException {
        if (fileOut == null) {
            out.write(memory, 0, memoryLength);
            return;
        }
        fileOut.flush();
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(out);
        }
    }

    /** Empties the buffer (deleting a spill file) for the next value. */
    void reset() throws IOException {
        deleteFile();
        memoryLength = 0;
        if (memory.length > 1024 * 1024) {
            memory = new byte[64 * 1024]; // do not keep a large array for the rest of the restore
        }
        length = 0;
        crc = new Crc64();
    }

    @Override
    public void close() throws IOException {
        deleteFile();
    }

    private void spill() throws IOException {
        Path dir = tempDirectory != null ? tempDirectory : Path.of(System.getProperty("java.io.tmpdir"));
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            file = Files.createTempFile(dir, "dbbackup-redis-value-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            file = Files.createTempFile(dir, "dbbackup-redis-value-", ".tmp");
        }
        fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE), 256 * 1024);
        fileOut.write(memory, 0, memoryLength);
        memoryLength = 0;
    }

    private void deleteFile() throws IOException {
        if (fileOut != null) {
            try {
                fileOut.close();
            } finally {
                fileOut = null;
                Files.deleteIfExists(file);
                file = null;
            }
        }
    }
}
