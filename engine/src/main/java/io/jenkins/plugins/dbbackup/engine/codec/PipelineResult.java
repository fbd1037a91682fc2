package io.jenkins.plugins.dbbackup.engine.codec;

import io.jenkins.plugins.dbbackup.engine.crypto.Recipient;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link WritePipeline} wrote: both digests (so the stored object can be checked without the key, and the
 * whole chain with it), both sizes, and how the object was encoded.
 *
 * @param originalSha256  lower-case hex SHA-256 of the source bytes
 * @param originalBytes   number of source bytes
 * @param storedSha256    lower-case hex SHA-256 of the bytes handed to the storage sink
 * @param storedBytes     number of bytes handed to the storage sink
 * @param compression     the compression applied
 * @param recipients      the public keys the object is encrypted to (empty when none)
 * @param passphraseUsed  whether the object can be decrypted with the passphrase
 */
public record PipelineResult(String originalSha256, long originalBytes, String storedSha256, long storedBytes,
                             Compression compression, List<Recipient> recipients, boolean passphraseUsed)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public PipelineResult {
        Objects.requireNonNull(originalSha256, "originalSha256");
        Objects.requireNonNull(storedSha256, "storedSha256");
        Objects.requireNonNull(compression, "compression");
        recipients = List.copyOf(recipients == null ? List.of() : recipients);
    }

    /** Whether the stored object is encrypted. */
    public boolean encrypted() {
        return !recipients.isEmpty() || passphraseUsed;
    }
}
