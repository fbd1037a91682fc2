package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.CheckResult;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scan a repository for what does not belong: data without a manifest, manifests whose data is"
                + " missing or of the wrong size, unreadable manifests, unfinished deletions, stale prune leases,"
                + " temp files of interrupted writes, unknown objects.",
            "--repair removes only what is provably garbage (older than --grace-hours), never a complete backup.",
            "Exit code 1 when anything but backups in progress was found (after repair: anything left).", ""},
        footer = {"", "Examples:",
            "  dbbackup check --repo file:///var/backups/db",
            "  dbbackup check --repo file:///var/backups/db --repair --grace-hours 48"})
final class CheckCommand extends BaseCommand {
    @Mixin
    RepositoryOptions repository;

    @Option(names = "--set", paramLabel = "NAME", order = 3, description = "Only this set.")
    String set;

    @Option(names = "--repair", order = 4, description = "Remove provable garbage.")
    boolean repair;

    @Option(names = "--grace-hours", paramLabel = "N", order = 5, defaultValue = "24",
            description = "Leftovers younger than this may belong to a backup still running (default ${DEFAULT-VALUE}).")
    long graceHours;

    @Override
    int run() throws Exception {
        checkSet(set);
        if (graceHours < 0) {
            throw new UsageException("--grace-hours must not be negative, got " + graceHours);
        }
        RepositorySpec repo = repository.resolve(config(), env());
        CheckResult result = engine(null).check(repo, set, repair, Duration.ofHours(graceHours));
        PrintWriter out = out();
        if (json()) {
            out.println(Output.json(result.toMap()));
        } else {
            out.println(result.completeBackups() + " complete backup(s); " + result.findings().size() + " finding(s)");
            for (CheckResult.Finding f : result.findings()) {
                out.printf("  %-20s %s: %s%s%n", f.kind(), f.where(), f.detail(), f.repairable() && !repair
                        ? " (--repair removes it)" : "");
            }
            result.repaired().forEach(r -> out.println("  repaired: removed " + r));
        }
        boolean leftOver = result.findings().stream().anyMatch(f -> f.kind() != CheckResult.Kind.IN_PROGRESS
                && !result.repaired().contains(f.where()));
        return leftOver ? Main.FAILED : Main.OK;
    }
}
