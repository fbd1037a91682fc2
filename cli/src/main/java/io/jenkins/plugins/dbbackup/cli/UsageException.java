package io.jenkins.plugins.dbbackup.cli;

/** A command line that cannot be run as given; exit code 2. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
