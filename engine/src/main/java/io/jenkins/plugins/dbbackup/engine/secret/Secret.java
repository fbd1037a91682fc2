package io.jenkins.plugins.dbbackup.engine.secret;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * A password, passphrase or key that must never be printed. {@link #toString()} is redacted, so a secret that ends
 * up in a log line, an exception message or a record's {@code toString} shows {@value #REDACTED}.
 *
 * <p>Serializable so that a request can travel from a Jenkins controller to an agent over the (encrypted) remoting
 * channel; it is never written to disk by the engine except into a 0600 credential file for a native tool.
 */
public final class Secret implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** What every secret prints as. */
    public static final String REDACTED = "**redacted**";

    private final char[] value;

    private Secret(char[] value) {
        this.value = value.clone();
    }

    /** A secret holding {@code value}; null for a null value. */
    public static Secret of(String value) {
        return value == null ? null : new Secret(value.toCharArray());
    }

    /** A secret holding a copy of {@code value}; null for a null value. */
    public static Secret of(char[] value) {
        return value == null ? null : new Secret(value);
    }

    /** The secret in clear. Call only where it is handed to a library or a 0600 file, never to format a message. */
    public String reveal() {
        return new String(value);
    }

    /** A copy of the secret in clear; the caller should wipe it when done. */
    public char[] revealChars() {
        return value.clone();
    }

    public boolean isEmpty() {
        return value.length == 0;
    }

    @Override
    public String toString() {
        return REDACTED;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value.length);
    }
}
