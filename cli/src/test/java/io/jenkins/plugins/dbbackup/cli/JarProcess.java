package io.jenkins.plugins.dbbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@code cli/target/dbbackup.jar} as a process, the way an operator does. */
final class JarProcess {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 180;
    /** Own threads: the common pool may have one thread, and both pipes must drain at once. */
    private static final java.util.concurrent.Executor DRAIN = r -> {
        Thread t = new Thread(r, "dbbackup-drain");
        t.setDaemon(true);
        t.start();
    };

    private JarProcess() {}

    /** What a run printed and how it ended. */
    record Result(int code, String out, String err, List<String> args) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("stdout is not JSON: " + out + "\nstderr: " + err, e);
            }
        }

        Result expect(int expected) {
            assertThat(code).as("exit code of dbbackup %s%nstdout: %s%nstderr: %s", args, out, err)
                    .isEqualTo(expected);
            assertThat(err).as("stderr of dbbackup %s", args).doesNotContain("\tat ").doesNotContain("Exception:");
            return this;
        }
    }

    static Path jar() {
        String property = System.getProperty("dbbackup.jar");
        // set by failsafe only: under surefire (the test phase, before package) the jar may be missing or stale
        org.junit.jupiter.api.Assumptions.assumeTrue(property != null,
                "process tests run in the integration-test phase (mvn verify), after the jar is built");
        Path jar = Path.of(property);
        assertThat(jar).as("run 'mvn verify' (the jar is built in package)").exists();
        return jar;
    }

    static Result run(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        // hermetic: nothing of the developer's own setup leaks in
        pb.environment().keySet().removeIf(k -> k.startsWith("DBBACKUP_") || k.startsWith("PG")
                || k.startsWith("AWS_") || k.equals("REDISCLI_AUTH"));
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("dbbackup " + List.of(args) + " did not finish in " + TIMEOUT_SECONDS
                        + " s; stderr: " + err.getNow(""));
            }
            Result result = new Result(p.exitValue(), out.join(), err.join(), List.of(args));
            // into the failsafe report (*-output.txt), to read what an operator would have seen
            System.out.printf("$ dbbackup %s%n%s[stderr]%n%s[exit %d]%n%n", String.join(" ", args), result.out(),
                    result.err(), result.code());
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, DRAIN);
    }

    /** Every file under a directory whose bytes contain {@code text}. */
    static List<Path> filesContaining(Path dir, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<Path> hits = new ArrayList<>();
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(f), needle) >= 0) {
                    hits.add(f);
                }
            }
        }
        return hits;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
