package io.jenkins.plugins.dbbackup.engine.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Checks that a plain (decrypted, decompressed) dump is a valid, complete dump of its kind. */
public interface FormatChecker {
    /**
     * Reads the dump to its end.
     *
     * @return what is wrong, or empty when the dump is valid
     */
    Optional<String> check(InputStream plainDump) throws IOException, InterruptedException;
}
