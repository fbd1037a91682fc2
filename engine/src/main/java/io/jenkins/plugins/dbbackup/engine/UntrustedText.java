package io.jenkins.plugins.dbbackup.engine;

/**
 * Text from users, repositories or servers as it may appear inside an error message: on one line (control characters
 * and line separators shown as {@code ?}) and short (cut after {@value #MAX_LENGTH} characters), so a message stays
 * the one clear line the user reads and a log cannot be fed fake lines.
 */
public final class UntrustedText {
    static final int MAX_LENGTH = 80;

    private UntrustedText() {}

    /** The text as it may be shown; "null" for null. */
    public static String shown(String text) {
        return shown(text, MAX_LENGTH);
    }

    /** The text as it may be shown, cut after {@code maxLength} characters; "null" for null. */
    public static String shown(String text, int maxLength) {
        if (text == null) {
            return "null";
        }
        String cut = text.length() > maxLength
                ? text.substring(0, text.offsetByCodePoints(0, text.codePointCount(0, maxLength))) + "..."
                : text;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> {
            boolean breaksTheLine = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            out.appendCodePoint(breaksTheLine ? '?' : c);
        });
        return out.toString();
    }
}
