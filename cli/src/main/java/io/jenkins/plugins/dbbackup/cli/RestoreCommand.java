package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.RestoreRequest;
import io.jenkins.plugins.dbbackup.engine.RestoreResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Restore a backup (latest, by id, or as of a time) into a database. An existing, non-empty"
                + " target is refused unless --clean, and backed up first (set <set>-pre-restore) unless"
                + " --no-safety-backup. Row (or key) counts are compared with the backup's afterwards.", ""},
        footer = {"", "Examples:",
            "  dbbackup restore --repo file:///var/backups/db --set orders-db --id latest \\",
            "      --type postgresql --host db2 --user postgres --password-file pw \\",
            "      --target-database orders_copy --create",
            "  dbbackup restore --repo s3://acme-backups/db --set orders-db --at 2026-11-20T14:30:00Z \\",
            "      --url postgresql://postgres@db2/orders --password-file pw --clean --key-file ops.sec.asc",
            "  dbbackup restore --repo file:///var/backups/db --set orders-db --schema sales --table orders \\",
            "      --url postgresql://app@db2/orders_copy --password-file pw --create --no-owner --no-privileges"})
final class RestoreCommand extends BaseCommand {
    @Mixin
    RepositoryOptions repository;

    @Option(names = "--set", paramLabel = "NAME", order = 3,
            description = "Backup set (may be left out when the repository holds one set).")
    String set;

    @Option(names = "--id", paramLabel = "ID", order = 4, description = "Backup id, or 'latest' (default).")
    String id;

    @Option(names = "--at", paramLabel = "TIME", order = 5,
            description = "Restore the newest backup started at or before this time (ISO-8601, e.g."
                    + " 2026-11-20T14:30:00Z).")
    String at;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--target-database", paramLabel = "NAME", order = 20,
            description = "Database to restore into (default: --database, or the one in --url).")
    String targetDatabase;

    @Option(names = "--create", order = 21, description = "Create the target database; it must not exist.")
    boolean create;

    @Option(names = "--clean", order = 22, description = "Replace the content of an existing target database.")
    boolean clean;

    @Option(names = "--no-safety-backup", order = 23,
            description = "Do not back up a non-empty target before --clean changes it.")
    boolean noSafetyBackup;

    @Option(names = "--safety-encrypt-to", paramLabel = "KEYFILE", order = 23,
            description = "Encrypt the safety backup to this OpenPGP public key file instead of like the backup"
                    + " restored (its passphrase, or the public part of the --key-file); repeatable.")
    List<Path> safetyEncryptTo = new ArrayList<>();

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", order = 24,
            description = "Parallel restore jobs (PostgreSQL; default 1).")
    int jobs = 1;

    @Option(names = "--no-owner", order = 25,
            description = "PostgreSQL: do not restore ownership (pg_restore --no-owner); objects belong to the"
                    + " restoring user. For a server where the original roles do not exist.")
    boolean noOwner;

    @Option(names = "--no-privileges", order = 26,
            description = "PostgreSQL: do not restore grants (pg_restore --no-privileges).")
    boolean noPrivileges;

    @Option(names = "--schema", paramLabel = "NAME", order = 27,
            description = "PostgreSQL: restore only the objects in this schema (pg_restore --schema); repeatable."
                    + " Missing schemas are created first.")
    List<String> schemas = new ArrayList<>();

    @Option(names = "--table", paramLabel = "NAME", order = 28,
            description = "PostgreSQL: restore only this table, its definition and rows, without indexes,"
                    + " constraints or defaults (pg_restore --table); the name without its schema, in the --schema"
                    + " schemas when given; repeatable. Only the restored tables' counts are checked.")
    List<String> tables = new ArrayList<>();

    @Option(names = "--redis-restore", paramLabel = "MODE", order = 29,
            description = "Redis: commands (default: replay every key into the running server with RESTORE) or file"
                    + " (place the RDB file into --redis-data-dir; stop the server first, start it afterwards).")
    String redisRestore;

    @Option(names = "--redis-data-dir", paramLabel = "DIR", order = 30,
            description = "Redis file restore: the server's data directory (its 'dir' setting).")
    Path redisDataDir;

    @Mixin
    DecryptionOptions keys;

    @Option(names = "--tool-dir", paramLabel = "DIR", order = 80,
            description = "Look for pg_restore, mariadb, ... here first (default: DBBACKUP_TOOL_DIR, then PATH).")
    Path toolDir;

    @Override
    int run() throws Exception {
        Instant atTime = null;
        if (at != null) {
            try {
                atTime = Instant.parse(at);
            } catch (DateTimeParseException e) {
                throw new UsageException("--at '" + at + "' is not an ISO-8601 instant such as 2026-11-20T14:30:00Z");
            }
            if (id != null && !id.equals("latest")) {
                throw new UsageException("--at and --id exclude each other: give one");
            }
        }
        checkSet(set);
        checkId(id);
        if (jobs < 1 || jobs > 64) {
            throw new UsageException("--jobs " + jobs + " is out of range: use 1 to 64");
        }
        if (redisRestore != null && !redisRestore.equals("commands") && !redisRestore.equals("file")) {
            throw new UsageException("--redis-restore '" + redisRestore + "' is unknown: use commands (replay into"
                    + " the running server) or file (place dump.rdb into --redis-data-dir)");
        }
        if (redisDataDir != null && "commands".equals(redisRestore)) {
            throw new UsageException("--redis-data-dir is used by --redis-restore file only");
        }
        if (redisDataDir != null && !java.nio.file.Files.isDirectory(redisDataDir)) {
            throw new UsageException("--redis-data-dir " + redisDataDir + " is not a directory: give the Redis"
                    + " server's data directory (its 'dir' setting)");
        }
        if (create && clean) {
            throw new UsageException("--create and --clean exclude each other: --create makes a new database,"
                    + " --clean replaces the content of an existing one");
        }
        if (schemas.stream().anyMatch(String::isBlank) || tables.stream().anyMatch(String::isBlank)) {
            throw new UsageException(schemas.stream().anyMatch(String::isBlank)
                    ? "--schema needs a schema's name as stored, e.g. --schema sales"
                    : "--table needs a table's name as stored, without its schema, e.g. --table orders");
        }
        if (!safetyEncryptTo.isEmpty() && noSafetyBackup) {
            throw new UsageException("--safety-encrypt-to and --no-safety-backup exclude each other: leave one out");
        }
        List<byte[]> safetyKeys = new ArrayList<>();
        for (Path key : safetyEncryptTo) {
            safetyKeys.add(EncryptionOptions.publicKey(key, "--safety-encrypt-to"));
        }
        ConfigFile config = config();
        RepositorySpec repo = repository.resolve(config, env());
        DatabaseConnection target = connection.resolve(config, env(), targetDatabase, false);
        if ((redisRestore != null || redisDataDir != null) && target.type() != DatabaseType.REDIS) {
            throw new UsageException("--redis-restore and --redis-data-dir apply to Redis only");
        }
        if (target.type() != DatabaseType.POSTGRESQL) {
            String option = !tables.isEmpty() ? "--table" : !schemas.isEmpty() ? "--schema"
                    : noOwner ? "--no-owner" : noPrivileges ? "--no-privileges" : null;
            if (option != null) {
                throw new UsageException(option + " applies to PostgreSQL only, and this restore is into "
                        + target.type().id() + ": leave it out");
            }
        }
        if (redisDataDir != null && redisRestore == null) {
            redisRestore = "file";
        }
        RestoreRequest request = new RestoreRequest(repo, set, id, atTime, target, create, clean, !noSafetyBackup,
                keys.resolve(config, env()), jobs, redisRestore,
                redisDataDir == null ? null : redisDataDir.toAbsolutePath().toString(), noOwner, noPrivileges,
                schemas, tables, safetyKeys.isEmpty() ? null
                        : io.jenkins.plugins.dbbackup.engine.crypto.EncryptionSettings.toKeys(safetyKeys));
        RestoreResult result = engine(toolDir).restore(request);
        progress().finish();
        PrintWriter out = out();
        if (json()) {
            out.println(Output.json(result.toMap()));
        } else {
            out.printf("restored %s/%s into %s%n", result.set(), result.backupId(), result.target());
            String counts = "file".equals(redisRestore)
                    ? "counts not checked here: start the server on the placed file, then compare with dbbackup show"
                    : result.subset() != null
                    ? "counts of the " + result.countsChecked() + " restored table(s) match the backup (subset: "
                            + result.subset() + "; other tables neither restored nor compared)"
                    : "counts of " + result.countsChecked() + " table(s) or database(s) match the backup";
            out.printf("  %s restored in %s; %s%n",
                    Output.bytes(result.restoredBytes()), Output.duration(result.durationMillis()),
                    counts);
            if (result.safetyBackupId() != null) {
                out.printf("  safety backup of the previous content: set %s-pre-restore, id %s, encryption: %s%n",
                        result.set(), result.safetyBackupId(),
                        result.safetyEncryption() == null ? "not recorded" : result.safetyEncryption());
            }
        }
        return Main.OK;
    }
}
