package io.jenkins.plugins.dbbackup.engine.repository;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jenkins.plugins.dbbackup.engine.SetName;
import io.jenkins.plugins.dbbackup.engine.fuzz.CleanErrors;
import io.jenkins.plugins.dbbackup.engine.fuzz.FuzzRuns;
import io.jenkins.plugins.dbbackup.engine.storage.StorageKeys;

/**
 * Backup ids and set names, which users type and repositories list: {@link BackupId#check} and
 * {@link SetName#check} accept or refuse with an {@link IllegalArgumentException}; whatever they accept is a single
 * safe storage key segment; {@link SetName#sanitize} turns any text into a name {@link SetName#check} accepts.
 */
class NamesFuzzTest {
    @FuzzTest
    void names(String text) {
        FuzzRuns.count(NamesFuzzTest.class);
        if (text == null) {
            return;
        }
        String id = null;
        try {
            id = BackupId.check(text);
        } catch (IllegalArgumentException e) {
            CleanErrors.requireMessage(e);
        }
        if (id != null) {
            StorageKeys.check("set/" + id + "/manifest.json"); // an exception here escapes: a finding
        }
        String set = null;
        try {
            set = SetName.check(text);
        } catch (IllegalArgumentException e) {
            CleanErrors.requireMessage(e);
        }
        if (set != null) {
            StorageKeys.check(set + "/x");
        }
        String sanitized = SetName.sanitize(text);
        SetName.check(sanitized);
        StorageKeys.check(sanitized + "/x");
    }
}
