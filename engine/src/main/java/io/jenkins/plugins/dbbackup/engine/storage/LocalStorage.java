package io.jenkins.plugins.dbbackup.engine.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Objects as files below a root directory. A write goes to a hidden temp file in the target directory, is fsynced,
 * renamed atomically onto its key and the directory is fsynced, so a crash leaves either the whole object or none
 * (plus at most a temp file, which listings ignore). Files are 0600 and directories 0700 on POSIX file systems.
 */
public final class LocalStorage implements Storage {
    private static final String TEMP_MARKER = ".tmp-";
    private static final int BUFFER = 256 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final boolean posix;

    /**
     * @param root the repository directory; created (0700) when missing
     */
    public LocalStorage(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.posix = this.root.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            createDirectories(this.root);
        } catch (IOException e) {
            throw classify("cannot create repository directory " + this.root, e);
        }
        if (!Files.isDirectory(this.root)) {
            throw new StorageException(StorageException.Kind.PERMANENT, this.root + " is not a directory");
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public String describe() {
        return root.toUri().toString();
    }

    /** Whether a file name is one of this storage's temp files (never listed, removed by repository checks). */
    public static boolean isTempName(String fileName) {
        return fileName.startsWith(".") && fileName.contains(TEMP_MARKER);
    }

    @Override
    public ObjectWriter create(String key) throws IOException {
        Path target = resolve(key);
        Path dir = target.getParent();
        Path temp = dir.resolve("." + target.getFileName() + TEMP_MARKER + HexFormat.of().toHexDigits(RANDOM.nextLong()));
        FileChannel channel;
        try {
            createDirectories(dir);
            channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), fileAttributes());
        } catch (IOException e) {
            throw classify("cannot create " + target, e);
        }
        return new FileWriter(channel, temp, target);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] content) throws IOException {
        Path target = resolve(key);
        Path temp = target.resolveSibling("." + target.getFileName() + TEMP_MARKER
                + HexFormat.of().toHexDigits(RANDOM.nextLong()));
        try {
            createDirectories(target.getParent());
            try (FileChannel channel = FileChannel.open(temp,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), fileAttributes())) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.createLink(target, temp); // link(2) fails when the target exists: atomic create-if-absent
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
            fsyncDirectory(target.getParent());
            return true;
        } catch (IOException e) {
            throw classify("cannot create " + target, e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        Path file = resolve(key);
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw classify("cannot read " + file, e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        Path file = resolve(key);
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            return attrs.isRegularFile()
                    ? Optional.of(new ObjectInfo(key, attrs.size(), attrs.lastModifiedTime().toInstant()))
                    : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw classify("cannot read " + file, e);
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        String checked = StorageKeys.checkPrefix(prefix);
        // walk only the deepest directory the prefix names completely
        int slash = checked.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(checked.substring(0, slash));
        List<ObjectInfo> result = new ArrayList<>();
        if (!Files.isDirectory(start)) {
            return result;
        }
        try (Stream<Path> files = Files.walk(start)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (isTempName(file.getFileName().toString())) {
                    continue;
                }
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(file, BasicFileAttributes.class);
                } catch (NoSuchFileException raced) {
                    continue;
                }
                if (!attrs.isRegularFile()) {
                    continue;
                }
                String key = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                if (key.startsWith(checked)) {
                    result.add(new ObjectInfo(key, attrs.size(), attrs.lastModifiedTime().toInstant()));
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            IOException cause = e instanceof java.io.UncheckedIOException u ? u.getCause() : (IOException) e;
            throw classify("cannot list " + start, cause);
        }
        result.sort(java.util.Comparator.comparing(ObjectInfo::key));
        return result;
    }

    /** Every temp file left below the root by interrupted writes, as paths. For repository checks. */
    public List<Path> leftoverTempFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> isTempName(p.getFileName().toString())).toList();
        }
    }

    @Override
    public void delete(String key) throws IOException {
        Path file = resolve(key);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw classify("cannot delete " + file, e);
        }
        // remove directories left empty, up to the root
        Path dir = file.getParent();
        while (dir != null && !dir.equals(root) && dir.startsWith(root)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    break;
                }
            } catch (NoSuchFileException gone) {
                dir = dir.getParent();
                continue;
            }
            try {
                Files.delete(dir);
            } catch (IOException notEmptyOrRaced) {
                break;
            }
            dir = dir.getParent();
        }
    }

    private Path resolve(String key) {
        Path file = root.resolve(StorageKeys.check(key)).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            throw new IllegalArgumentException("invalid storage key '" + key + "'");
        }
        return file;
    }

    private void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (posix) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    private FileAttribute<?>[] fileAttributes() {
        if (!posix) {
            return new FileAttribute<?>[0];
        }
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString("rw-------");
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)};
    }

    static StorageException classify(String what, IOException e) {
        if (e instanceof StorageException s) {
            return s;
        }
        if (e instanceof NoSuchFileException) {
            return new StorageException(StorageException.Kind.NOT_FOUND, what + ": no such file", e);
        }
        if (e instanceof AccessDeniedException) {
            return new StorageException(StorageException.Kind.PERMANENT,
                    what + ": permission denied (check the owner and mode of the repository directory)", e);
        }
        String reason = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage();
        if (reason != null && reason.contains("No space left")) {
            return new StorageException(StorageException.Kind.PERMANENT,
                    what + ": no space left on the device that holds the repository", e);
        }
        return new StorageException(StorageException.Kind.PERMANENT, what + ": " + reason, e);
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException notSupported) {
            // some file systems cannot open directories; the rename is still atomic there
        }
    }

    /** Buffers writes into a file channel; commit = flush, fsync, rename, fsync dir. */
    private static final class FileWriter extends ObjectWriter {
        private final FileChannel channel;
        private final Path temp;
        private final Path target;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
        private boolean committed;
        private boolean closed;

        FileWriter(FileChannel channel, Path temp, Path target) {
            this.channel = channel;
            this.temp = temp;
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            if (!buffer.hasRemaining()) {
                drain();
            }
            buffer.put((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            ensureOpen();
            while (len > 0) {
                if (!buffer.hasRemaining()) {
                    drain();
                }
                int n = Math.min(len, buffer.remaining());
                buffer.put(b, off, n);
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            ensureOpen();
            drain();
        }

        private void drain() throws IOException {
            buffer.flip();
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException e) {
                throw classify("cannot write " + target, e);
            } finally {
                buffer.clear();
            }
        }

        private void ensureOpen() throws IOException {
            if (closed || committed) {
                throw new IOException("writer for " + target + " is " + (committed ? "committed" : "closed"));
            }
        }

        @Override
        public void commit() throws IOException {
            ensureOpen();
            try {
                drain();
                channel.force(true);
                channel.close();
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new StorageException(StorageException.Kind.PERMANENT,
                            "the file system of " + target.getParent() + " cannot rename atomically", e);
                }
                committed = true;
                fsyncDirectory(target.getParent());
            } catch (IOException e) {
                close();
                throw classify("cannot store " + target, e);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (!committed) {
                try {
                    channel.close();
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
        }
    }
}
