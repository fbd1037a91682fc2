package io.jenkins.plugins.dbbackup.engine.source.postgres;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A flat directory of regular files (what {@code pg_dump --format=directory} writes) as a POSIX tar stream, and
 * back. Only what such a directory holds is supported: regular files with plain names, no subdirectories, links or
 * special files. A file of 8 GiB or more gets a pax extended header carrying its size (POSIX.1-2001), which GNU tar,
 * bsdtar and busybox tar read.
 *
 * <p>Extraction accepts only plain names ({@code [A-Za-z0-9._-]}, not starting with a dot) so that a crafted archive
 * cannot write outside the target directory.
 */
public final class DirectoryTar {
    static final int BLOCK = 512;
    /** Tar readers expect the archive to fill whole 10 KiB records. */
    static final int RECORD = 20 * BLOCK;
    /** Largest size the 11 octal digits of a ustar header hold. */
    static final long USTAR_MAX_SIZE = 077777777777L;
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");

    private DirectoryTar() {}

    /**
     * The files of {@code directory} (sorted by name) as one tar stream, opened lazily one after another. The caller
     * closes the stream; files must not change while it is read.
     *
     * @throws IOException when the directory holds anything but regular files with plain names
     */
    public static InputStream stream(Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.sorted().toList();
        }
        List<InputStream> parts = new ArrayList<>();
        long total = 0;
        long mtime = System.currentTimeMillis() / 1000;
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !PLAIN_NAME.matcher(name).matches()) {
                throw new BackupException("the dump directory holds " + name + ", which is not a plain regular file");
            }
            long size = Files.size(file);
            if (size > USTAR_MAX_SIZE) {
                byte[] pax = paxRecord("size", Long.toString(size));
                byte[] paxHeader = header("PaxHeaders/" + name, pax.length, mtime, 'x');
                parts.add(new ByteArrayInputStream(paxHeader));
                parts.add(new ByteArrayInputStream(pad(pax)));
                total += paxHeader.length + pad(pax).length;
            }
            byte[] header = header(name, Math.min(size, USTAR_MAX_SIZE), mtime, '0');
            parts.add(new ByteArrayInputStream(header));
            parts.add(new LazyFile(file, size));
            int padding = padding(size);
            parts.add(new ByteArrayInputStream(new byte[padding]));
            total += header.length + size + padding;
        }
        total += 2 * BLOCK;
        long end = 2 * BLOCK + (RECORD - total % RECORD) % RECORD;
        parts.add(new ByteArrayInputStream(new byte[(int) end]));
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    /**
     * Extracts a tar stream written by {@link #stream} into an existing, empty directory, then reads the input to its
     * end.
     *
     * @return the names extracted, in archive order
     * @throws BackupException when the archive is damaged, cut off, or holds anything but plain regular files
     */
    public static List<String> extract(InputStream in, Path directory) throws IOException {
        List<String> names = new ArrayList<>();
        byte[] block = new byte[BLOCK];
        Long paxSize = null;
        while (true) {
            if (!readBlock(in, block)) {
                throw new BackupException("the tar archive ends without its end marker: it was cut off");
            }
            if (isZero(block)) {
                break;
            }
            checkChecksum(block);
            char type = (char) (block[156] == 0 ? '0' : block[156]);
            long size = paxSize != null ? paxSize : parseOctal(block, 124, 12);
            String name = string(block, 0, 100);
            if (type == 'x') {
                paxSize = parsePaxSize(readExactly(in, Math.toIntExact(Math.min(size, 1 << 20))));
                skip(in, padding(size));
                continue;
            }
            paxSize = null;
            if (type != '0' || !PLAIN_NAME.matcher(name).matches() || names.contains(name)) {
                throw new BackupException("the tar archive holds an entry '" + name.replaceAll("\\p{Cntrl}", "?")
                        + "' of type " + type + ", which a PostgreSQL directory dump does not have");
            }
            Path target = directory.resolve(name);
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                copy(in, out, size);
            }
            skip(in, padding(size));
            names.add(name);
        }
        in.transferTo(OutputStream.nullOutputStream());
        return names;
    }

    private static byte[] header(String name, long size, long mtime, char type) {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name);
        put(h, 100, 8, octal(0600, 7));
        put(h, 108, 8, octal(0, 7));
        put(h, 116, 8, octal(0, 7));
        put(h, 124, 12, octal(size, 11));
        put(h, 136, 12, octal(mtime, 11));
        h[156] = (byte) type;
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        put(h, 148, 8, octal(checksum(h), 6) + "\0 ");
        return h;
    }

    /** A pax record {@code "<len> key=value\n"} whose length counts its own digits. */
    static byte[] paxRecord(String key, String value) {
        int body = key.length() + value.length() + 3; // ' ', '=', '\n'
        int len = body + Integer.toString(body).length();
        if (Integer.toString(len).length() != Integer.toString(body).length()) {
            len++;
        }
        return (len + " " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static Long parsePaxSize(byte[] records) throws BackupException {
        String text = new String(records, StandardCharsets.UTF_8);
        Long size = null;
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith("size=", space + 1)) {
                try {
                    size = Long.parseLong(line.substring(space + 6).trim());
                } catch (NumberFormatException e) {
                    throw new BackupException("the tar archive holds a damaged pax size record");
                }
            }
        }
        return size;
    }

    private static void checkChecksum(byte[] block) throws BackupException {
        long recorded = parseOctal(block, 148, 8);
        byte[] copy = block.clone();
        for (int i = 148; i < 156; i++) {
            copy[i] = ' ';
        }
        if (recorded != checksum(copy)) {
            throw new BackupException("the tar archive has a damaged header (checksum mismatch)");
        }
    }

    private static long checksum(byte[] h) {
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        return sum;
    }

    private static long parseOctal(byte[] b, int off, int len) throws BackupException {
        String s = string(b, off, len).trim();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new BackupException("the tar archive has a damaged header (bad number)");
        }
    }

    private static String octal(long value, int digits) {
        String s = Long.toOctalString(value);
        return "0".repeat(Math.max(0, digits - s.length())) + s;
    }

    private static void put(byte[] h, int off, int len, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, h, off, Math.min(len, bytes.length));
    }

    private static String string(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }

    private static int padding(long size) {
        return (int) ((BLOCK - size % BLOCK) % BLOCK);
    }

    private static byte[] pad(byte[] data) {
        return java.util.Arrays.copyOf(data, data.length + padding(data.length));
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new BackupException("the tar archive was cut off inside a header");
        }
        return true;
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new BackupException("the tar archive was cut off inside an entry");
        }
        return b;
    }

    private static void skip(InputStream in, long n) throws IOException {
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw new BackupException("the tar archive was cut off inside an entry");
        }
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buffer = new byte[256 * 1024];
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new BackupException("the tar archive was cut off inside an entry");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    /** A file opened at its first read, so that only one file of the directory is open at a time. */
    private static final class LazyFile extends InputStream {
        private final Path file;
        private final long size;
        private InputStream in;
        private long read;

        LazyFile(Path file, long size) {
            this.file = file;
            this.size = size;
        }

        private InputStream in() throws IOException {
            if (in == null) {
                in = Files.newInputStream(file);
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (read >= size) {
                return -1;
            }
            int n = in().read(b, off, (int) Math.min(len, size - read));
            if (n < 0) {
                throw new BackupException(file.getFileName() + " shrank while it was archived");
            }
            read += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }
}
