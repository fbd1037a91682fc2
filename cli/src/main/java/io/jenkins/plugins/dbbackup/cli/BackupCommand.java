package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.BackupResult;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.codec.Compression;
import io.jenkins.plugins.dbbackup.engine.codec.CompressionSettings;
import io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings;
import io.jenkins.plugins.dbbackup.engine.source.DatabaseSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "backup", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Dump a database into a repository: dump, compress, encrypt, checksum and store in one pass;"
                + " the manifest is written last, so a failed backup never looks complete.", ""},
        footer = {"", "Examples:",
            "  dbbackup backup --type postgresql --host db1 --database orders --user backup \\",
            "      --password-file /run/secrets/pg --repo file:///var/backups/db --set orders-db",
            "  DBBACKUP_PASSWORD=... dbbackup backup --url mariadb://backup@db2:3306/shop \\",
            "      --repo s3://acme-backups/db --s3-region eu-central-1 --encrypt-to ops.pub.asc",
            "  dbbackup backup --url postgresql://backup@db1/orders --repo file:///var/backups/db \\",
            "      --pg-format directory --jobs 4",
            "  dbbackup backup --config /etc/dbbackup.yaml --database-name orders --repo-name offsite --json"})
final class BackupCommand extends BaseCommand {
    @Mixin
    RepositoryOptions repository;

    @Option(names = "--set", paramLabel = "NAME", order = 3,
            description = "Backup set (series) name; default: the configuration entry's set, else the database"
                    + " name (Redis: redis-<host>-<port>).")
    String set;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--compression", paramLabel = "ALGO", order = 20,
            description = "zstd (default), gzip or none.")
    String compression = "zstd";

    @Option(names = "--compression-level", paramLabel = "N", order = 21,
            description = "zstd 1 to 19 (default 3), gzip 1 to 9 (default 6).")
    Integer level;

    @Option(names = "--compression-workers", paramLabel = "N", order = 22,
            description = "zstd worker threads, 0 to compress on the thread that reads the dump (default: one per"
                    + " core, at most 4).")
    Integer workers;

    @Option(names = "--pg-format", paramLabel = "FORMAT", order = 23,
            description = "PostgreSQL dump format: custom (default: pg_dump -Fc streamed straight into the repository)"
                    + " or directory (pg_dump -Fd into a private temporary directory on local disk, then stored as"
                    + " one tar stream; allows --jobs).")
    String pgFormat = "custom";

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", order = 24,
            description = "Parallel pg_dump jobs with --pg-format directory (1 to 64; default 1). Each job holds"
                    + " one more connection to the server.")
    int jobs = 1;

    @Mixin
    EncryptionOptions encryption;

    @Option(names = "--tool-dir", paramLabel = "DIR", order = 80,
            description = "Look for pg_dump, mariadb-dump, ... here first (default: DBBACKUP_TOOL_DIR, then PATH).")
    Path toolDir;

    @Override
    int run() throws Exception {
        ConfigFile config = config();
        checkSet(set);
        Compression algorithm = UsageException.naming("--compression", () -> Compression.parse(compression));
        int lvl = level != null ? level : algorithm == Compression.GZIP ? 6 : algorithm == Compression.ZSTD ? 3 : 0;
        if (algorithm == Compression.ZSTD && (lvl < 1 || lvl > 19)) {
            throw new UsageException("--compression-level " + lvl + " is out of range for zstd: use 1 to 19");
        }
        if (algorithm == Compression.GZIP && (lvl < 1 || lvl > 9)) {
            throw new UsageException("--compression-level " + lvl + " is out of range for gzip: use 1 to 9");
        }
        if (workers != null && (workers < 0 || workers > 64)) {
            throw new UsageException("--compression-workers " + workers + " is out of range: use 0 to 64");
        }
        DatabaseSource.DumpOptions dump = dumpOptions();
        RepositorySpec repo = repository.resolve(config, env());
        DatabaseConnection source = connection.resolve(config, env(), null, false);
        if (dump.directory() && source.type() != DatabaseType.POSTGRESQL) {
            throw new UsageException("--pg-format directory is for PostgreSQL only: drop it for "
                    + source.type().id());
        }
        ConfigFile.DatabaseEntry entry = connection.entry(config);
        String chosenSet = set != null ? set : entry == null ? null : entry.set();
        EncryptionSettings enc = encryption.resolve(config, env());
        BackupRequest request = new BackupRequest(source, repo, chosenSet,
                new CompressionSettings(algorithm, lvl,
                        workers == null ? CompressionSettings.AUTO_WORKERS : workers), enc, dump);
        BackupResult result = engine(toolDir).backup(request);
        progress().finish();
        PrintWriter out = out();
        if (json()) {
            out.println(Output.json(result.toMap()));
        } else {
            out.printf("backed up %s into %s%n", source.describe(), result.location());
            out.printf("  set %s, id %s, %s%n", result.set(), result.id(), result.kind());
            out.printf("  %s dumped, %s stored (%s%s), in %s%n", Output.bytes(result.originalBytes()),
                    Output.bytes(result.storedBytes()), result.compression(),
                    result.encrypted() ? ", encrypted" : "", Output.duration(result.durationMillis()));
            out.printf("  sha256 %s%n", result.storedSha256());
        }
        return Main.OK;
    }

    private DatabaseSource.DumpOptions dumpOptions() throws UsageException {
        boolean directory = switch (pgFormat) {
            case "custom" -> false;
            case "directory" -> true;
            default -> throw new UsageException("--pg-format " + pgFormat + " is unknown: use custom or directory");
        };
        if (jobs < 1 || jobs > DatabaseSource.DumpOptions.MAX_JOBS) {
            throw new UsageException("--jobs " + jobs + " is out of range: use 1 to "
                    + DatabaseSource.DumpOptions.MAX_JOBS);
        }
        if (jobs > 1 && !directory) {
            throw new UsageException("--jobs " + jobs + " needs --pg-format directory (a custom-format dump runs as"
                    + " one job)");
        }
        return new DatabaseSource.DumpOptions(directory, jobs);
    }
}
