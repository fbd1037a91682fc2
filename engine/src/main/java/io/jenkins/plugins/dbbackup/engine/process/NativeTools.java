package io.jenkins.plugins.dbbackup.engine.process;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds native tools ({@code pg_dump}, {@code mariadb-dump}, ...): first in a configured directory, then on
 * {@code PATH}, then in the distributions' standard places ({@code /usr/lib/postgresql/<major>/bin}).
 */
public final class NativeTools {
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    private final Path toolDirectory;
    private final boolean searchStandardPlaces;

    /** @param toolDirectory searched first; null for none */
    public NativeTools(Path toolDirectory) {
        this(toolDirectory, true);
    }

    /**
     * @param toolDirectory searched first; null for none
     * @param searchStandardPlaces whether to search {@code PATH} and the distributions' standard places too
     */
    public NativeTools(Path toolDirectory, boolean searchStandardPlaces) {
        this.toolDirectory = toolDirectory;
        this.searchStandardPlaces = searchStandardPlaces;
    }

    /** Every executable named {@code name} in search order, without duplicates. */
    public List<Path> candidates(String name) {
        List<Path> dirs = new ArrayList<>();
        if (toolDirectory != null) {
            dirs.add(toolDirectory);
        }
        String path = System.getenv("PATH");
        if (searchStandardPlaces && path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    dirs.add(Path.of(entry));
                }
            }
        }
        if (searchStandardPlaces) {
            dirs.addAll(postgresBinDirectories());
            dirs.add(Path.of("/usr/bin"));
            dirs.add(Path.of("/usr/local/bin"));
        }
        List<Path> found = new ArrayList<>();
        for (Path dir : dirs) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                Path real;
                try {
                    real = candidate.toRealPath();
                } catch (IOException e) {
                    real = candidate;
                }
                if (found.stream().noneMatch(p -> sameFile(p, candidate))) {
                    found.add(candidate);
                }
                if (!real.equals(candidate) && found.contains(real)) {
                    found.remove(real);
                }
            }
        }
        return found;
    }

    /**
     * The first tool found under any of {@code names}.
     *
     * @throws BackupException naming what to install when none is found
     */
    public Path require(String installHint, String... names) throws BackupException {
        for (String name : names) {
            List<Path> found = candidates(name);
            if (!found.isEmpty()) {
                return found.get(0);
            }
        }
        throw new BackupException(String.join(" or ", names) + " was not found on this machine (searched "
                + (toolDirectory != null ? toolDirectory + ", " : "") + "PATH and /usr/lib/postgresql/*/bin): "
                + installHint);
    }

    /** The first match of {@code major.minor[.patch]} in a tool's version output. */
    public static Optional<String> parseVersion(String output) {
        Matcher m = VERSION.matcher(output == null ? "" : output);
        return m.find() ? Optional.of(m.group()) : Optional.empty();
    }

    /** The major version of a PostgreSQL-style version ({@code 15.18} → 15; {@code 9.6.24} → 9). */
    public static int major(String version) {
        Matcher m = VERSION.matcher(version == null ? "" : version);
        if (!m.find()) {
            m = Pattern.compile("(\\d+)").matcher(version == null ? "" : version);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }
        return Integer.parseInt(m.group(1));
    }

    private static List<Path> postgresBinDirectories() {
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(base)) {
            return dirs.filter(d -> d.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .sorted(Comparator.comparingDouble((Path d) -> Double.parseDouble(d.getFileName().toString())).reversed())
                    .map(d -> d.resolve("bin"))
                    .filter(Files::isDirectory)
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.equals(b);
        }
    }
}
