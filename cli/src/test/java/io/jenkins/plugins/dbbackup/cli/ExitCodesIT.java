package io.jenkins.plugins.dbbackup.cli;

import static io.jenkins.plugins.dbbackup.cli.JarProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every documented exit code, provoked through the real jar: 1 for a failed operation (wrong password, a
 * verification that finds a flipped byte), 2 for usage errors, 3 for a held prune lease; help on every command; and
 * a distinctive password never printed nor stored.
 */
@ExtendWith(ThrowawayServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExitCodesIT {
    /** Distinctive, so a leak is found by a plain search. */
    private static final String SECRET = "Zq7-leak-canary-4f1d";
    private static final String WRONG = "Wr0ng-canary-9c2e";
    private static final String SET = "exit-codes";

    @TempDir
    Path dir;

    private PostgresServer pg;
    private String database;

    @BeforeAll
    void setUp(PostgresServer pg) {
        this.pg = pg;
        database = "cli_exit_" + System.nanoTime();
        String role = "leak_" + System.nanoTime();
        pg.execute("postgres", "CREATE ROLE " + role + " LOGIN PASSWORD '" + SECRET + "'",
                "CREATE DATABASE " + database + " OWNER " + role);
        pg.execute(database, "SET ROLE " + role, "CREATE TABLE items (id int PRIMARY KEY)",
                "INSERT INTO items SELECT generate_series(1, 100)");
        this.role = role;
    }

    private String role;

    private String url() {
        return "postgresql://" + role + "@" + pg.host() + ":" + pg.port() + "/" + database;
    }

    private Path backup(Path repo) {
        run(Map.of("DBBACKUP_PASSWORD", SECRET), "backup", "--url", url(), "--repo", repo.toString(), "--set", SET,
                "-q").expect(Main.OK);
        return repo;
    }

    @Test
    void wrongPasswordExits1InOneLine() throws IOException {
        Path pw = dir.resolve("wrong.pw");
        Files.writeString(pw, WRONG + "\n");
        Path repo = dir.resolve("wrong-password-repo");
        JarProcess.Result r = run("backup", "--url", url(), "--password-file", pw.toString(), "--repo",
                repo.toString(), "--set", SET).expect(Main.FAILED);
        List<String> errorLines = r.err().lines().filter(l -> l.startsWith("dbbackup:")).toList();
        assertThat(errorLines).hasSize(1);
        assertThat(errorLines.get(0)).startsWith("dbbackup: error: ");
        assertThat(r.out()).isEmpty();
        assertThat(r.out() + r.err()).doesNotContain(WRONG);
        assertThat(run("list", "--repo", repo.toString(), "--json").expect(Main.OK).json()).isEmpty();
    }

    @Test
    void aFlippedByteFailsVerificationWithExit1() throws IOException {
        Path repo = backup(dir.resolve("flip-repo"));
        Path data;
        try (Stream<Path> files = Files.walk(repo)) {
            data = files.filter(f -> f.getFileName().toString().startsWith("data.")).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            long middle = f.length() / 2;
            f.seek(middle);
            int b = f.read();
            f.seek(middle);
            f.write(b ^ 0x01);
        }
        JarProcess.Result r = run("verify", "--repo", repo.toString(), "--set", SET, "--json").expect(Main.FAILED);
        JsonNode json = r.json();
        assertThat(json.get("outcome").asText()).isEqualTo("CHECKSUM_MISMATCH");
        assertThat(json.get("ok").asBoolean()).isFalse();
        assertThat(r.err()).contains("CHECKSUM_MISMATCH").contains("take a new one");

        JarProcess.Result human = run("verify", "--repo", repo.toString(), "--set", SET, "--no-record")
                .expect(Main.FAILED);
        assertThat(human.out()).contains("checksum: CHECKSUM_MISMATCH");
    }

    @Test
    void usageErrorsExit2() {
        for (List<String> args : List.of(
                List.of("backup", "--no-such-option"),
                List.of("list", "--repo", "/tmp", "--json", "--bogus=1"),
                List.of("backup", "--url", url(), "--repo", "/tmp/x", "--port", "seventy"),
                List.of("verify", "--repo", "/tmp/x", "--level", "thorough"),
                List.of("prune", "--repo", "/tmp/x", "--set", SET, "--keep-daily", "-3"),
                List.of("restore", "--repo", "/tmp/x", "--url", url(), "--at", "last tuesday"),
                List.of("frobnicate"))) {
            JarProcess.Result r = run(args.toArray(String[]::new)).expect(Main.USAGE);
            assertThat(r.err()).as("%s", args).startsWith("dbbackup: ").contains("--help");
            assertThat(r.err().lines().count()).as("%s", args).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void aHeldLeaseExits3() throws IOException {
        Path repo = backup(dir.resolve("lease-repo"));
        Instant now = Instant.now();
        Files.writeString(repo.resolve(SET).resolve("prune.lease"), "{\"holder\":\"nightly-prune@other-host\","
                + "\"token\":\"t\",\"acquiredAt\":\"" + now + "\",\"expiresAt\":\""
                + now.plus(1, ChronoUnit.HOURS) + "\"}");
        JarProcess.Result r = run("prune", "--repo", repo.toString(), "--set", SET, "--keep-last", "1",
                "--no-require-verified", "--apply").expect(Main.BUSY);
        assertThat(r.err()).contains("nightly-prune@other-host").contains("prune.lease");
        assertThat(r.err().lines().filter(l -> l.startsWith("dbbackup:")).count()).isEqualTo(1);
        // a dry run takes no lease, so it still plans
        run("prune", "--repo", repo.toString(), "--set", SET, "--keep-last", "1").expect(Main.OK);
    }

    @Test
    void pruneRefusedWithApplyExits1() {
        Path repo = backup(dir.resolve("refused-repo"));
        backup(repo);
        JarProcess.Result r = run("prune", "--repo", repo.toString(), "--set", SET, "--keep-last", "1", "--apply",
                "--json").expect(Main.FAILED);
        assertThat(r.json().get("refusal").asText()).contains("not verified");
        assertThat(r.json().get("deleted")).isEmpty();
        assertThat(r.err().lines().filter(l -> l.startsWith("dbbackup:")).toList())
                .containsExactly("dbbackup: prune of set " + SET + ": " + r.json().get("refusal").asText()
                        + "; verify the newest backup first (dbbackup verify), or give --no-require-verified");
        assertThat(run("list", "--repo", repo.toString(), "--json").expect(Main.OK).json()).hasSize(2);
    }

    @Test
    void helpOnEveryCommand() {
        for (String command : List.of("backup", "list", "show", "verify", "restore", "prune")) {
            JarProcess.Result r = run(command, "--help").expect(Main.OK);
            assertThat(r.out()).as(command).startsWith("Usage: dbbackup " + command).contains("Example")
                    .contains("--json").contains("--config");
            assertThat(r.err()).isEmpty();
        }
        assertThat(run("--help").expect(Main.OK).out()).contains("generate-completion").contains("Exit codes");
        assertThat(run("--version").expect(Main.OK).out()).startsWith("dbbackup 0.");
        assertThat(run("generate-completion").expect(Main.OK).out()).contains("complete -F");
    }

    @Test
    void aPasswordIsNeverEchoedNorStored() throws IOException {
        Path repo = dir.resolve("secret-repo");
        Map<String, String> env = Map.of("DBBACKUP_PASSWORD", SECRET);
        StringBuilder printed = new StringBuilder();
        for (JarProcess.Result r : List.of(
                run(env, "backup", "--url", url(), "--repo", repo.toString(), "--set", SET).expect(Main.OK),
                run(env, "backup", "--url", url(), "--repo", repo.toString(), "--set", SET, "--json").expect(Main.OK),
                run(env, "verify", "--repo", repo.toString(), "--set", SET, "--level", "restore", "--url",
                        "postgresql://" + pg.user() + "@" + pg.host() + ":" + pg.port(), "--password-file",
                        writePassword(pg.password()).toString(), "--json").expect(Main.OK),
                run(env, "show", "--repo", repo.toString(), "--set", SET).expect(Main.OK),
                run(env, "restore", "--repo", repo.toString(), "--set", SET, "--url", url() + "_copy", "--create")
                        .expect(Main.FAILED), // the role may not create databases: a failure, still no secret
                run("backup", "--url", url().replace("://" + role, "://" + role + ":" + SECRET), "--repo",
                        repo.toString()).expect(Main.USAGE),
                run("backup", "--url", url(), "--repo", repo.toString(), "--password", SECRET).expect(Main.USAGE))) {
            printed.append(r.out()).append(r.err());
        }
        assertThat(printed.toString()).doesNotContain(SECRET);
        assertThat(printed.toString()).contains("refused");
        assertThat(JarProcess.filesContaining(repo, SECRET)).isEmpty();
    }

    private Path writePassword(String password) throws IOException {
        Path f = Files.createTempFile(dir, "pw", "");
        Files.writeString(f, password + "\n");
        return f;
    }
}
