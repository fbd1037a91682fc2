package io.jenkins.plugins.dbbackup.engine.crypto;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jenkins.plugins.dbbackup.engine.fuzz.CleanErrors;
import io.jenkins.plugins.dbbackup.engine.fuzz.FuzzRuns;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The decryption path ({@link OpenPgp#decrypting}) on any bytes a damaged or hostile stored object could hold,
 * read to its end with both a secret key and a passphrase at hand, as a restore would. A refusal must be an
 * {@link IntegrityException} or a {@link KeyUnavailableException} with a message. The key is a throwaway made for
 * these tests only (crypto/fuzz-secret-key.gpg, no passphrase); the seeds are messages encrypted to it and to
 * {@link #PASSPHRASE} by {@link OpenPgp#encrypting} and by gpg, in OpenPgpDecryptFuzzTestInputs/message/.
 */
class OpenPgpDecryptFuzzTest {
    static final String PASSPHRASE = "fuzz passphrase";
    static final byte[] SECRET_KEY = resource("fuzz-secret-key.gpg");
    private static final DecryptionKeys KEYS =
            new DecryptionKeys(SECRET_KEY, null, Secret.of(PASSPHRASE));

    @FuzzTest
    void message(byte[] data) {
        FuzzRuns.count(OpenPgpDecryptFuzzTest.class);
        try (InputStream plain = OpenPgp.decrypting(new ByteArrayInputStream(data), KEYS)) {
            plain.transferTo(OutputStream.nullOutputStream());
        } catch (IntegrityException | KeyUnavailableException e) {
            CleanErrors.requireMessage(e);
        } catch (IOException e) {
            throw new AssertionError("not a clean OpenPGP error: " + e, e);
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = OpenPgpDecryptFuzzTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
