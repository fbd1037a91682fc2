package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.BackupEngine;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.RestoreRequest;
import io.jenkins.plugins.dbbackup.engine.RestoreResult;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore a backup (latest, by id, or as of a time) into a database.",
        footer = {"", "Example: restore the latest backup of set orders-db into a new database",
            "  dbbackup restore --repo file:///var/backups/db --set orders-db --id latest \\",
            "      --type postgresql --host db2 --user postgres --password-file pw \\",
            "      --target-database orders_copy --create"})
final class RestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--repo", required = true, paramLabel = "URI", description = "Repository: file:///absolute/path.")
    String repo;

    @Option(names = "--set", paramLabel = "NAME", description = "Backup set to choose from.")
    String set;

    @Option(names = "--id", paramLabel = "ID", description = "Backup id, or 'latest' (default).")
    String id;

    @Option(names = "--at", paramLabel = "TIME",
            description = "Restore the newest backup at or before this time (ISO-8601, e.g. 2026-11-20T14:30:00Z).")
    String at;

    @Option(names = "--target-database", paramLabel = "NAME",
            description = "Database to restore into (default: --database).")
    String targetDatabase;

    @Option(names = "--create", description = "Create the target database; it must not exist.")
    boolean create;

    @Option(names = "--clean", description = "Replace the content of an existing target database.")
    boolean clean;

    @Option(names = "--no-safety-backup", description = "Do not back up an existing target before changing it.")
    boolean noSafetyBackup;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "1",
            description = "Parallel restore jobs (PostgreSQL; default ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines on stderr.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Instant atTime = null;
        if (at != null) {
            try {
                atTime = Instant.parse(at);
            } catch (DateTimeParseException e) {
                throw new UsageException("--at '" + at + "' is not an ISO-8601 instant such as 2026-11-20T14:30:00Z");
            }
        }
        String target = targetDatabase != null ? targetDatabase : connection.database;
        if (target == null && !"redis".equalsIgnoreCase(connection.type)) {
            throw new UsageException("name the database to restore into with --target-database (or --database)");
        }
        RestoreRequest request = new RestoreRequest(RepositorySpec.of(repo), set, id, atTime,
                connection.toConnection(target, System.getenv()), create, clean, !noSafetyBackup, null, jobs);
        RestoreResult result = new BackupEngine(Output.progress(spec.commandLine().getErr(), quiet || json)).restore(request);
        if (json) {
            spec.commandLine().getOut().println(Output.json(result.toMap()));
        } else {
            spec.commandLine().getOut().printf("restored %s into %s%s%n", result.backupId(), result.target(),
                    result.safetyBackupId() == null ? "" : " (safety backup " + result.safetyBackupId() + ")");
        }
        return Main.OK;
    }
}
