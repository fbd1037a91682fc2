package io.jenkins.plugins.dbbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script {@code cli/dbbackup}: it runs the jar with the same results and exit codes as {@code java -jar},
 * writes a class-data archive on a command's first successful run only, uses it afterwards, and can do without it.
 */
class LauncherIT {
    @TempDir
    Path dir;

    @Test
    void firstSuccessfulRunWritesTheArchiveAndLaterRunsUseIt() throws Exception {
        Path cache = dir.resolve("cache");
        String repo = Files.createDirectory(dir.resolve("repo")).toUri().toString();
        Run plain = launch(Map.of("DBBACKUP_CDS", "off"), "list", "--repo", repo, "--set", "s");
        assertThat(plain.code).isZero();
        assertThat(cache).doesNotExist();

        Run first = launch(Map.of("XDG_CACHE_HOME", cache.toString()), "list", "--repo", repo, "--set", "s");
        assertThat(first.code).isZero();
        assertThat(first.out).isEqualTo(plain.out);
        assertThat(first.err).isEqualTo(plain.err); // no JVM logging about the archive
        List<Path> archives = archives(cache);
        assertThat(archives).hasSize(1);
        assertThat(archives.get(0).getFileName().toString()).matches("dbbackup-\\d+-list\\.jsa");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.resolve("dbbackup"))))
                .isEqualTo("rwx------");
        FileTime written = Files.getLastModifiedTime(archives.get(0));

        Run second = launch(Map.of("XDG_CACHE_HOME", cache.toString()), "list", "--repo=" + repo, "--set=s");
        assertThat(second.code).isZero();
        assertThat(second.out).isEqualTo(plain.out);
        assertThat(second.err).isEqualTo(plain.err);
        assertThat(archives(cache)).containsExactlyElementsOf(archives); // same command, same archive
        assertThat(Files.getLastModifiedTime(archives.get(0))).isEqualTo(written);
    }

    @Test
    void aFailedRunKeepsItsExitCodeAndWritesNoArchive() throws Exception {
        Path cache = dir.resolve("cache");
        Run bad = launch(Map.of("XDG_CACHE_HOME", cache.toString()), "list", "--no-such-option");
        assertThat(bad.code).isEqualTo(2);
        assertThat(bad.err).contains("--no-such-option");
        assertThat(archives(cache)).isEmpty();
        try (Stream<Path> files = Files.exists(cache) ? Files.walk(cache) : Stream.empty()) {
            assertThat(files.filter(Files::isRegularFile)).as("no temporary archive left").isEmpty();
        }
    }

    @Test
    void aMissingJarIsNamed() throws Exception {
        Run run = launch(Map.of("DBBACKUP_JAR", dir.resolve("nowhere.jar").toString()), "--version");
        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).contains("cannot find dbbackup.jar").contains("DBBACKUP_JAR");
    }

    private record Run(int code, String out, String err) {}

    private static List<Path> archives(Path cache) throws IOException {
        Path d = cache.resolve("dbbackup");
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(d)) {
            return files.filter(p -> p.toString().endsWith(".jsa")).sorted().toList();
        }
    }

    private Run launch(Map<String, String> env, String... args) throws Exception {
        Path script = Path.of("dbbackup").toAbsolutePath(); // failsafe runs in the cli module's directory
        assertThat(script).as("the launcher script").isExecutable();
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("DBBACKUP_") || k.equals("XDG_CACHE_HOME"));
        pb.environment().put("DBBACKUP_JAR", JarProcess.jar().toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("HOME", dir.resolve("home").toString()); // never the developer's own cache
        pb.environment().putAll(env);
        pb.redirectOutput(dir.resolve("out.txt").toFile());
        pb.redirectError(dir.resolve("err.txt").toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not finish: " + command);
        }
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }
}
