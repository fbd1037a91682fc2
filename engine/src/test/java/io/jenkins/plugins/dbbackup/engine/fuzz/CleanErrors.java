package io.jenkins.plugins.dbbackup.engine.fuzz;

/**
 * The one rule every fuzz target shares: a parser of untrusted bytes may refuse them only with a clean error, a
 * typed exception of its contract that says what is wrong in one line. Anything else escaping a target (a
 * NullPointerException, an index out of bounds, an OutOfMemoryError, a stack overflow) is a finding.
 */
public final class CleanErrors {
    private CleanErrors() {}

    /**
     * Checks that a refusal the contract allows is also readable: a message, on one line.
     *
     * @return {@code e}, for chaining
     * @throws AssertionError when the message is missing, blank or spans lines
     */
    public static <T extends Throwable> T requireMessage(T e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            throw new AssertionError(e.getClass().getName() + " without a message", e);
        }
        if (message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0) {
            throw new AssertionError(e.getClass().getName() + " with a message of several lines: " + message, e);
        }
        return e;
    }
}
