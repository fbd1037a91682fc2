package io.jenkins.plugins.dbbackup.engine.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.jenkins.plugins.dbbackup.engine.UntrustedText;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Reads and writes {@link BackupManifest}s as JSON. Thread-safe. */
public final class ManifestCodec {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** {@link io.jenkins.plugins.dbbackup.engine.SetName}'s alphabet (not called: its message is for users' input). */
    private static final Pattern SET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** One file name in the backup's directory, as the engine writes them ({@code data.pgdump.zst.pgp}). */
    private static final Pattern DATA_OBJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private ManifestCodec() {}

    public static byte[] write(BackupManifest manifest) {
        try {
            return MAPPER.writeValueAsBytes(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize manifest " + manifest.id(), e);
        }
    }

    /**
     * Parses a manifest.
     *
     * @param where a description of where it was read from, for messages
     * @throws InvalidManifestException when it is not a manifest, or of a newer format than this engine knows
     */
    public static BackupManifest read(byte[] json, String where) throws InvalidManifestException {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new InvalidManifestException(where + " is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (tree == null || !tree.isObject() || !tree.path("formatVersion").canConvertToInt()) {
            throw new InvalidManifestException(where + " is not a backup manifest (no formatVersion)");
        }
        int version = tree.get("formatVersion").asInt();
        if (version > BackupManifest.CURRENT_FORMAT) {
            throw new InvalidManifestException(where + " has manifest format " + version + ", newer than the "
                    + BackupManifest.CURRENT_FORMAT + " this version reads: upgrade db-backup to read it");
        }
        if (version < 1) {
            throw new InvalidManifestException(where + " has an invalid manifest format " + version);
        }
        BackupManifest manifest;
        try {
            manifest = MAPPER.treeToValue(tree, BackupManifest.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidManifestException(where + " is not a valid manifest: " + firstLine(e.getMessage()));
        }
        if (manifest.id() == null || manifest.set() == null || manifest.dataObject() == null
                || manifest.stored() == null || manifest.stored().sha256() == null || manifest.startedAt() == null) {
            throw new InvalidManifestException(where + " lacks required fields (id, set, dataObject, stored, startedAt)");
        }
        // what listing, prune and restore rely on, checked here so that one bad manifest is reported as unreadable
        // instead of failing them with an exception of its own
        if (!BackupId.isValid(manifest.id())) {
            throw new InvalidManifestException(where + " has an invalid backup id '" + printable(manifest.id()) + "'");
        }
        if (!SET_NAME.matcher(manifest.set()).matches() || manifest.set().contains("..")) {
            throw new InvalidManifestException(where + " has an invalid set name '" + printable(manifest.set()) + "'");
        }
        if (!DATA_OBJECT.matcher(manifest.dataObject()).matches()) {
            throw new InvalidManifestException(where + " names a data object '" + printable(manifest.dataObject())
                    + "' that is not a file name inside its backup's directory");
        }
        instant(manifest.startedAt(), "startedAt", where);
        if (manifest.finishedAt() != null) {
            instant(manifest.finishedAt(), "finishedAt", where);
        }
        if (manifest.stored().bytes() < 0 || (manifest.original() != null && manifest.original().bytes() < 0)) {
            throw new InvalidManifestException(where + " records a negative size");
        }
        return manifest;
    }

    private static void instant(String text, String field, String where) throws InvalidManifestException {
        try {
            Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidManifestException(where + " has an invalid " + field + " time '" + printable(text)
                    + "' (expected ISO-8601 UTC such as 2026-11-22T02:00:00Z)");
        }
    }

    private static String printable(String text) {
        return UntrustedText.shown(text);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** A manifest that cannot be read. */
    public static final class InvalidManifestException extends IOException {
        private static final long serialVersionUID = 1L;

        public InvalidManifestException(String message) {
            super(message);
        }
    }
}
