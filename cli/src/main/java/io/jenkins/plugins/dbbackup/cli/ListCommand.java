package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.BackupRepository;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import io.jenkins.plugins.dbbackup.engine.storage.Storage;
import io.jenkins.plugins.dbbackup.engine.storage.StorageFactory;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List the complete backups of a repository (or of one set), oldest first, with the outcome of"
                + " each backup's latest verification.", ""},
        footer = {"", "Examples:",
            "  dbbackup list --repo file:///var/backups/db",
            "  dbbackup list --repo s3://acme-backups/db --set orders-db --json | jq -r '.[].id'"})
final class ListCommand extends BaseCommand {
    @Mixin
    RepositoryOptions repository;

    @Option(names = "--set", paramLabel = "NAME", order = 3, description = "Only this set.")
    String set;

    @Override
    int run() throws Exception {
        RepositorySpec repo = repository.resolve(config(), env());
        checkSet(set);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> unreadable;
        try (Storage storage = StorageFactory.open(repo)) {
            BackupRepository repositoryAccess = new BackupRepository(storage);
            BackupRepository.Scan scan = repositoryAccess.scan(set);
            Map<String, VerificationRecord> verified = repositoryAccess.latestVerifications(scan);
            for (BackupManifest m : scan.complete()) {
                rows.add(summary(m, verified.get(m.id())));
            }
            unreadable = scan.unreadable();
        }
        unreadable.forEach(u -> progress().info("WARNING: " + u));
        if (repo.isLocal() && !java.nio.file.Files.isDirectory(repo.localPath())) {
            progress().info("WARNING: " + repo.localPath() + " does not exist: is the repository path right?");
        }
        PrintWriter out = out();
        if (json()) {
            out.println(Output.json(rows));
            return Main.OK;
        }
        if (rows.isEmpty()) {
            out.println("no backups in " + repo.uri() + (set == null ? "" : " set " + set));
            return Main.OK;
        }
        out.printf("%-20s %-26s %-18s %10s  %-20s  %s%n", "SET", "ID", "KIND", "STORED", "STARTED", "VERIFIED");
        for (Map<String, Object> row : rows) {
            @SuppressWarnings("unchecked")
            Map<String, Object> v = (Map<String, Object>) row.get("lastVerification");
            String verification = v == null ? "-" : v.get("outcome") + " (" + v.get("level") + ", "
                    + shortTime((String) v.get("verifiedAt")) + ")";
            out.printf("%-20s %-26s %-18s %10s  %-20s  %s%n", row.get("set"), row.get("id"), row.get("kind"),
                    Output.bytes((Long) row.get("storedBytes")), shortTime((String) row.get("startedAt")),
                    verification);
        }
        out.println(rows.size() + " backup(s)");
        return Main.OK;
    }

    /** One line of the JSON list: the manifest's essentials and the latest verification, or null. */
    static Map<String, Object> summary(BackupManifest m, VerificationRecord latest) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("set", m.set());
        row.put("id", m.id());
        row.put("kind", m.kind());
        row.put("startedAt", m.startedAt());
        row.put("finishedAt", m.finishedAt());
        row.put("source", ShowCommand.describe(m.source()));
        row.put("originalBytes", m.original().bytes());
        row.put("storedBytes", m.stored().bytes());
        row.put("storedSha256", m.stored().sha256());
        row.put("compression", m.compression() == null ? "none" : m.compression().algorithm());
        row.put("encrypted", m.encryption() != null);
        if (latest == null) {
            row.put("lastVerification", null);
        } else {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("level", latest.level());
            v.put("outcome", latest.outcome());
            v.put("verifiedAt", latest.verifiedAt());
            row.put("lastVerification", v);
        }
        return row;
    }

    /** {@code 2026-11-22 02:00:00Z} from an ISO instant, for the table. */
    static String shortTime(String iso) {
        if (iso == null) {
            return "-";
        }
        String s = iso.replace('T', ' ');
        int dot = s.indexOf('.');
        return dot > 0 && s.endsWith("Z") ? s.substring(0, dot) + "Z" : s;
    }
}
