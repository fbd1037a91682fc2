package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.BackupEngine;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.VerifyRequest;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import io.jenkins.plugins.dbbackup.engine.verify.VerifyLevel;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Prove a backup good. Levels, each including the ones before:",
            "  checksum   re-read the stored object; compare size and SHA-256 with the manifest (no key needed)",
            "  structure  also decrypt, decompress and check the dump's format",
            "  restore    also restore into a scratch database on the server given by --type/--host/...,",
            "             compare row counts with the manifest, drop it; reports the recovery time",
            "The result is stored next to the backup as verify-<time>.json unless --no-record.",
            "Exit code 1 when the outcome is not OK."},
        footer = {"", "Examples:",
            "  dbbackup verify --repo file:///var/backups/db --set orders-db --level checksum",
            "  dbbackup verify --repo file:///var/backups/db --set orders-db --level restore \\",
            "      --type postgresql --host 127.0.0.1 --user postgres --password-file pw"})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--repo", required = true, paramLabel = "URI", description = "Repository: file:///absolute/path.")
    String repo;

    @Option(names = "--set", paramLabel = "NAME", description = "Backup set.")
    String set;

    @Option(names = "--id", paramLabel = "ID", description = "Backup id, or 'latest' (default).")
    String id;

    @Option(names = "--level", paramLabel = "LEVEL", defaultValue = "checksum",
            description = "checksum, structure or restore (default: ${DEFAULT-VALUE}).")
    String level;

    @Option(names = "--no-record", description = "Do not store the result next to the backup.")
    boolean noRecord;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines on stderr.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        VerifyLevel lvl = VerifyLevel.parse(level);
        DatabaseConnection scratch = null;
        if (lvl == VerifyLevel.RESTORE) {
            if (connection.type == null) {
                throw new UsageException("--level restore needs a server for the scratch database: give --type,"
                        + " --host, --port, --user and --password-file");
            }
            scratch = connection.toConnection("postgres", System.getenv());
        }
        VerifyRequest request = new VerifyRequest(RepositorySpec.of(repo), set, id, lvl, null, scratch, !noRecord);
        VerificationRecord record = new BackupEngine(Output.progress(spec.commandLine().getErr(), quiet || json))
                .verify(request);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Output.json(record.toMap()));
        } else {
            out.printf("%s %s %s: %s%n", record.set(), record.backupId(), record.level(), record.outcome());
            record.details().forEach(d -> out.println("  " + d));
            if (record.restoreMillis() > 0) {
                out.printf("  recovery time: %.1f s%n", record.restoreMillis() / 1000.0);
            }
        }
        return record.ok() ? Main.OK : Main.FAILED;
    }
}
