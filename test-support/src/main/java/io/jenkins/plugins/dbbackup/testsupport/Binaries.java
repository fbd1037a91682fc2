package io.jenkins.plugins.dbbackup.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the Debian-packaged server binaries. A missing binary is an error naming the package to
 * install: tests that need a server never skip silently.
 */
final class Binaries {
    private static final Path POSTGRES_ROOT = Path.of("/usr/lib/postgresql");

    private Binaries() {}

    /** {@code /usr/lib/postgresql/<highest installed major>/bin}. */
    static Path postgresBinDir() {
        List<Path> candidates = List.of();
        if (Files.isDirectory(POSTGRES_ROOT)) {
            try (Stream<Path> majors = Files.list(POSTGRES_ROOT)) {
                candidates = majors.filter(dir -> dir.getFileName().toString().matches("\\d+"))
                        .map(dir -> dir.resolve("bin"))
                        .filter(bin -> Files.isExecutable(bin.resolve("postgres"))
                                && Files.isExecutable(bin.resolve("initdb")))
                        .sorted(Comparator.comparingInt((Path bin) ->
                                Integer.parseInt(bin.getParent().getFileName().toString())).reversed())
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + POSTGRES_ROOT, e);
            }
        }
        if (candidates.isEmpty()) {
            throw missing("PostgreSQL server (postgres, initdb under " + POSTGRES_ROOT + "/<major>/bin)", "postgresql");
        }
        return candidates.get(0);
    }

    /** The first executable {@code name} in {@code dirs}. */
    static Path require(String description, String debianPackage, String name, Path... dirs) {
        return find(name, dirs).orElseThrow(() -> missing(description + " (" + name + " in "
                + Stream.of(dirs).map(Path::toString).toList() + ")", debianPackage));
    }

    static Optional<Path> find(String name, Path... dirs) {
        return Stream.of(dirs).map(dir -> dir.resolve(name)).filter(Files::isExecutable).findFirst();
    }

    private static ThrowawayServerException missing(String what, String debianPackage) {
        return new ThrowawayServerException(what + " not found: install the Debian package '" + debianPackage
                + "' (apt-get install -y " + debianPackage + ") to run these tests");
    }
}
