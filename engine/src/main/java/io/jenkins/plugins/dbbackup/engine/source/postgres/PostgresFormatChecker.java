package io.jenkins.plugins.dbbackup.engine.source.postgres;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.process.NativeProcess;
import io.jenkins.plugins.dbbackup.engine.process.NativeTools;
import io.jenkins.plugins.dbbackup.engine.source.FormatChecker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/** A custom-format dump is valid when {@code pg_restore --list} reads its table of contents. */
public final class PostgresFormatChecker implements FormatChecker {
    private final NativeTools tools;

    public PostgresFormatChecker(NativeTools tools) {
        this.tools = tools;
    }

    @Override
    public Optional<String> check(InputStream plainDump) throws IOException, InterruptedException {
        Path pgRestore = newest("pg_restore");
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
