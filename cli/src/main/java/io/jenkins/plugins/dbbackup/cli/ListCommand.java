package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.BackupEngine;
import io.jenkins.plugins.dbbackup.engine.ProgressListener;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the complete backups of a repository, oldest first.",
        footer = {"", "Example:", "  dbbackup list --repo file:///var/backups/db --set orders-db --json"})
final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--repo", required = true, paramLabel = "URI", description = "Repository: file:///absolute/path.")
    String repo;

    @Option(names = "--set", paramLabel = "NAME", description = "Only this set.")
    String set;

    @Option(names = "--json", description = "Print the manifests as a JSON array.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<BackupManifest> backups = new BackupEngine(ProgressListener.NONE).list(RepositorySpec.of(repo), set);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Output.json(backups));
            return Main.OK;
        }
        if (backups.isEmpty()) {
            out.println("no backups" + (set == null ? "" : " in set " + set));
            return Main.OK;
        }
        out.printf("%-20s %-26s %-18s %12s  %s%n", "SET", "ID", "KIND", "STORED", "STARTED");
        for (BackupManifest m : backups) {
            out.printf("%-20s %-26s %-18s %12d  %s%n", m.set(), m.id(), m.kind(), m.stored().bytes(), m.startedAt());
        }
        return Main.OK;
    }
}
