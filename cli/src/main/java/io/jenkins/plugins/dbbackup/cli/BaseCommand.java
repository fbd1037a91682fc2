package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.BackupEngine;
import io.jenkins.plugins.dbbackup.engine.EngineOptions;
import io.jenkins.plugins.dbbackup.engine.SetName;
import io.jenkins.plugins.dbbackup.engine.repository.BackupId;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the environment, the configuration file, output and progress. */
abstract class BaseCommand implements Callable<Integer> {
    @ParentCommand
    DbBackupCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    private Progress progress;

    @Override
    public final Integer call() throws Exception {
        progress = new Progress(spec.commandLine().getErr(), parent.terminal(), common.quiet);
        try {
            return run();
        } finally {
            progress.finish();
        }
    }

    /** Runs the command; returns the exit code. Exceptions become one line on stderr (see {@link Main}). */
    abstract int run() throws Exception;

    Map<String, String> env() {
        return parent.env();
    }

    ConfigFile config() {
        return common.config(env());
    }

    boolean json() {
        return common.json;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    Progress progress() {
        return progress;
    }

    /**
     * A {@code --set} value, checked before anything runs (a set name becomes a directory or key prefix); null stays
     * null.
     *
     * @throws UsageException naming --set
     */
    static String checkSet(String set) {
        return set == null ? null : UsageException.naming("--set", () -> SetName.check(set));
    }

    /**
     * An {@code --id} value: null, {@code latest} or a backup id.
     *
     * @throws UsageException naming --id
     */
    static String checkId(String id) {
        if (id != null && !id.equals("latest") && !BackupId.isValid(id)) {
            throw new UsageException("--id '" + id + "' is not a backup id (such as 20261122T020000Z-3f9a1c2b) or"
                    + " 'latest'");
        }
        return id;
    }

    /** An engine reporting to stderr, finding native tools in {@code toolDir} first (or DBBACKUP_TOOL_DIR). */
    BackupEngine engine(Path toolDir) {
        Path dir = toolDir;
        if (dir == null && env().get("DBBACKUP_TOOL_DIR") != null && !env().get("DBBACKUP_TOOL_DIR").isBlank()) {
            dir = Path.of(env().get("DBBACKUP_TOOL_DIR"));
        }
        if (dir != null && !Files.isDirectory(dir)) {
            throw new UsageException("--tool-dir " + dir + " is not a directory");
        }
        return new BackupEngine(new EngineOptions(dir, null, true), progress, Clock.systemUTC());
    }
}
