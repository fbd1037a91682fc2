package io.jenkins.plugins.dbbackup.engine.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestCodecTest {
    static BackupManifest sample() {
        return new BackupManifest(1, "20261122T020000Z-3f9a1c2b", "orders", "postgresql-custom", "data.pgdump.zst.pgp",
                new BackupManifest.Source("postgresql", "db1", 5432, "orders", "backup", "15.18"),
                new BackupManifest.Tool("pg_dump", "15.18"), "2026-11-22T02:00:00.123Z", "2026-11-22T02:01:00Z",
                new BackupManifest.Content(1000, "aa"), new BackupManifest.Content(200, "bb"),
                new BackupManifest.CompressionInfo("zstd", 3),
                new BackupManifest.EncryptionInfo("openpgp", List.of(new BackupManifest.RecipientInfo("F1", "K1")), false),
                new BackupManifest.VerificationData(Map.of("public.t", 3L), null, "exported-snapshot"));
    }

    @Test
    void roundTrips() throws Exception {
        BackupManifest m = sample();
        assertThat(ManifestCodec.read(ManifestCodec.write(m), "test")).isEqualTo(m);
        assertThat(m.startedAtInstant()).isEqualTo(Instant.parse("2026-11-22T02:00:00.123Z"));
    }

    @Test
    void refusesANewerFormatWithAClearMessage() {
        String json = new String(ManifestCodec.write(sample()), StandardCharsets.UTF_8)
                .replace("\"formatVersion\" : 1", "\"formatVersion\" : 7");
        assertThatThrownBy(() -> ManifestCodec.read(json.getBytes(StandardCharsets.UTF_8), "x/manifest.json"))
                .hasMessageContaining("format 7").hasMessageContaining("upgrade");
    }

    @Test
    void ignoresUnknownFieldsOfTheSameFormat() throws Exception {
        String json = new String(ManifestCodec.write(sample()), StandardCharsets.UTF_8)
                .replace("\"formatVersion\" : 1,", "\"formatVersion\" : 1, \"futureField\" : {\"a\": 1},");
        assertThat(ManifestCodec.read(json.getBytes(StandardCharsets.UTF_8), "x").id()).isEqualTo(sample().id());
    }

    @Test
    void rejectsGarbage() {
        for (String bad : List.of("", "null", "[]", "{}", "{\"formatVersion\": \"x\"}", "{\"formatVersion\": 1}",
                "{\"formatVersion\": 0}", "not json")) {
            assertThatThrownBy(() -> ManifestCodec.read(bad.getBytes(StandardCharsets.UTF_8), "m"))
                    .as(bad).isInstanceOf(ManifestCodec.InvalidManifestException.class);
        }
    }

    @Test
    void holdsNoPasswordField() {
        assertThat(new String(ManifestCodec.write(sample()), StandardCharsets.UTF_8)).doesNotContainIgnoringCase("password");
    }
    /** Found by ManifestCodecFuzzTest: such manifests were accepted and then failed listing, prune or restore. */
    @Test
    void refusesWhatListingPruneAndRestoreCouldNotUse() {
        String json = new String(ManifestCodec.write(sample()), StandardCharsets.UTF_8);
        Map<String, String> damage = Map.of(
                "\"2026-11-22T02:01:00Z\"", "finishedAt time '2026-1@-22T02:01:00Z'",
                "\"2026-11-22T02:00:00.123Z\"", "startedAt time '2026-1@-22T02:00:00.123Z'",
                "\"data.pgdump.zst.pgp\"", "data object '../../other/data.pgdump.zst.pgp'",
                "\"20261122T020000Z-3f9a1c2b\"", "backup id '../x'",
                "\"orders\"", "set name '..'");
        Map<String, String> replacement = Map.of(
                "\"2026-11-22T02:01:00Z\"", "\"2026-1@-22T02:01:00Z\"",
                "\"2026-11-22T02:00:00.123Z\"", "\"2026-1@-22T02:00:00.123Z\"",
                "\"data.pgdump.zst.pgp\"", "\"../../other/data.pgdump.zst.pgp\"",
                "\"20261122T020000Z-3f9a1c2b\"", "\"../x\"",
                "\"orders\"", "\"..\"");
        damage.forEach((original, message) -> assertThatThrownBy(() -> ManifestCodec.read(
                        json.replace(original, replacement.get(original)).getBytes(StandardCharsets.UTF_8), "m.json"))
                .isInstanceOf(ManifestCodec.InvalidManifestException.class)
                .hasMessageContaining(message));
        assertThatThrownBy(() -> ManifestCodec.read(json.replace("\"bytes\" : 200", "\"bytes\" : -1")
                        .getBytes(StandardCharsets.UTF_8), "m.json"))
                .isInstanceOf(ManifestCodec.InvalidManifestException.class).hasMessageContaining("negative size");
    }
}
