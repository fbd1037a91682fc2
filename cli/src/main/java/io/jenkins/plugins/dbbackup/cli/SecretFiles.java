package io.jenkins.plugins.dbbackup.cli;

import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Where secrets come from: files and environment variables. Messages name the file or variable, never the value. */
final class SecretFiles {
    /** Key files larger than this are surely not key files. */
    private static final long MAX_KEY_FILE_BYTES = 1 << 20;

    private SecretFiles() {}

    /**
     * The first line of a secret file, without its line end.
     *
     * @param what the option or configuration field that named the file, for messages
     * @throws UsageException when the file cannot be read or its first line is empty
     */
    static Secret readLine(Path file, String what) {
        checkPath(file, what);
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException(what + ": " + file + " does not exist");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UsageException(what + ": " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new UsageException(what + ": " + file + " cannot be read (" + reason(e) + ")");
        }
        int nl = content.indexOf('\n');
        String line = nl < 0 ? content : content.substring(0, nl);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            throw new UsageException(what + ": the first line of " + file + " is empty");
        }
        return Secret.of(line);
    }

    /**
     * The bytes of a key file (armored or binary OpenPGP).
     *
     * @throws UsageException when it cannot be read, is empty or is implausibly large
     */
    static byte[] readKey(Path file, String what) {
        checkPath(file, what);
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw new UsageException(what + ": " + file + " is empty");
            }
            if (size > MAX_KEY_FILE_BYTES) {
                throw new UsageException(what + ": " + file + " is " + size + " bytes, too large for a key file");
            }
            byte[] key = Files.readAllBytes(file);
            if (!looksLikeOpenPgp(key)) {
                throw new UsageException(what + ": " + file + " is not an OpenPGP key file: export one with gpg"
                        + " --export (public) or gpg --export-secret-keys (secret), armored or binary");
            }
            return key;
        } catch (NoSuchFileException e) {
            throw new UsageException(what + ": " + file + " does not exist");
        } catch (IOException e) {
            throw new UsageException(what + ": " + file + " cannot be read (" + reason(e) + ")");
        }
    }

    /**
     * Whether bytes can be an OpenPGP key file at all: ASCII armor ({@code -----BEGIN PGP}) or a binary packet (the
     * first byte has its high bit set). The full parse happens where the key is used; this catches a wrong file
     * (a text file, an SSH key) before anything runs.
     */
    static boolean looksLikeOpenPgp(byte[] content) {
        int i = 0;
        while (i < content.length && Character.isWhitespace(content[i])) {
            i++;
        }
        if (i == content.length) {
            return false;
        }
        if ((content[i] & 0x80) != 0) {
            return true;
        }
        String start = new String(content, i, Math.min(15, content.length - i), StandardCharsets.US_ASCII);
        return start.startsWith("-----BEGIN PGP");
    }

    /** An empty path or a directory is refused before reading, with words rather than an exception's name. */
    private static void checkPath(Path file, String what) {
        if (file.toString().isBlank()) {
            throw new UsageException(what + " is empty: give the path of a file");
        }
        if (Files.isDirectory(file)) {
            throw new UsageException(what + ": " + file + " is a directory, not a file");
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? "I/O error" : e.getMessage().replace(e.getClass().getName() + ": ", "");
    }

    /** An environment variable as a secret; null when unset or empty. */
    static Secret fromEnv(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : Secret.of(value);
    }

    /** The error for an option that would take a secret as its value; the value is never repeated. */
    static ParameterException refused(CommandSpec spec, String option, String instead) {
        return new ParameterException(spec.commandLine(), option + " is refused: a secret on the command line is"
                + " visible to every user of the machine (ps) and lands in shell history. Use " + instead);
    }
}
