package io.jenkins.plugins.dbbackup.engine.repository;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jenkins.plugins.dbbackup.engine.SetName;
import io.jenkins.plugins.dbbackup.engine.fuzz.CleanErrors;
import io.jenkins.plugins.dbbackup.engine.fuzz.FuzzRuns;
import io.jenkins.plugins.dbbackup.engine.storage.StorageKeys;

/**
 * Manifests as a repository holds them: whatever the bytes, {@link ManifestCodec#read} either refuses them with an
 * {@link ManifestCodec.InvalidManifestException} or returns a manifest that the listing, prune and restore can use
 * without another exception: a valid id and set, a data object inside its backup's directory, readable times.
 * Seeds: src/test/resources/.../ManifestCodecFuzzTestInputs/manifest/ (manifests written by {@link ManifestCodec}).
 */
class ManifestCodecFuzzTest {
    @FuzzTest
    void manifest(byte[] json) {
        FuzzRuns.count(ManifestCodecFuzzTest.class);
        BackupManifest m;
        try {
            m = ManifestCodec.read(json, "fuzz/manifest.json");
        } catch (ManifestCodec.InvalidManifestException e) {
            CleanErrors.requireMessage(e);
            return;
        }
        BackupId.check(m.id());
        SetName.check(m.set());
        StorageKeys.check(BackupRepository.dataKey(m));
        if (BackupRepository.dataKey(m).split("/").length != 3) {
            throw new AssertionError("data object outside its backup's directory: " + m.dataObject());
        }
        m.startedAtInstant();
        if (m.finishedAt() != null) {
            m.finishedAtInstant();
        }
        if (m.stored().bytes() < 0) {
            throw new AssertionError("negative stored size accepted: " + m.stored().bytes());
        }
        ManifestCodec.write(m);
    }
}
