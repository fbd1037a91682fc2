package io.jenkins.plugins.dbbackup.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.repository.BackupId;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.BackupRepository;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import io.jenkins.plugins.dbbackup.engine.storage.Storage;
import io.jenkins.plugins.dbbackup.engine.storage.StorageFactory;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show one backup: its manifest in human form (sizes, checksums, compression, encryption"
                + " recipients, row or key counts) and every verification recorded for it.", ""},
        footer = {"", "Examples:",
            "  dbbackup show --repo file:///var/backups/db --set orders-db --id latest",
            "  dbbackup show --repo file:///var/backups/db --set orders-db --id 20261122T020000Z-3f9a1c2b --json"})
final class ShowCommand extends BaseCommand {
    private static final ObjectMapper TREE = JsonMapper.builder().build();

    @Mixin
    RepositoryOptions repository;

    @Option(names = "--set", paramLabel = "NAME", order = 3,
            description = "Backup set (may be left out when the repository holds one set).")
    String set;

    @Option(names = "--id", paramLabel = "ID", order = 4, description = "Backup id, or 'latest' (default).")
    String id = "latest";

    @Override
    int run() throws Exception {
        RepositorySpec repo = repository.resolve(config(), env());
        checkSet(set);
        boolean latest = id == null || id.isBlank() || id.equals("latest");
        if (!latest && !BackupId.isValid(id)) {
            throw new UsageException("--id '" + id + "' is not a backup id (such as 20261122T020000Z-3f9a1c2b) or"
                    + " 'latest'");
        }
        BackupManifest manifest;
        List<VerificationRecord> verifications;
        try (Storage storage = StorageFactory.open(repo)) {
            BackupRepository access = new BackupRepository(storage);
            manifest = select(access.list(set), repo, latest);
            verifications = access.verifications(manifest.set(), manifest.id());
        }
        String location = repo.uri() + (repo.uri().endsWith("/") ? "" : "/") + manifest.set() + "/" + manifest.id()
                + "/";
        PrintWriter out = out();
        if (json()) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("location", location);
            map.put("manifest", TREE.valueToTree(manifest));
            List<Map<String, Object>> records = new ArrayList<>();
            verifications.forEach(v -> records.add(v.toMap()));
            map.put("verifications", records);
            out.println(Output.json(map));
            return Main.OK;
        }
        print(out, manifest, location, verifications);
        return Main.OK;
    }

    private BackupManifest select(List<BackupManifest> all, RepositorySpec repo, boolean latest)
            throws io.jenkins.plugins.dbbackup.engine.BackupException {
        String where = repo.uri() + (set == null ? "" : " set " + set);
        if (!latest) {
            return all.stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow(() -> new io.jenkins.plugins.dbbackup.engine.BackupException(
                    "backup " + id + " is not in " + where + ": 'dbbackup list' shows which exist"));
        }
        if (set == null && all.stream().map(BackupManifest::set).distinct().count() > 1) {
            throw new UsageException("the repository holds several sets: name one with --set");
        }
        if (all.isEmpty()) {
            throw new io.jenkins.plugins.dbbackup.engine.BackupException("no complete backup in " + where);
        }
        return all.get(all.size() - 1);
    }

    private static void print(PrintWriter out, BackupManifest m, String location, List<VerificationRecord> records) {
        out.printf("backup %s/%s%n", m.set(), m.id());
        row(out, "location", location);
        row(out, "kind", m.kind() + " (" + m.dataObject() + ")");
        if (m.source() != null) {
            row(out, "source", describe(m.source()) + (m.source().serverVersion() == null ? ""
                    : " (server " + m.source().serverVersion() + ")"));
        }
        if (m.tool() != null) {
            row(out, "tool", m.tool().name() + " " + m.tool().version());
        }
        row(out, "started", ListCommand.shortTime(m.startedAt()));
        long millis = m.finishedAtInstant().toEpochMilli() - m.startedAtInstant().toEpochMilli();
        row(out, "finished", ListCommand.shortTime(m.finishedAt()) + " (took " + Output.duration(millis) + ")");
        row(out, "dump", Output.bytes(m.original().bytes()) + " (" + m.original().bytes() + " bytes), sha256 "
                + m.original().sha256());
        row(out, "stored", Output.bytes(m.stored().bytes()) + " (" + m.stored().bytes() + " bytes), sha256 "
                + m.stored().sha256());
        String compression = m.compression() == null || "none".equals(m.compression().algorithm()) ? "none"
                : m.compression().algorithm() + " level " + m.compression().level();
        if (m.original().bytes() > 0 && m.compression() != null && !"none".equals(m.compression().algorithm())) {
            compression += String.format(Locale.ROOT, ", %.1f%% of the dump",
                    100.0 * m.stored().bytes() / m.original().bytes());
        }
        row(out, "compression", compression);
        if (m.encryption() == null) {
            row(out, "encryption", "none");
        } else {
            List<BackupManifest.RecipientInfo> recipients = m.encryption().recipients() == null ? List.of()
                    : m.encryption().recipients();
            row(out, "encryption", m.encryption().format() + ", " + recipients.size() + " public key(s)"
                    + (m.encryption().passphrase() ? " and a passphrase" : ""));
            for (BackupManifest.RecipientInfo r : recipients) {
                row(out, "", "key " + r.fingerprint() + " (subkey " + r.keyId() + ")");
            }
        }
        BackupManifest.VerificationData v = m.verification();
        if (v != null && v.tables() != null && !v.tables().isEmpty()) {
            long rows = v.tables().values().stream().mapToLong(Long::longValue).sum();
            row(out, "counts", v.tables().size() + " table(s), " + rows + " row(s)"
                    + (v.countMethod() == null ? "" : " (" + v.countMethod() + ")"));
            v.tables().forEach((table, count) -> out.printf("    %-40s %12d%n", table, count));
        }
        if (v != null && v.keysPerDatabase() != null && !v.keysPerDatabase().isEmpty()) {
            // entries are "db0" (keys) and "db0.expires" (keys of db0 with a time to live)
            long keys = 0;
            int databases = 0;
            for (var e : v.keysPerDatabase().entrySet()) {
                if (!e.getKey().contains(".")) {
                    keys += e.getValue();
                    databases++;
                }
            }
            row(out, "counts", keys + " key(s) in " + databases + " database(s)"
                    + (v.countMethod() == null ? "" : " (" + v.countMethod() + ")"));
            v.keysPerDatabase().forEach((db, count) -> out.printf("    %-40s %12d%n", db, count));
        }
        out.println();
        if (records.isEmpty()) {
            out.println("verifications: none ('dbbackup verify' proves a backup good)");
            return;
        }
        out.println("verifications (" + records.size() + ", oldest first):");
        for (VerificationRecord r : records) {
            String times = "checksum " + Output.duration(r.checksumMillis())
                    + (r.structureMillis() > 0 ? ", structure " + Output.duration(r.structureMillis()) : "")
                    + (r.restoreMillis() > 0 ? ", recovery time " + Output.duration(r.restoreMillis()) : "");
            out.printf("  %-20s  %-9s  %-17s  %s%n", ListCommand.shortTime(r.verifiedAt()), r.level(),
                    r.outcome(), times);
            if (r.details() != null && !r.ok()) {
                r.details().forEach(d -> out.println("      " + d));
            }
        }
    }

    private static void row(PrintWriter out, String label, String value) {
        out.printf("  %-12s %s%n", label, value);
    }

    /** {@code postgresql://backup@db1:5432/orders}: the manifest never holds a password, nor does this. */
    static String describe(BackupManifest.Source s) {
        if (s == null) {
            return null;
        }
        String host = s.host() != null && s.host().contains(":") ? "[" + s.host() + "]" : s.host();
        return s.type() + "://" + (s.user() == null || s.user().isEmpty() ? "" : s.user() + "@") + host + ":"
                + s.port() + (s.database() == null || s.database().isEmpty() ? "" : "/" + s.database());
    }
}
