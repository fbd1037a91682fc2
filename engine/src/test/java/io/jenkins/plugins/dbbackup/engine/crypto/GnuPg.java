package io.jenkins.plugins.dbbackup.engine.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real {@code gpg} binary in a throwaway home directory. Passphrases reach it only through files
 * ({@code --passphrase-file}), never through the command line.
 */
public final class GnuPg {
    private final Path home;

    private GnuPg(Path home) {
        this.home = home;
    }

    /** A fresh, empty home under {@code parent}; its agent is killed and the directory deleted at JVM exit. */
    public static GnuPg create(Path parent) {
        try {
            Path home = Files.createTempDirectory(parent, "gnupg", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            GnuPg gpg = new GnuPg(home);
            Runtime.getRuntime().addShutdownHook(new Thread(gpg::destroy));
            return gpg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path home() {
        return home;
    }

    /** The result of one run. */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        public Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("gpg failed with exit code " + exitCode + ":\n" + stderr);
            }
            return this;
        }

        public String out() {
            return new String(stdout, UTF_8);
        }
    }

    /** Runs {@code gpg --batch --homedir HOME args...} with {@code stdin} (may be null) and captures its output. */
    public Result run(byte[] stdin, String... args) {
        try {
            Path in = Files.createTempFile(home, "in", ".bin");
            Path out = Files.createTempFile(home, "out", ".bin");
            Path err = Files.createTempFile(home, "err", ".txt");
            try {
                Files.write(in, stdin == null ? new byte[0] : stdin);
                List<String> command = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch",
                        "--no-tty", "--no-permission-warning", "--pinentry-mode", "loopback",
                        "--trust-model", "always"));
                command.addAll(List.of(args));
                Process p = new ProcessBuilder(command)
                        .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("gpg timed out: " + command);
                }
                return new Result(p.exitValue(), Files.readAllBytes(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(in);
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A 0600 file holding {@code passphrase}, to hand to {@code --passphrase-file}. */
    public Path passphraseFile(String passphrase) {
        try {
            Path file = Files.createTempFile(home, "pass", ".txt",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, passphrase);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decrypts {@code message} with the keys in this home. */
    public Result decrypt(byte[] message) {
        return run(message, "--decrypt");
    }

    /** Decrypts {@code message} with a passphrase given through a file. */
    public Result decryptWithPassphrase(byte[] message, String passphrase) {
        Path file = passphraseFile(passphrase);
        try {
            return run(message, "--no-symkey-cache", "--passphrase-file", file.toString(), "--decrypt");
        } finally {
            file.toFile().delete();
        }
    }

    /** Imports key material. */
    public void importKeys(byte[] keys) {
        run(keys, "--import").ok();
    }

    /** Armored export of the public key {@code who}. */
    public byte[] exportPublic(String who, boolean armor) {
        return armor ? run(null, "--export", "--armor", who).ok().stdout() : run(null, "--export", who).ok().stdout();
    }

    /** Armored export of the (unprotected) secret key {@code who}. */
    public byte[] exportSecret(String who) {
        return run(null, "--export-secret-keys", "--armor", who).ok().stdout();
    }

    /** The primary key fingerprint of {@code who}. */
    public String fingerprint(String who) {
        return colons(who).stream().filter(f -> f[0].equals("fpr")).findFirst().orElseThrow()[9];
    }

    /** The key ids of {@code who}'s subkeys that can encrypt. */
    public List<String> encryptionSubkeyIds(String who) {
        return colons(who).stream().filter(f -> f[0].equals("sub") && f[11].contains("e")).map(f -> f[4]).toList();
    }

    private List<String[]> colons(String who) {
        return run(null, "--with-colons", "--list-keys", who).ok().out().lines().map(l -> l.split(":", -1)).toList();
    }

    void destroy() {
        try {
            new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "all")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException ignored) {
            // best effort at exit
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
