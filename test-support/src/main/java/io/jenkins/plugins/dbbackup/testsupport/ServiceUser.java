package io.jenkins.plugins.dbbackup.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;

/**
 * The operating-system account a server runs as.
 *
 * <p>When the JVM runs as root, servers that refuse root (PostgreSQL) or should not run as root
 * (MariaDB) run as their Debian package's account: files are handed to that account and
 * commands get a {@code setpriv} prefix. {@code setpriv} executes the command in place (unlike
 * {@code runuser}, which forks and waits), so the process the harness starts <em>is</em> the
 * server and {@code kill()} reaches it directly. Otherwise everything runs as the JVM's own user.
 */
final class ServiceUser {
    private static final boolean ROOT = detectRoot();

    private final String name;
    private final String debianPackage;

    private ServiceUser(String name, String debianPackage) {
        this.name = name;
        this.debianPackage = debianPackage;
    }

    /** The account {@code name} when the JVM is root, else the JVM's own user. */
    static ServiceUser forServer(String name, String debianPackage) {
        return new ServiceUser(ROOT ? name : null, debianPackage);
    }

    /** The JVM's own user. */
    static ServiceUser self() {
        return new ServiceUser(null, null);
    }

    static boolean jvmIsRoot() {
        return ROOT;
    }

    /** Whether processes and files switch to another account. */
    boolean switches() {
        return name != null;
    }

    /** The account name to pass to a server's own {@code --user} option, or null when not root. */
    String switchedName() {
        return name;
    }

    /** The prefix that runs a command as this user: {@code setpriv ...} or nothing. */
    List<String> commandPrefix() {
        if (name == null) {
            return List.of();
        }
        return List.of("setpriv", "--reuid=" + name, "--regid=" + name, "--init-groups", "--");
    }

    /** Gives {@code path} (not recursively) to this user and its primary group. */
    void chown(Path path) {
        if (name == null) {
            return;
        }
        try {
            UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal user = lookup.lookupPrincipalByName(name);
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(name);
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            view.setOwner(user);
            view.setGroup(group);
        } catch (UserPrincipalNotFoundException e) {
            throw new ThrowawayServerException("the JVM runs as root but the account '" + name
                    + "' does not exist: install the Debian package '" + debianPackage + "', which creates it", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + path + " to " + name, e);
        }
    }

    /** Creates directory {@code dir} with permissions 0700 owned by this user. */
    Path createPrivateDirectory(Path dir) {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        chown(dir);
        return dir;
    }

    private static boolean detectRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
