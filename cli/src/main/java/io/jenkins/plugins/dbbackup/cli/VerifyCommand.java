package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.VerifyRequest;
import io.jenkins.plugins.dbbackup.engine.crypto.DecryptionKeys;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import io.jenkins.plugins.dbbackup.engine.verify.VerifyLevel;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prove a backup good: re-read, decode or restore it, and record the outcome.",
            "Levels, each including the ones before:",
            "  checksum   re-read the stored object; compare size and SHA-256 with the manifest (no key needed)",
            "  structure  also decrypt, decompress and check the dump's format (pg_restore --list, ...)",
            "  restore    also restore into a scratch database on the server named by --url or --type/--host/...,",
            "             compare row (or key) counts with the manifest, drop it; reports the recovery time",
            "The result is stored next to the backup as verify-<time>.json unless --no-record.",
            "Exit code 1 when the outcome is not OK.", ""},
        footer = {"", "Examples:",
            "  dbbackup verify --repo file:///var/backups/db --set orders-db --level checksum",
            "  dbbackup verify --repo file:///var/backups/db --set orders-db --level structure --key-file ops.sec.asc",
            "  dbbackup verify --repo file:///var/backups/db --set orders-db --level restore \\",
            "      --url postgresql://postgres@127.0.0.1:5432 --password-file pw"})
final class VerifyCommand extends BaseCommand {
    @Mixin
    RepositoryOptions repository;

    @Option(names = "--set", paramLabel = "NAME", order = 3,
            description = "Backup set (may be left out when the repository holds one set).")
    String set;

    @Option(names = "--id", paramLabel = "ID", order = 4, description = "Backup id, or 'latest' (default).")
    String id;

    @Option(names = "--level", paramLabel = "LEVEL", order = 5,
            description = "checksum (default), structure or restore.")
    String level = "checksum";

    @Option(names = "--no-record", order = 6, description = "Do not store the result next to the backup.")
    boolean noRecord;

    @Mixin
    ConnectionOptions scratch;

    @Mixin
    DecryptionOptions keys;

    @Option(names = "--tool-dir", paramLabel = "DIR", order = 80,
            description = "Look for pg_restore, mariadb, ... here first (default: DBBACKUP_TOOL_DIR, then PATH).")
    Path toolDir;

    @Override
    int run() throws Exception {
        VerifyLevel lvl = UsageException.naming("--level", () -> VerifyLevel.parse(level));
        checkSet(set);
        checkId(id);
        ConfigFile config = config();
        RepositorySpec repo = repository.resolve(config, env());
        DatabaseConnection server = null;
        if (lvl == VerifyLevel.RESTORE) {
            if (!scratch.given() && config.defaults().database() == null) {
                throw new UsageException("--level restore needs a server for the scratch database: give --url or"
                        + " --type/--host/--port/--user (an account that may create and drop databases)");
            }
            server = scratch.resolve(config, env(), null, true);
        } else if (scratch.given()) {
            throw new UsageException("a database server is only used by --level restore");
        }
        DecryptionKeys decryption = lvl == VerifyLevel.CHECKSUM ? null : keys.resolve(config, env());
        VerifyRequest request = new VerifyRequest(repo, set, id, lvl, decryption, server, !noRecord);
        VerificationRecord record = engine(toolDir).verify(request);
        progress().finish();
        PrintWriter out = out();
        if (json()) {
            out.println(Output.json(record.toMap()));
        } else {
            out.printf("%s %s %s: %s%n", record.set(), record.backupId(), record.level(), record.outcome());
            record.details().forEach(d -> out.println("  " + d));
            if (record.restoreMillis() > 0) {
                out.println("  recovery time: " + Output.duration(record.restoreMillis()) + " (into "
                        + record.scratchTarget() + ")");
            }
        }
        if (!record.ok()) {
            spec.commandLine().getErr().println("dbbackup: verification of " + record.set() + "/" + record.backupId()
                    + " found " + record.outcome() + ": " + advice(record.outcome()));
            return Main.FAILED;
        }
        return Main.OK;
    }

    private static String advice(String outcome) {
        return switch (outcome) {
            case "MISSING" -> "the data object is gone; restore from another backup";
            case "SIZE_MISMATCH", "CHECKSUM_MISMATCH" ->
                "the stored bytes are damaged or replaced; do not rely on this backup, take a new one";
            case "FORMAT_INVALID" -> "the dump is incomplete or invalid; take a new backup and check the dump tool";
            case "COUNT_MISMATCH" -> "the restored data differs from the backup's counts; see the details above";
            case "KEY_UNAVAILABLE" -> "give the key that decrypts it (--key-file or --passphrase-file)";
            default -> "see the details above";
        };
    }
}
