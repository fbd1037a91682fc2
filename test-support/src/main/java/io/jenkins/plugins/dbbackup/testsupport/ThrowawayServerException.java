package io.jenkins.plugins.dbbackup.testsupport;

/**
 * A throwaway server could not be started, stopped or queried.
 *
 * <p>Start failures carry the tail of the server's log in the message. Messages never contain a
 * server password.
 */
public class ThrowawayServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ThrowawayServerException(String message) {
        super(message);
    }

    public ThrowawayServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
