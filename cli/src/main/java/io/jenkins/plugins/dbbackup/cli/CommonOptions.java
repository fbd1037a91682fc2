package io.jenkins.plugins.dbbackup.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command has: the configuration file and the output form. */
final class CommonOptions {
    @Option(names = "--config", paramLabel = "FILE", order = 90,
            description = "YAML configuration file with named databases, repositories and keys (default:"
                    + " DBBACKUP_CONFIG if set). See docs/cli.md.")
    Path config;

    @Option(names = "--json", order = 91, description = "Print the result on stdout as JSON (shapes in docs/cli.md).")
    boolean json;

    @Option(names = {"-q", "--quiet"}, order = 92, description = "No progress lines on stderr (errors still show).")
    boolean quiet;

    private ConfigFile loaded;

    /** The configuration file, loaded once; an empty one when none is given. */
    ConfigFile config(Map<String, String> env) {
        if (loaded == null) {
            Path file = config;
            String option = "--config";
            if (file == null) {
                String fromEnv = env.get("DBBACKUP_CONFIG");
                file = fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
                option = "DBBACKUP_CONFIG";
            } else if (file.toString().isBlank()) {
                throw new UsageException("--config is empty: give the path of a YAML configuration file");
            }
            Path chosen = file;
            loaded = chosen == null ? ConfigFile.empty() : UsageException.naming(option, () -> ConfigFile.load(chosen));
        }
        return loaded;
    }
}
