package io.jenkins.plugins.dbbackup.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/** Random passwords and the short-lived 0600 files that hand them to server tools. */
final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private Secrets() {}

    /**
     * A new random password of 24 letters and digits: safe inside SQL string literals and
     * configuration files without escaping, and unlikely to occur by chance in any output.
     */
    static String newPassword() {
        StringBuilder password = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }

    /**
     * Creates {@code file} with permissions 0600 before any content is written, then writes
     * {@code content}, and gives the file to {@code owner} (see {@link ServiceUser#chown}). The
     * caller deletes it as soon as the reading tool is done with it.
     */
    static Path writeSecretFile(Path file, String content, ServiceUser owner) {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content, StandardCharsets.UTF_8);
            owner.chown(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write secret file " + file, e);
        }
    }

    /** Deletes a secret file, ignoring a file that is already gone. */
    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete secret file " + file, e);
        }
    }
}
