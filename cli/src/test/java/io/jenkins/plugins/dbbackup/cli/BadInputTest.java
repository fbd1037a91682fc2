package io.jenkins.plugins.dbbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Issue 10, bad input: every option of every {@code dbbackup} command, given a wrong value, answers with exit code 2,
 * one error line that names the option (and the usual "Try ... --help" line), no stack trace, nothing on stdout and
 * nothing written into the repository. {@link #everyOptionHasABadInputCase()} lists the options by reflection, so a
 * new option cannot be added without a row in {@link #cases()}: adding one is one line there.
 *
 * <p>The rows are written to {@code target/reliability/bad-input.md}, which docs/reliability.md summarises.
 */
class BadInputTest {
    /** A value for a boolean flag that is no boolean: picocli must name the flag. */
    private static final String NOT_A_BOOLEAN = "=maybe";

    /** Otherwise valid command lines, so each row has exactly one wrong value (port 1: nothing listens there). */
    private static final Map<String, Map<String, String>> BASE = Map.of(
            "backup", args("--repo", "{repo}", "--url", "postgresql://u@127.0.0.1:1/d", "--set", "s"),
            "list", args("--repo", "{repo}"),
            "show", args("--repo", "{repo}", "--set", "s"),
            "verify", args("--repo", "{repo}", "--set", "s"),
            "restore", args("--repo", "{repo}", "--set", "s", "--url", "postgresql://u@127.0.0.1:1/d"),
            "prune", args("--repo", "{repo}", "--set", "s", "--keep-last", "1"),
            "check", args("--repo", "{repo}"));

    /** Options every command has: checked on every command. */
    private static final List<String> EVERY_COMMAND = List.of("backup", "list", "show", "verify", "restore", "prune",
            "check");

    /** A wrong value for one option; {@code extra} completes the command line where the wrong value needs context. */
    record Case(String command, String option, String value, Map<String, String> extra) {
        @Override
        public String toString() {
            return command + " " + option + (value.startsWith("=") ? value : " '" + value + "'")
                    + (extra.isEmpty() ? "" : " with " + extra);
        }
    }

    private static final Queue<String[]> ROWS = new ConcurrentLinkedQueue<>();

    /** The command line's model, read-only here: for the options' names and arities. */
    private static final CommandLine SPECS = Main.commandLine(new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()), Map.of(), false);

    @TempDir
    static Path inputs;

    @TempDir
    Path dir;

    @BeforeAll
    static void inputFiles() throws IOException {
        Files.writeString(inputs.resolve("empty-first-line"), "\nsecond line\n");
        Files.writeString(inputs.resolve("not-a-key.asc"), "this is not an OpenPGP key\n");
        Files.createFile(inputs.resolve("empty"));
        Files.writeString(inputs.resolve("broken.yaml"), "databases: [ {name: a\n");
        Files.writeString(inputs.resolve("config.yaml"), "repositories:\n  - name: local\n    uri: /tmp/x\n");
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        for (String cmd : EVERY_COMMAND) {
            c.add(bad(cmd, "--config", "{inputs}/does-not-exist.yaml"));
            c.add(bad(cmd, "--config", "{inputs}/broken.yaml"));
            c.add(bad(cmd, "--config", ""));
            c.add(bad(cmd, "--json", NOT_A_BOOLEAN));
            c.add(bad(cmd, "--quiet", NOT_A_BOOLEAN));
            c.add(bad(cmd, "--repo", ""));
            c.add(bad(cmd, "--repo", "relative/path"));
            c.add(bad(cmd, "--repo", "ftp://host/backups"));
            c.add(bad(cmd, "--repo", "s3://"));
            c.add(bad(cmd, "--repo-name", "offsite", "--repo", null));
            c.add(bad(cmd, "--repo-name", "offsite", "--repo", null, "--config", "{inputs}/config.yaml"));
            c.add(bad(cmd, "--s3-region", "eu central 1", "--repo", "s3://bucket/prefix"));
            c.add(bad(cmd, "--s3-region", "eu-central-1"));
            c.add(bad(cmd, "--s3-endpoint", "minio:9000", "--repo", "s3://bucket/prefix"));
            c.add(bad(cmd, "--s3-endpoint", "", "--repo", "s3://bucket/prefix"));
            c.add(bad(cmd, "--s3-path-style", NOT_A_BOOLEAN, "--repo", "s3://bucket/prefix"));
            c.add(bad(cmd, "--s3-path-style", "", "--repo", "{repo}"));
            c.add(bad(cmd, "--s3-storage-class", "standard ia", "--repo", "s3://bucket/prefix"));
            c.add(bad(cmd, "--s3-sse", "des", "--repo", "s3://bucket/prefix"));
            c.add(bad(cmd, "--s3-kms-key-id", "k1", "--repo", "s3://bucket/prefix"));
            c.add(bad(cmd, "--s3-object-lock-mode", "forever", "--repo", "s3://bucket/prefix"));
            c.add(bad(cmd, "--s3-object-lock-days", "-1", "--repo", "s3://bucket/prefix",
                    "--s3-object-lock-mode", "GOVERNANCE"));
            c.add(bad(cmd, "--s3-object-lock-days", "ten", "--repo", "s3://bucket/prefix"));
            c.add(bad(cmd, "--tier", "fortnightly: 8d", "--repo", "s3://bucket/prefix"));
            c.add(bad(cmd, "--tier", "monthly: 400d", "--repo", "s3://bucket/prefix"));
            c.add(bad(cmd, "--s3-part-size-mib", "1", "--repo", "s3://bucket/prefix"));
            c.add(bad(cmd, "--s3-part-size-mib", "-16", "--repo", "s3://bucket/prefix"));
        }
        for (String cmd : List.of("backup", "list", "show", "verify", "restore", "prune", "check")) {
            c.add(bad(cmd, "--set", "../../etc"));
            c.add(bad(cmd, "--set", ""));
            c.add(bad(cmd, "--set", "a/b"));
        }
        for (String cmd : List.of("show", "verify", "restore")) {
            c.add(bad(cmd, "--id", "yesterday"));
            c.add(bad(cmd, "--id", "../../etc"));
        }
        // the database connection: backup's source, verify's scratch server, restore's target
        for (String cmd : List.of("backup", "verify", "restore")) {
            Map<String, String> more = cmd.equals("verify")
                    ? args("--level", "restore", "--url", "postgresql://u@127.0.0.1:1") : Map.of();
            c.add(bad(cmd, "--database-name", "orders", more, "--url", null));
            c.add(bad(cmd, "--url", "", more));
            c.add(bad(cmd, "--url", "db1.example:5432/orders", more));
            c.add(bad(cmd, "--url", "oracle://u@db1/orders", more));
            c.add(bad(cmd, "--url", "postgresql://u@/orders", more));
            c.add(bad(cmd, "--url", "postgresql://u@db1/a/b", more));
            c.add(bad(cmd, "--url", "postgresql://u@db1:99999/orders", more));
            c.add(bad(cmd, "--type", "nosql", more));
            c.add(bad(cmd, "--type", "", more));
            c.add(bad(cmd, "--host", "", more));
            c.add(bad(cmd, "--host", "db 1", more));
            c.add(bad(cmd, "--port", "abc", more));
            c.add(bad(cmd, "--port", "-1", more));
            c.add(bad(cmd, "--port", "70000", more));
            c.add(bad(cmd, "--database", "", more));
            c.add(bad(cmd, "--user", "", more));
            c.add(bad(cmd, "--password-file", "{inputs}/does-not-exist", more));
            c.add(bad(cmd, "--password-file", "{inputs}/empty-first-line", more));
            c.add(bad(cmd, "--password-file", "{inputs}", more));
            c.add(bad(cmd, "--password", "s3cret", more));
            c.add(bad(cmd, "--tool-dir", "{inputs}/no-such-dir", more));
        }
        // backup
        c.add(bad("backup", "--compression", "lz4"));
        c.add(bad("backup", "--compression", ""));
        c.add(bad("backup", "--compression-level", "40"));
        c.add(bad("backup", "--compression-level", "-1"));
        c.add(bad("backup", "--compression-level", "12", "--compression", "gzip"));
        c.add(bad("backup", "--compression-level", "high"));
        c.add(bad("backup", "--pg-format", "tar"));
        c.add(bad("backup", "--pg-format", ""));
        c.add(bad("backup", "--pg-format", "directory", "--url", "mariadb://root@127.0.0.1:1/shop"));
        c.add(bad("backup", "--jobs", "0", "--pg-format", "directory"));
        c.add(bad("backup", "--jobs", "65", "--pg-format", "directory"));
        c.add(bad("backup", "--jobs", "many", "--pg-format", "directory"));
        c.add(bad("backup", "--jobs", "2"));
        c.add(bad("backup", "--compression-workers", "-1"));
        c.add(bad("backup", "--compression-workers", "1000"));
        c.add(bad("backup", "--encrypt-to", "{inputs}/does-not-exist.asc"));
        c.add(bad("backup", "--encrypt-to", "{inputs}/empty"));
        c.add(bad("backup", "--encrypt-to", "{inputs}/not-a-key.asc"));
        c.add(bad("backup", "--encrypt-to", ""));
        c.add(bad("backup", "--passphrase-file", "{inputs}/does-not-exist"));
        c.add(bad("backup", "--passphrase-file", "{inputs}/empty-first-line"));
        c.add(bad("backup", "--key-name", "ops"));
        c.add(bad("backup", "--no-encryption", "", "--passphrase-file", "{inputs}/empty-first-line"));
        c.add(bad("backup", "--no-encryption", NOT_A_BOOLEAN));
        c.add(bad("backup", "--passphrase", "s3cret"));
        // verify
        c.add(bad("verify", "--level", "deep"));
        c.add(bad("verify", "--level", ""));
        c.add(bad("verify", "--level", "restore")); // without a scratch server
        c.add(bad("verify", "--no-record", NOT_A_BOOLEAN));
        // decryption keys: verify (structure) and restore
        for (String cmd : List.of("verify", "restore")) {
            Map<String, String> more = cmd.equals("verify") ? args("--level", "structure") : Map.of();
            c.add(bad(cmd, "--key-file", "{inputs}/does-not-exist.asc", more));
            c.add(bad(cmd, "--key-file", "{inputs}/empty", more));
            c.add(bad(cmd, "--key-file", "{inputs}/not-a-key.asc", more));
            c.add(bad(cmd, "--key-passphrase-file", "{inputs}/empty-first-line", more));
            c.add(bad(cmd, "--key-passphrase-file", "{inputs}/does-not-exist", more));
            c.add(bad(cmd, "--passphrase-file", "{inputs}/does-not-exist", more));
            c.add(bad(cmd, "--key-name", "ops", more));
            c.add(bad(cmd, "--passphrase", "s3cret", more));
            c.add(bad(cmd, "--key-passphrase", "s3cret", more));
        }
        // restore
        c.add(bad("restore", "--at", "yesterday"));
        c.add(bad("restore", "--at", ""));
        c.add(bad("restore", "--at", "2026-11-20T14:30:00Z", "--id", "20261122T020000Z-3f9a1c2b"));
        c.add(bad("restore", "--target-database", ""));
        c.add(bad("restore", "--create", "", "--clean", ""));
        c.add(bad("restore", "--create", NOT_A_BOOLEAN));
        c.add(bad("restore", "--clean", NOT_A_BOOLEAN));
        c.add(bad("restore", "--no-safety-backup", NOT_A_BOOLEAN));
        c.add(bad("restore", "--safety-encrypt-to", "{inputs}/does-not-exist.asc"));
        c.add(bad("restore", "--safety-encrypt-to", "{inputs}/empty"));
        c.add(bad("restore", "--safety-encrypt-to", "{inputs}/not-a-key.asc"));
        c.add(bad("restore", "--safety-encrypt-to", ""));
        c.add(bad("restore", "--safety-encrypt-to", "{inputs}/not-a-key.asc", "--no-safety-backup", ""));
        c.add(bad("restore", "--jobs", "0"));
        c.add(bad("restore", "--jobs", "-4"));
        c.add(bad("restore", "--jobs", "1000"));
        c.add(bad("restore", "--jobs", "many"));
        c.add(bad("restore", "--no-owner", NOT_A_BOOLEAN));
        c.add(bad("restore", "--no-privileges", NOT_A_BOOLEAN));
        c.add(bad("restore", "--no-owner", "", "--url", "mariadb://root@127.0.0.1:1/shop"));
        c.add(bad("restore", "--schema", ""));
        c.add(bad("restore", "--schema", "sales", "--url", "mariadb://root@127.0.0.1:1/shop"));
        c.add(bad("restore", "--table", ""));
        c.add(bad("restore", "--table", "orders", "--url", "redis://127.0.0.1:1"));
        c.add(bad("restore", "--redis-restore", "tape", "--url", "redis://127.0.0.1:1"));
        c.add(bad("restore", "--redis-restore", "file"));
        c.add(bad("restore", "--redis-data-dir", "{inputs}/no-such-dir", "--url", "redis://127.0.0.1:1"));
        c.add(bad("restore", "--redis-data-dir", "relative/dir", "--url", "redis://127.0.0.1:1",
                "--redis-restore", "commands"));
        // prune
        for (String keep : List.of("--keep-last", "--keep-hourly", "--keep-daily", "--keep-weekly", "--keep-monthly",
                "--keep-yearly", "--min-keep-verified")) {
            c.add(bad("prune", keep, "-1"));
            c.add(bad("prune", keep, "many"));
            c.add(bad("prune", keep, ""));
        }
        c.add(bad("prune", "--keep-within", "2 days"));
        c.add(bad("prune", "--keep-within", "-2d"));
        c.add(bad("prune", "--keep-within", ""));
        c.add(bad("prune", "--zone", "Mars/Olympus"));
        c.add(bad("prune", "--zone", ""));
        c.add(bad("prune", "--no-require-verified", NOT_A_BOOLEAN));
        c.add(bad("prune", "--no-keep-until-verified", NOT_A_BOOLEAN));
        c.add(bad("prune", "--allow-empty", NOT_A_BOOLEAN));
        c.add(bad("prune", "--apply", NOT_A_BOOLEAN));
        c.add(bad("prune", "--lease-minutes", "0"));
        c.add(bad("prune", "--lease-minutes", "-5"));
        c.add(bad("prune", "--lease-minutes", "hour"));
        // check
        c.add(bad("check", "--repair", NOT_A_BOOLEAN));
        c.add(bad("check", "--grace-hours", "-1"));
        c.add(bad("check", "--grace-hours", "a day"));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aWrongValueAnswersWithOneLineNamingTheOption(Case bad) throws IOException {
        Path repo = Files.createDirectory(dir.resolve("repo"));
        List<String> line = commandLine(bad, repo);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(line.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err), Map.of(), false);
        List<String> errLines = err.toString().lines().toList();
        String first = errLines.isEmpty() ? "" : errLines.get(0);
        ROWS.add(new String[] {bad.command(), bad.option(), describeValue(bad), String.valueOf(code),
            first.replace(repo.toString(), "<repo>").replace(inputs.toString(), "<dir>")});

        assertThat(code).as("exit code of %s; stderr: %s", line, err).isEqualTo(Main.USAGE);
        assertThat(out.toString()).as("stdout").isEmpty();
        assertThat(errLines).as("stderr: the error line and the --help hint").hasSize(2);
        assertThat(first).startsWith("dbbackup: ");
        assertThat(names(bad)).as("the error names the option: %s", first).anyMatch(first::contains);
        assertThat(err.toString()).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("s3cret");
        assertThat(errLines.get(1)).isEqualTo("Try 'dbbackup " + bad.command() + " --help' for usage.");
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(f -> !f.equals(dir) && !f.equals(repo)).toList())
                    .as("nothing written").isEmpty();
        }
    }

    /** Every option of every command (help and version aside) has at least one row in {@link #cases()}. */
    @Test
    void everyOptionHasABadInputCase() {
        Set<String> covered = new TreeSet<>();
        cases().forEach(c -> covered.add(c.command() + " " + c.option()));
        CommandLine cli = SPECS;
        List<String> missing = new ArrayList<>();
        int options = 0;
        for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
            for (OptionSpec option : sub.getValue().getCommandSpec().options()) {
                if (option.usageHelp() || option.versionHelp()) {
                    continue;
                }
                options++;
                boolean found = false;
                for (String name : option.names()) {
                    found |= covered.contains(sub.getKey() + " " + name);
                }
                if (!found) {
                    missing.add(sub.getKey() + " " + option.longestName());
                }
            }
        }
        assertThat(options).as("options found by reflection").isGreaterThan(100);
        assertThat(missing).as("options without a bad-input row in BadInputTest.cases(): add one line each")
                .isEmpty();
    }

    @AfterAll
    static void writeSummary() throws IOException {
        if (ROWS.isEmpty()) {
            return;
        }
        List<String[]> rows = new ArrayList<>(ROWS);
        rows.sort(Comparator.<String[], String>comparing(r -> r[0]).thenComparing(r -> r[1]));
        StringBuilder md = new StringBuilder("| command | option | wrong value | exit | answer (first line of stderr)"
                + " |\n| --- | --- | --- | --- | --- |\n");
        for (String[] r : rows) {
            md.append("| ").append(r[0]).append(" | `").append(r[1]).append("` | ").append(cell(r[2])).append(" | ")
                    .append(r[3]).append(" | ").append(cell(r[4])).append(" |\n");
        }
        long options = rows.stream().map(r -> r[0] + " " + r[1]).distinct().count();
        md.append("\n_").append(rows.size()).append(" wrong values of ").append(options)
                .append(" command options, generated by BadInputTest._\n");
        Path out = Path.of("target", "reliability");
        Files.createDirectories(out);
        Files.writeString(out.resolve("bad-input.md"), md, StandardCharsets.UTF_8);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    private static String describeValue(Case c) {
        String value = c.value().equals(NOT_A_BOOLEAN) ? "`" + c.option() + NOT_A_BOOLEAN + "`"
                : c.value().isEmpty() ? "(empty)" : "`" + c.value().replace("{inputs}", "<dir>") + "`";
        List<String> context = c.extra().entrySet().stream().filter(e -> !e.getKey().equals(c.option()))
                .map(e -> e.getKey() + (e.getValue() == null ? " left out" : e.getValue().isEmpty() ? ""
                        : " " + e.getValue()))
                .toList();
        return context.isEmpty() ? value : value + " with `" + String.join(" ", context)
                .replace("{inputs}", "<dir>").replace("{repo}", "<repo>") + "`";
    }

    /** The option's names: the error may use any of them (or the refused option's wording). */
    private static List<String> names(Case c) {
        OptionSpec option = SPECS.getSubcommands().get(c.command()).getCommandSpec().findOption(c.option());
        List<String> names = new ArrayList<>(List.of(option.names()));
        if (c.option().equals("--passphrase") || c.option().equals("--key-passphrase")) {
            names.add("passphrase argument");
        }
        return names;
    }

    private static List<String> commandLine(Case c, Path repo) {
        Map<String, String> options = new LinkedHashMap<>(BASE.get(c.command()));
        options.putAll(c.extra());
        options.remove(c.option());
        List<String> line = new ArrayList<>();
        line.add(c.command());
        options.put(c.option(), c.value());
        options.forEach((name, value) -> {
            if (value == null) {
                return;
            }
            if (value.equals(NOT_A_BOOLEAN)) {
                line.add(name + NOT_A_BOOLEAN);
            } else if (value.isEmpty() && isFlag(c.command(), name)) {
                line.add(name);
            } else {
                line.add(name);
                line.add(value.replace("{repo}", repo.toString()).replace("{inputs}", inputs.toString()));
            }
        });
        return line;
    }

    private static boolean isFlag(String command, String name) {
        OptionSpec option = SPECS.getSubcommands().get(command).getCommandSpec().findOption(name);
        return option != null && option.arity().max() == 0;
    }

    private static Case bad(String command, String option, String value, String... extra) {
        return new Case(command, option, value, args(extra));
    }

    private static Case bad(String command, String option, String value, Map<String, String> more, String... extra) {
        Map<String, String> all = new LinkedHashMap<>(more);
        all.putAll(args(extra));
        return new Case(command, option, value, all);
    }

    private static Map<String, String> args(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
