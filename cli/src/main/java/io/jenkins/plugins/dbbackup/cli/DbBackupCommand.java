package io.jenkins.plugins.dbbackup.cli;

import picocli.CommandLine.Command;

@Command(
        name = "dbbackup",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Back up, list and restore PostgreSQL, MySQL/MariaDB and Redis databases in a repository"
                + " (a directory or an S3 bucket), without Jenkins.",
        subcommands = {BackupCommand.class, ListCommand.class, VerifyCommand.class, RestoreCommand.class, PruneCommand.class},
        footer = {"", "Exit codes: 0 success, 1 the operation failed, 2 usage error, 3 another prune holds the lease.",
            "Documentation: docs/ in the project (README.md to start)."})
final class DbBackupCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a command: backup, list, verify, restore or prune");
    }
}
