package io.jenkins.plugins.dbbackup.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressListenerTest {
    @Test
    void progressBecomesOneInfoLineUnlessOverridden() {
        List<String> lines = new ArrayList<>();
        ProgressListener plain = lines::add;
        plain.progress("backup", 3L * 1024 * 1024 * 1024, 10_000);
        assertThat(lines).containsExactly("backup: 3.0 GiB so far, 307.2 MiB/s");
        plain.progress("restore", 10, 0);
        assertThat(lines).hasSize(2).last().asString().startsWith("restore: 10 B so far");
    }
}
