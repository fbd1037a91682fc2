package io.jenkins.plugins.dbbackup.engine.repository;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jenkins.plugins.dbbackup.engine.fuzz.FuzzRuns;
import java.util.Optional;

/**
 * Verification records ({@code verify-<time>.json}) as a repository holds them: an unreadable record counts as
 * absent (it proves nothing), and one that is accepted has a readable time and outcome. Never an exception.
 * Seeds: records written the way {@link BackupRepository#recordVerification} writes them.
 */
class VerificationRecordFuzzTest {
    @FuzzTest
    void record(byte[] json) {
        FuzzRuns.count(VerificationRecordFuzzTest.class);
        Optional<VerificationRecord> r = BackupRepository.parseVerification(json);
        if (r.isPresent()) {
            r.get().verifiedAtInstant();
            r.get().ok();
            r.get().toMap();
        }
    }
}
