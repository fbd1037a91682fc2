package io.jenkins.plugins.dbbackup.cli;

/** A command line that cannot be run as given; exit code 2. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }

    /**
     * Runs a check or a parse for one option and makes its failure name the option: an engine message such as
     * "unknown database type 'nosql'" becomes "--type: unknown database type 'nosql'". A message that already names
     * the option is kept as it is.
     *
     * @param option the option (or configuration field) the value came from, e.g. {@code --type}
     * @throws UsageException naming the option, for an {@link IllegalArgumentException} or a {@link UsageException}
     */
    static <T> T naming(String option, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (UsageException | IllegalArgumentException e) {
            String message = e.getMessage() == null ? "is not valid" : e.getMessage();
            if (message.startsWith(option + " ") || message.startsWith(option + ":")) {
                throw e instanceof UsageException u ? u : new UsageException(message);
            }
            throw new UsageException(option + ": " + message);
        }
    }
}
