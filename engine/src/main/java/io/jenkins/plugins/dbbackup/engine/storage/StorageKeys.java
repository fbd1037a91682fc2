package io.jenkins.plugins.dbbackup.engine.storage;

/** Checks object keys so that no key can escape its storage root. */
public final class StorageKeys {
    private StorageKeys() {}

    /**
     * @throws IllegalArgumentException for an empty key, a leading {@code /}, a {@code .} or {@code ..} segment,
     *     an empty segment, a backslash or a control character
     */
    public static String check(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/") || key.contains("\\")) {
            throw new IllegalArgumentException("invalid storage key '" + key + "'");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("invalid storage key '" + key + "'");
            }
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new IllegalArgumentException("invalid storage key (control character)");
            }
        }
        return key;
    }

    /** Checks a listing prefix: empty, or a key-like string that may end with {@code /}. */
    public static String checkPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        check(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        return prefix;
    }
}
