package io.jenkins.plugins.dbbackup.cli;

import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level command: holds what every subcommand shares (the environment, whether stderr is a terminal). */
@Command(
        name = "dbbackup",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Back up, list, verify, restore and prune PostgreSQL, MySQL/MariaDB and Redis backups in a"
                + " repository (a directory or an S3 bucket), without Jenkins.", ""},
        subcommands = {BackupCommand.class, ListCommand.class, ShowCommand.class, VerifyCommand.class,
            RestoreCommand.class, PruneCommand.class, CheckCommand.class, AutoComplete.GenerateCompletion.class},
        footer = {"", "Examples:",
            "  dbbackup backup --url postgresql://backup@db1:5432/orders --password-file pw \\",
            "      --repo file:///var/backups/db --set orders-db",
            "  dbbackup list --repo file:///var/backups/db",
            "  dbbackup verify --repo file:///var/backups/db --set orders-db --level structure",
            "  dbbackup restore --repo file:///var/backups/db --set orders-db --id latest \\",
            "      --url postgresql://postgres@db2/orders_copy --password-file pw --create",
            "  source <(dbbackup generate-completion)        # bash completion",
            "",
            "Secrets come from files (--password-file, --passphrase-file, --key-file, --key-passphrase-file)",
            "or the environment (DBBACKUP_PASSWORD, PGPASSWORD, DBBACKUP_PASSPHRASE, DBBACKUP_KEY_PASSPHRASE,",
            "AWS_*), never from arguments. Results go to stdout (--json for machines), progress and errors",
            "to stderr.",
            "",
            "Exit codes: 0 success, 1 the operation failed (or a verification found a problem),",
            "2 usage error, 3 another prune holds the set's lease.",
            "Documentation: docs/cli.md"})
final class DbBackupCommand implements Runnable {
    private final Map<String, String> env;
    private final boolean terminal;

    @Spec
    CommandSpec spec;

    DbBackupCommand(Map<String, String> env, boolean terminal) {
        this.env = Map.copyOf(env);
        this.terminal = terminal;
    }

    /** The environment variables of this run. */
    Map<String, String> env() {
        return env;
    }

    /** Whether stderr is an interactive terminal. */
    boolean terminal() {
        return terminal;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "name a command: backup, list, show, verify, restore, prune or generate-completion");
    }
}
