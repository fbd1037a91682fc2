package io.jenkins.plugins.dbbackup.engine.source.postgres;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.process.NativeProcess;
import io.jenkins.plugins.dbbackup.engine.process.NativeTools;
import io.jenkins.plugins.dbbackup.engine.source.FormatChecker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * A dump is valid when {@code pg_restore --list} reads its table of contents: a custom-format dump from stdin, a
 * directory-format dump (stored as a tar stream) after unpacking it into a private 0700 temporary directory, which is
 * deleted afterwards.
 */
public final class PostgresFormatChecker implements FormatChecker {
    private final NativeTools tools;
    private final boolean directoryTar;
    private final Path tempDirectory;

    /** A checker of custom-format dumps. */
    public PostgresFormatChecker(NativeTools tools) {
        this.tools = tools;
        this.directoryTar = false;
        this.tempDirectory = null;
    }

    /**
     * A checker of directory-format dumps stored as tar streams.
     *
     * @param tempDirectory where to unpack; null for the JVM's temp directory
     */
    public PostgresFormatChecker(NativeTools tools, Path tempDirectory) {
        this.tools = tools;
        this.directoryTar = true;
        this.tempDirectory = tempDirectory;
    }

    @Override
    public Optional<String> check(InputStream plainDump) throws IOException, InterruptedException {
        Path pgRestore = newest("pg_restore");
        if (directoryTar) {
            return checkDirectory(pgRestore, plainDump);
        }
        try (NativeProcess process = NativeProcess.start(List.of(pgRestore.toString(), "--list"), Map.of(), true)) {
            var toc = process.collectStdout(1 << 20);
            process.feed(plainDump, true);
            int code = process.waitFor();
            if (code != 0) {
                return Optional.of("pg_restore --list rejected the dump (exit code " + code + "): "
                        + process.errorSummary());
            }
            String listing = toc.get();
            if (!listing.contains("; Archive created at") && !listing.contains("Format: CUSTOM")) {
                return Optional.of("pg_restore --list printed no table of contents");
            }
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new BackupException("cannot read the output of pg_restore --list: " + e.getCause().getMessage());
        }
    }

    private Optional<String> checkDirectory(Path pgRestore, InputStream tar) throws IOException, InterruptedException {
        Path parent = tempDirectory != null ? tempDirectory : Path.of(System.getProperty("java.io.tmpdir"));
        Path work = Files.createTempDirectory(parent, "dbbackup-pgcheck-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Path dir = Files.createDirectory(work.resolve(PostgresSource.DUMP_DIRECTORY));
            List<String> names;
            try {
                names = DirectoryTar.extract(tar, dir);
            } catch (BackupException e) {
                tar.transferTo(OutputStream.nullOutputStream());
                return Optional.of(e.getMessage());
            }
            if (!names.contains("toc.dat")) {
                return Optional.of("the tar archive holds no toc.dat: not a PostgreSQL directory dump");
            }
            try (NativeProcess process = NativeProcess.start(List.of(pgRestore.toString(), "--list", dir.toString()),
                    Map.of(), false)) {
                var toc = process.collectStdout(1 << 20);
                int code = process.waitFor();
                if (code != 0) {
                    return Optional.of("pg_restore --list rejected the dump (exit code " + code + "): "
                            + process.errorSummary());
                }
                if (!toc.get().contains("Format: DIRECTORY")) {
                    return Optional.of("pg_restore --list printed no table of contents of a directory dump");
                }
                return Optional.empty();
            } catch (ExecutionException e) {
                throw new BackupException("cannot read the output of pg_restore --list: " + e.getCause().getMessage());
            }
        } finally {
            PostgresSource.deleteTree(work);
        }
    }

    /** The newest pg_restore reads archives of every older version. */
    private Path newest(String name) throws IOException, InterruptedException {
        List<Path> candidates = tools.candidates(name);
        if (candidates.isEmpty()) {
            throw new BackupException(name + " was not found on this machine: install the PostgreSQL client tools"
                    + " (Debian/Ubuntu: postgresql-client)");
        }
        Path best = null;
        int bestMajor = -1;
        for (Path p : candidates) {
            int major = NativeTools.major(NativeTools.parseVersion(
                    NativeProcess.run(List.of(p.toString(), "--version"), Map.of(), 30)).orElse(""));
            if (major > bestMajor) {
                best = p;
                bestMajor = major;
            }
        }
        return best != null ? best : candidates.stream().min(Comparator.naturalOrder()).orElseThrow();
    }
}
