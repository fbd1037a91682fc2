package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.BackupEngine;
import io.jenkins.plugins.dbbackup.engine.PruneRequest;
import io.jenkins.plugins.dbbackup.engine.PruneResult;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionPolicy;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Apply a retention policy to one set. Plans only (a dry run) unless --apply.",
            "Never removes the newest backup, backups in progress, or anything when the newest backup has no OK",
            "verification (see --no-require-verified). Exit code 3 when another prune holds the set's lease."},
        footer = {"", "Example:",
            "  dbbackup prune --repo file:///var/backups/db --set orders-db \\",
            "      --keep-daily 7 --keep-weekly 4 --keep-monthly 12 --json          # the plan",
            "  dbbackup prune ... --apply                                          # and delete"})
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--repo", required = true, paramLabel = "URI", description = "Repository.")
    String repo;

    @Option(names = "--set", required = true, paramLabel = "NAME", description = "The set to prune.")
    String set;

    @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest backups.")
    String keepLast;

    @Option(names = "--keep-hourly", paramLabel = "N", description = "Keep the newest backup of each of the last N hours that have one.")
    String keepHourly;

    @Option(names = "--keep-daily", paramLabel = "N", description = "... of each of the last N days.")
    String keepDaily;

    @Option(names = "--keep-weekly", paramLabel = "N", description = "... of each of the last N ISO weeks.")
    String keepWeekly;

    @Option(names = "--keep-monthly", paramLabel = "N", description = "... of each of the last N months.")
    String keepMonthly;

    @Option(names = "--keep-yearly", paramLabel = "N", description = "... of each of the last N years.")
    String keepYearly;

    @Option(names = "--keep-within", paramLabel = "DURATION",
            description = "Keep every backup newer than this, e.g. 2d, 6w, 1y6m (units y m w d h).")
    String keepWithin;

    @Option(names = "--min-keep-verified", paramLabel = "N", description = "Always keep the N newest verified backups.")
    String minKeepVerified;

    @Option(names = "--zone", paramLabel = "ZONE", description = "Time zone of the calendar buckets (default UTC).")
    String zone;

    @Option(names = "--no-require-verified",
            description = "Prune even when the newest backup has no OK verification.")
    boolean noRequireVerified;

    @Option(names = "--no-keep-until-verified",
            description = "Do not hold backups older than a failed verification until a newer one verifies.")
    boolean noKeepUntilVerified;

    @Option(names = "--allow-empty", description = "Accept a policy that keeps only the newest backup.")
    boolean allowEmpty;

    @Option(names = "--apply", description = "Delete what the plan removes (default: dry run).")
    boolean apply;

    @Option(names = "--json", description = "Print the plan and what was done as JSON.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines on stderr.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        put(options, "--keep-last", keepLast);
        put(options, "--keep-hourly", keepHourly);
        put(options, "--keep-daily", keepDaily);
        put(options, "--keep-weekly", keepWeekly);
        put(options, "--keep-monthly", keepMonthly);
        put(options, "--keep-yearly", keepYearly);
        put(options, "--keep-within", keepWithin);
        put(options, "--min-keep-verified", minKeepVerified);
        put(options, "--zone", zone);
        if (noRequireVerified) {
            options.put("--require-verified-newest", "false");
        }
        if (noKeepUntilVerified) {
            options.put("--keep-until-verified", "false");
        }
        if (allowEmpty) {
            options.put("--allow-empty", "true");
        }
        RetentionPolicy policy = RetentionPolicy.parse(options);
        PruneResult result = new BackupEngine(Output.progress(spec.commandLine().getErr(), quiet || json))
                .prune(new PruneRequest(RepositorySpec.of(repo), set, policy, !apply, null, null));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Output.json(result.toMap()));
        } else {
            out.println("set " + result.set() + ": " + result.policy() + (result.dryRun() ? " (dry run)" : ""));
            if (result.refusal() != null) {
                out.println(result.refusal());
            }
            for (PruneResult.Decision d : result.decisions()) {
                out.printf("  %-6s %s  %s%n", d.keep() ? "keep" : "remove", d.id(), String.join(", ", d.reasons()));
            }
            if (result.dryRun()) {
                out.println(result.toRemoveCount() + " to remove; run again with --apply to delete them");
            } else {
                out.println(result.deleted().size() + " removed" + (result.keptByLock().isEmpty() ? ""
                        : ", " + result.keptByLock().size() + " kept by lock"));
            }
        }
        return Main.OK;
    }

    private static void put(Map<String, String> options, String name, String value) {
        if (value != null) {
            options.put(name, value);
        }
    }
}
