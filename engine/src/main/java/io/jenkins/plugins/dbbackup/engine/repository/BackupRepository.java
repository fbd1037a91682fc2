package io.jenkins.plugins.dbbackup.engine.repository;

import io.jenkins.plugins.dbbackup.engine.SetName;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectInfo;
import io.jenkins.plugins.dbbackup.engine.storage.Storage;
import io.jenkins.plugins.dbbackup.engine.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The repository layout over a {@link Storage}:
 * <pre>
 * &lt;set&gt;/&lt;id&gt;/data.&lt;ext&gt;[.zst|.gz][.pgp]
 * &lt;set&gt;/&lt;id&gt;/manifest.json        written last: no manifest, no backup
 * &lt;set&gt;/&lt;id&gt;/verify-&lt;time&gt;.json   one per verification
 * </pre>
 * Thread-safe as its storage is.
 */
public final class BackupRepository {
    public static final String MANIFEST = "manifest.json";
    /** Written before a backup's deletion starts and removed last: such a backup is never listed. */
    public static final String DELETING = "deleting";
    /** Largest manifest read; larger ones are reported as unreadable (a manifest of 100,000 tables has ~6 MB). */
    static final int MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
    /** Largest verification record read; larger ones count as absent. */
    static final int MAX_RECORD_BYTES = 1024 * 1024;
    private static final java.time.format.DateTimeFormatter VERIFY_TIME = java.time.format.DateTimeFormatter
            .ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(java.time.ZoneOffset.UTC);
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final Storage storage;

    public BackupRepository(Storage storage) {
        this.storage = storage;
    }

    public Storage storage() {
        return storage;
    }

    public String describe() {
        return storage.describe();
    }

    public static String backupPrefix(String set, String id) {
        return SetName.check(set) + "/" + BackupId.check(id) + "/";
    }

    public static String manifestKey(String set, String id) {
        return backupPrefix(set, id) + MANIFEST;
    }

    public static String dataKey(BackupManifest manifest) {
        return backupPrefix(manifest.set(), manifest.id()) + manifest.dataObject();
    }

    /** Whether anything at all exists under a backup's prefix (a complete backup or leftovers). */
    public boolean exists(String set, String id) throws IOException {
        return !storage.list(backupPrefix(set, id)).isEmpty();
    }

    /** Writes the manifest: the step that makes a backup complete. */
    public void commit(BackupManifest manifest) throws IOException {
        storage.put(manifestKey(manifest.set(), manifest.id()), ManifestCodec.write(manifest));
    }

    /** Stores a verification result next to its backup, as {@code verify-<time>-<random>.json}. */
    public String recordVerification(VerificationRecord record) throws IOException {
        String stamp = VERIFY_TIME.format(record.verifiedAtInstant());
        String key = backupPrefix(record.set(), record.backupId()) + "verify-" + stamp + "-"
                + java.util.HexFormat.of().toHexDigits((short) RANDOM.nextInt()) + ".json";
        try {
            storage.put(key, ManifestCodec.MAPPER.writeValueAsBytes(record));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return key;
    }

    /** Every readable verification record of a backup, oldest first; unreadable ones are skipped. */
    public List<VerificationRecord> verifications(String set, String id) throws IOException {
        List<VerificationRecord> records = new ArrayList<>();
        for (ObjectInfo info : storage.list(backupPrefix(set, id))) {
            String name = info.key().substring(info.key().lastIndexOf('/') + 1);
            if (name.startsWith("verify-") && name.endsWith(".json")) {
                readVerification(info.key()).ifPresent(records::add);
            }
        }
        records.sort(Comparator.comparing(VerificationRecord::verifiedAt));
        return records;
    }

    /**
     * The newest readable verification of each backup in a scan, by backup id, reading one record per backup (record
     * names sort by time).
     */
    public java.util.Map<String, VerificationRecord> latestVerifications(Scan scan) throws IOException {
        java.util.Map<String, List<String>> byId = new java.util.HashMap<>();
        for (ObjectInfo info : scan.objects()) {
            String[] parts = info.key().split("/");
            if (parts.length == 3 && parts[2].startsWith("verify-") && parts[2].endsWith(".json")) {
                byId.computeIfAbsent(parts[1], k -> new ArrayList<>()).add(info.key());
            }
        }
        List<String> ids = new ArrayList<>(byId.keySet());
        List<Optional<VerificationRecord>> newest = ParallelReads.map(ids, id -> {
            List<String> keys = byId.get(id);
            keys.sort(Comparator.reverseOrder());
            for (String key : keys) {
                Optional<VerificationRecord> record = readVerification(key);
                if (record.isPresent()) {
                    return record;
                }
            }
            return Optional.empty();
        });
        java.util.Map<String, VerificationRecord> latest = new java.util.HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            newest.get(i).ifPresent(r -> latest.put(id, r));
        }
        return latest;
    }

    private Optional<VerificationRecord> readVerification(String key) throws IOException {
        try {
            byte[] json = readAtMost(key, MAX_RECORD_BYTES);
            return json == null ? Optional.empty() : parseVerification(json);
        } catch (StorageException e) {
            if (e.kind() != StorageException.Kind.NOT_FOUND) {
                throw e;
            }
        }
        return Optional.empty();
    }

    /**
     * Reads a small object whole, or returns null when it has more than {@code max} bytes: a manifest or record is
     * a few kB, so a huge one is damage or hostile, and reading it must not fill the heap.
     */
    private byte[] readAtMost(String key, int max) throws IOException {
        try (InputStream in = storage.open(key)) {
            byte[] bytes = in.readNBytes(max + 1); // grows with the bytes that arrive, not with max
            return bytes.length > max ? null : bytes;
        }
    }

    private byte[] readManifest(String key) throws IOException {
        byte[] json = readAtMost(key, MAX_MANIFEST_BYTES);
        if (json == null) {
            throw new ManifestCodec.InvalidManifestException(storage.describe() + "/" + key + " has more than "
                    + MAX_MANIFEST_BYTES + " bytes: it is not a manifest this engine wrote");
        }
        return json;
    }

    /** A verification record, or empty when the bytes are not one this engine reads: such a record proves nothing. */
    static Optional<VerificationRecord> parseVerification(byte[] json) {
        try {
            VerificationRecord r = ManifestCodec.MAPPER.readValue(json, VerificationRecord.class);
            if (r != null && r.formatVersion() >= 1 && r.formatVersion() <= VerificationRecord.CURRENT_FORMAT
                    && r.verifiedAt() != null && r.outcome() != null) {
                r.verifiedAtInstant();
                return Optional.of(r);
            }
        } catch (IOException | java.time.format.DateTimeParseException e) {
            // an unreadable record proves nothing: treat as absent (from bytes, only Jackson throws IOException)
        }
        return Optional.empty();
    }

    /** The newest verification of a backup, if any. */
    public Optional<VerificationRecord> latestVerification(String set, String id) throws IOException {
        List<VerificationRecord> all = verifications(set, id);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The manifest of a backup, or empty when it is not complete or does not exist. */
    public Optional<BackupManifest> find(String set, String id) throws IOException {
        String key = manifestKey(set, id);
        byte[] json;
        try {
            json = readManifest(key);
        } catch (StorageException e) {
            if (e.kind() == StorageException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(ManifestCodec.read(json, storage.describe() + "/" + key));
    }

    /**
     * Complete backups, oldest first.
     *
     * @param set one set, or null for every set
     */
    public List<BackupManifest> list(String set) throws IOException {
        return scan(set).complete();
    }

    /**
     * Reads every manifest under a set (or all sets), several at once, and reports complete backups, manifests that could not be read,
     * and backups whose deletion began but did not finish.
     */
    public Scan scan(String set) throws IOException {
        String prefix = set == null ? "" : SetName.check(set) + "/";
        List<ObjectInfo> objects = storage.list(prefix);
        java.util.Set<String> deleting = new java.util.HashSet<>();
        for (ObjectInfo info : objects) {
            String[] parts = info.key().split("/");
            if (parts.length == 3 && parts[2].equals(DELETING)) {
                deleting.add(parts[0] + "/" + parts[1]);
            }
        }
        List<String> manifestKeys = new ArrayList<>();
        for (ObjectInfo info : objects) {
            String[] parts = info.key().split("/");
            if (parts.length == 3 && parts[2].equals(MANIFEST) && BackupId.isValid(parts[1])
                    && !deleting.contains(parts[0] + "/" + parts[1])) {
                manifestKeys.add(info.key());
            }
        }
        // a manifest, a message saying why it is unreadable, or null when it was deleted while listing
        List<Object> read = ParallelReads.map(manifestKeys, key -> {
            String[] parts = key.split("/");
            try {
                BackupManifest m = ManifestCodec.read(readManifest(key), storage.describe() + "/" + key);
                return m.set().equals(parts[0]) && m.id().equals(parts[1]) ? m
                        : key + ": its id or set does not match its location";
            } catch (ManifestCodec.InvalidManifestException e) {
                return e.getMessage();
            } catch (StorageException e) {
                if (e.kind() != StorageException.Kind.NOT_FOUND) { // deleted while listing: not an error
                    throw e;
                }
                return null;
            }
        });
        List<BackupManifest> complete = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (Object r : read) {
            if (r instanceof BackupManifest m) {
                complete.add(m);
            } else if (r instanceof String message) {
                unreadable.add(message);
            }
        }
        complete.sort(Comparator.comparing(BackupManifest::startedAt).thenComparing(BackupManifest::id));
        List<String> unfinished = deleting.stream().sorted().toList();
        return new Scan(List.copyOf(complete), List.copyOf(unreadable), unfinished, List.copyOf(objects));
    }

    /** What deleting a backup did. */
    public enum DeleteOutcome {
        /** Every object of the backup is gone. */
        DELETED,
        /** A retention lock (S3 Object Lock) forbids deleting it; the backup is whole and still listed. */
        LOCKED
    }

    /**
     * Deletes a backup in an order that never leaves something listed as complete that is not: a deletion marker
     * first (from then on the backup is not listed), then the manifest, then the data and verification records, and
     * the marker last. A crash in between leaves the marker, and the next prune finishes the job.
     *
     * @return {@link DeleteOutcome#LOCKED} when a lock protects the manifest (nothing is deleted)
     * @throws StorageException of kind {@link StorageException.Kind#LOCKED} when the manifest was deleted but a lock
     *     protects other objects: the marker stays, so the backup is no longer listed and a later prune retries
     */
    public DeleteOutcome delete(String set, String id) throws IOException {
        String prefix = backupPrefix(set, id);
        storage.put(prefix + DELETING, new byte[0]);
        try {
            storage.delete(prefix + MANIFEST);
        } catch (StorageException e) {
            if (e.kind() == StorageException.Kind.LOCKED) {
                storage.delete(prefix + DELETING);
                return DeleteOutcome.LOCKED;
            }
            throw e;
        }
        List<String> stillLocked = new ArrayList<>();
        String firstLock = null;
        for (ObjectInfo info : storage.list(prefix)) {
            if (!info.key().equals(prefix + DELETING)) {
                try {
                    storage.delete(info.key());
                } catch (StorageException e) {
                    if (e.kind() != StorageException.Kind.LOCKED) {
                        throw e;
                    }
                    stillLocked.add(info.key());
                    firstLock = firstLock == null ? e.getMessage() : firstLock;
                }
            }
        }
        if (!stillLocked.isEmpty()) {
            // the marker stays: the backup is no longer listed, and the next prune retries the locked objects
            throw new StorageException(StorageException.Kind.LOCKED, "backup " + set + "/" + id + " is partly deleted:"
                    + " its manifest is gone but " + stillLocked.size() + " object(s) are under a retention lock ("
                    + firstLock + "); it is no longer listed, and a later prune deletes the rest once the lock ends");
        }
        storage.delete(prefix + DELETING);
        return DeleteOutcome.DELETED;
    }

    /**
     * A repository scan.
     *
     * @param complete readable manifests, oldest first
     * @param unreadable one message per manifest that could not be read
     * @param unfinishedDeletions {@code set/id} of backups whose deletion began and did not finish
     * @param objects every object under the scanned prefix
     */
    public record Scan(List<BackupManifest> complete, List<String> unreadable, List<String> unfinishedDeletions,
            List<ObjectInfo> objects) {}
}
