package io.jenkins.plugins.dbbackup.cli;

import static io.jenkins.plugins.dbbackup.cli.JarProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A few rows of {@link BadInputTest} through the real jar, the way an operator meets them: exit code 2, one line
 * naming the option and the --help hint on stderr, nothing on stdout, nothing written (a path traversal in a set name
 * and a password-bearing URL among them).
 */
class BadInputIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "backup --url postgresql://u@127.0.0.1:1/d --repo {repo} --set ../../etc; --set",
        "backup --url postgresql://u:Zq7-jar-s3cret@127.0.0.1:1/d --repo {repo}; --url",
        "restore --url postgresql://u@127.0.0.1:1/d --repo {repo} --set s --jobs 0; --jobs",
        "prune --repo {repo} --set s --keep-within 2days; --keep-within",
        "list --repo relative/backups; --repo"})
    void wrongValuesThroughTheJar(String line, String option) throws IOException {
        Path repo = Files.createDirectory(dir.resolve("repo"));
        JarProcess.Result r = run(Map.of(), line.replace("{repo}", repo.toString()).split(" ")).expect(Main.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).hasSize(2);
        assertThat(r.err()).startsWith("dbbackup: ").contains(option).contains("--help").doesNotContain("s3cret");
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(f -> !f.equals(dir) && !f.equals(repo)).toList()).as("nothing written").isEmpty();
        }
    }
}
