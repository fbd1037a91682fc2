package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.BackupEngine;
import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.BackupResult;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.codec.Compression;
import io.jenkins.plugins.dbbackup.engine.codec.CompressionSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Dump a database into a repository: dump, compress, checksum, store; the manifest is written"
                + " last.",
        footer = {"", "Example:",
            "  dbbackup backup --type postgresql --host db1 --database orders --user backup \\",
            "      --password-file /run/secrets/pg --repo file:///var/backups/db --set orders-db"})
final class BackupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--repo", required = true, paramLabel = "URI",
            description = "Repository: file:///absolute/path (or an absolute path).")
    String repo;

    @Option(names = "--set", paramLabel = "NAME", description = "Backup set (series) name; default: the database name.")
    String set;

    @Option(names = "--compression", paramLabel = "ALGO", defaultValue = "zstd",
            description = "zstd, gzip or none (default: ${DEFAULT-VALUE}).")
    String compression;

    @Option(names = "--compression-level", paramLabel = "N", description = "Level (zstd default 3, gzip default 6).")
    Integer level;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines on stderr.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Compression algorithm = Compression.parse(compression);
        int lvl = level != null ? level : algorithm == Compression.GZIP ? 6 : 3;
        BackupRequest request = new BackupRequest(connection.toConnection(null, System.getenv()), RepositorySpec.of(repo),
                set, new CompressionSettings(algorithm, lvl, 0), null);
        BackupEngine engine = new BackupEngine(Output.progress(spec.commandLine().getErr(), quiet || json));
        BackupResult result = engine.backup(request);
        if (json) {
            spec.commandLine().getOut().println(Output.json(result.toMap()));
        } else {
            spec.commandLine().getOut().printf("%s %s %d bytes stored, sha256 %s%n", result.set(), result.id(),
                    result.storedBytes(), result.storedSha256());
        }
        return Main.OK;
    }
}
