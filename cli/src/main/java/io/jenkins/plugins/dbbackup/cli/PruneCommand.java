package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.BackupEngine;
import io.jenkins.plugins.dbbackup.engine.PruneRequest;
import io.jenkins.plugins.dbbackup.engine.PruneResult;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionPolicy;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "prune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Apply a retention policy to one set. Plans only (a dry run) unless --apply.",
            "Never removes the newest backup, backups in progress, or anything while the newest backup has no OK",
            "verification (see --no-require-verified). Without --keep-* options the configuration file's",
            "defaults.retention applies. Exit code 3 when another prune holds the set's lease; 1 when --apply was",
            "refused (nothing removed).", ""},
        footer = {"", "Examples:",
            "  dbbackup prune --repo file:///var/backups/db --set orders-db \\",
            "      --keep-daily 7 --keep-weekly 4 --keep-monthly 12           # the plan (dry run)",
            "  dbbackup prune --repo file:///var/backups/db --set orders-db \\",
            "      --keep-daily 7 --keep-weekly 4 --keep-monthly 12 --apply   # and delete",
            "  dbbackup prune --repo s3://acme-backups/db --set orders-db --keep-daily 7 --keep-monthly 12 \\",
            "      --s3-object-lock-mode GOVERNANCE --tier 'daily: 8d' --tier 'monthly: STANDARD_IA, 400d' --apply"})
final class PruneCommand extends BaseCommand {
    @Mixin
    RepositoryOptions repository;

    @Option(names = "--set", paramLabel = "NAME", order = 3, description = "The set to prune (required).")
    String set;

    @Option(names = "--keep-last", paramLabel = "N", order = 20, description = "Keep the N newest backups.")
    String keepLast;

    @Option(names = "--keep-hourly", paramLabel = "N", order = 21,
            description = "Keep the newest backup of each of the last N hours that have one.")
    String keepHourly;

    @Option(names = "--keep-daily", paramLabel = "N", order = 22, description = "... of each of the last N days.")
    String keepDaily;

    @Option(names = "--keep-weekly", paramLabel = "N", order = 23,
            description = "... of each of the last N ISO weeks.")
    String keepWeekly;

    @Option(names = "--keep-monthly", paramLabel = "N", order = 24, description = "... of each of the last N months.")
    String keepMonthly;

    @Option(names = "--keep-yearly", paramLabel = "N", order = 25, description = "... of each of the last N years.")
    String keepYearly;

    @Option(names = "--keep-within", paramLabel = "DURATION", order = 26,
            description = "Keep every backup newer than this, e.g. 2d, 6w, 1y6m (units y m w d h).")
    String keepWithin;

    @Option(names = "--min-keep-verified", paramLabel = "N", order = 27,
            description = "Always keep the N newest verified backups.")
    String minKeepVerified;

    @Option(names = "--zone", paramLabel = "ZONE", order = 28,
            description = "Time zone of the calendar buckets, e.g. Europe/Berlin (default UTC).")
    String zone;

    @Option(names = "--no-require-verified", order = 29,
            description = "Prune even when the newest backup has no OK verification.")
    boolean noRequireVerified;

    @Option(names = "--no-keep-until-verified", order = 30,
            description = "Do not hold backups older than a failed verification until a newer one verifies.")
    boolean noKeepUntilVerified;

    @Option(names = "--allow-empty", order = 31, description = "Accept a policy that keeps only the newest backup.")
    boolean allowEmpty;

    @Option(names = "--apply", order = 40, description = "Delete what the plan removes (default: dry run).")
    boolean apply;

    @Option(names = "--lease-minutes", paramLabel = "N", order = 41,
            description = "How long this prune's lease protects it before another prune may take it over"
                    + " (default 60).")
    int leaseMinutes = 60;

    @Override
    int run() throws Exception {
        if (set == null) {
            throw new UsageException("name the set to prune with --set: retention applies to one set at a time");
        }
        checkSet(set);
        if (leaseMinutes < 1) {
            throw new UsageException("--lease-minutes must be at least 1");
        }
        ConfigFile config = config();
        RepositorySpec repo = repository.resolve(config, env());
        RetentionPolicy policy = policy(config);
        PruneResult result = new BackupEngine(io.jenkins.plugins.dbbackup.engine.EngineOptions.defaults(),
                progress(), Clock.systemUTC()).prune(new PruneRequest(repo, set, policy, !apply, null,
                        Duration.ofMinutes(leaseMinutes)));
        progress().finish();
        PrintWriter out = out();
        if (json()) {
            out.println(Output.json(result.toMap()));
        } else {
            out.println("set " + result.set() + ": " + result.policy() + (result.dryRun() ? " (dry run)" : ""));
            for (PruneResult.Decision d : result.decisions()) {
                out.printf("  %-6s %s  %s%n", d.keep() ? "keep" : "remove", d.id(), String.join(", ", d.reasons()));
                if (d.transition() != null) {
                    out.println("         tier settings " + d.transition().summary());
                    if (!d.transition().outcome().equals("applied")) {
                        d.transition().changes().forEach(c -> out.println("           " + c));
                    }
                }
            }
            if (result.refusal() != null) {
                out.println(result.refusal());
            } else if (result.dryRun()) {
                out.println(result.toRemoveCount() + " to remove; run again with --apply to delete them");
            } else {
                out.println(result.deleted().size() + " removed" + (result.keptByLock().isEmpty() ? ""
                        : ", " + result.keptByLock().size() + " kept by their retention lock"));
            }
            if (!result.finishedDeletions().isEmpty()) {
                out.println("finished " + result.finishedDeletions().size() + " interrupted deletion(s)");
            }
            result.warnings().forEach(w -> out.println("warning: " + w));
        }
        if (apply && result.refusal() != null) {
            spec.commandLine().getErr().println("dbbackup: prune of set " + set + ": " + result.refusal()
                    + (policy.requireVerifiedNewest() && result.refusal().contains("not verified")
                            ? "; verify the newest backup first (dbbackup verify), or give --no-require-verified"
                            : ""));
            return Main.FAILED;
        }
        return Main.OK;
    }

    /** The policy from --keep-* options, or else from the configuration file's defaults.retention. */
    RetentionPolicy policy(ConfigFile config) {
        Map<String, String> options = new LinkedHashMap<>();
        put(options, "--keep-last", keepLast);
        put(options, "--keep-hourly", keepHourly);
        put(options, "--keep-daily", keepDaily);
        put(options, "--keep-weekly", keepWeekly);
        put(options, "--keep-monthly", keepMonthly);
        put(options, "--keep-yearly", keepYearly);
        put(options, "--keep-within", keepWithin);
        put(options, "--min-keep-verified", minKeepVerified);
        if (options.isEmpty() && !config.defaults().retention().isEmpty()) {
            options.putAll(config.defaults().retention());
        }
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
        return RetentionPolicy.parse(options);
    }

    private static void put(Map<String, String> options, String name, String value) {
        if (value != null) {
            options.put(name, value);
        }
    }
}
