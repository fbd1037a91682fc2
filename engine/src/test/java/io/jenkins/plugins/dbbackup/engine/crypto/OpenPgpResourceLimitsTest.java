package io.jenkins.plugins.dbbackup.engine.crypto;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** Length and work fields of a hostile message must not make decryption allocate what the heap cannot hold. */
class OpenPgpResourceLimitsTest {
    /**
     * A symmetric-key encrypted session key packet whose Argon2 passphrase derivation asks for 2^31 KiB (2 TiB) of
     * memory, then an integrity-protected data packet: refused with a message before any key derivation.
     */
    @Test
    void anArgon2DerivationLargerThanTheHeapIsRefusedBeforeItRuns() {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.write(0xC3); // new format, tag 3: symmetric-key encrypted session key
        message.write(22);
        message.write(4); // version 4
        message.write(9); // AES-256
        message.write(4); // S2K type 4: Argon2
        message.writeBytes(new byte[16]); // salt
        message.write(1); // passes
        message.write(1); // parallelism
        message.write(31); // memory: 2^31 KiB
        message.write(0xD2); // new format, tag 18: symmetrically encrypted integrity protected data
        message.write(33);
        message.write(1); // version 1
        message.writeBytes(new byte[32]);

        assertThatThrownBy(() -> OpenPgp.decrypting(new ByteArrayInputStream(message.toByteArray()),
                        DecryptionKeys.ofPassphrase(Secret.of("any"))))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("Argon2")
                .hasMessageContaining("more than 1 TiB of memory");
    }
}
