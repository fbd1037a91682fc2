package io.jenkins.plugins.dbbackup.engine.process;

import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.util.Objects;

/** Removes secrets from text that is about to reach a user: tool output, exception messages. */
public final class Scrubber {
    private Scrubber() {}

    /** {@code text} with every occurrence of every non-empty secret replaced by {@link Secret#REDACTED}. */
    public static String scrub(String text, Secret... secrets) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (Secret secret : secrets) {
            if (secret == null || secret.isEmpty()) {
                continue;
            }
            String clear = secret.reveal();
            if (clear.length() >= 1 && result.contains(clear)) {
                result = result.replace(clear, Secret.REDACTED);
            }
        }
        return result;
    }

    static Secret[] nonNull(Secret... secrets) {
        return java.util.Arrays.stream(secrets).filter(Objects::nonNull).toArray(Secret[]::new);
    }
}
