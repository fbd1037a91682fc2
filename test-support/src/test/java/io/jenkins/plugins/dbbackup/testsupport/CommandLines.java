package io.jenkins.plugins.dbbackup.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads the command lines of all visible processes, as tests that look for leaked secrets do. */
final class CommandLines {
    private CommandLines() {}

    /** The command lines (arguments joined by spaces) of every process that contains {@code text}. */
    static List<String> containing(String text) throws IOException {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .map(CommandLines::read)
                    .filter(line -> line.contains(text))
                    .toList();
        }
    }

    private static String read(Path process) {
        try {
            return new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return ""; // the process ended meanwhile
        }
    }
}
