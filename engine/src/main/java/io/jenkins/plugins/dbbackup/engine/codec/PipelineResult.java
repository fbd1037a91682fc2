package io.jenkins.plugins.dbbackup.engine.codec;

import io.jenkins.plugins.dbbackup.engine.crypto.Recipient;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/** What the write pipeline measured. */
public record PipelineResult(String originalSha256, long originalBytes, String storedSha256, long storedBytes,
        Compression compression, List<Recipient> recipients, boolean passphraseUsed) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
}
