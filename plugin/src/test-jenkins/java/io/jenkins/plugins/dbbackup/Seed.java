package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.util.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;

/**
 * Test helpers of the real-Jenkins tests: credentials in the system store, as an administrator adds them, and the
 * credentials-binding style leak check. Compiled only by the real plugin build (src/test-jenkins).
 */
final class Seed {
    private Seed() {}

    /** Stores a "Username with password" credential, replacing one with the same id. */
    static void login(String id, String user, String password) throws Exception {
        store(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, id, "test login", user, password));
    }

    /** Stores a "Secret text" credential, replacing one with the same id. */
    static void secretText(String id, String text) throws IOException {
        store(new StringCredentialsImpl(CredentialsScope.GLOBAL, id, "test secret text", Secret.fromString(text)));
    }

    private static void store(IdCredentials credentials) throws IOException {
        SystemCredentialsProvider provider = SystemCredentialsProvider.getInstance();
        List<Credentials> all = provider.getCredentials();
        all.removeIf(c -> c instanceof IdCredentials other && other.getId().equals(credentials.getId()));
        all.add(credentials);
        provider.save();
    }

    /** No regular file under {@code dir} holds {@code secret} (read as bytes, so compressed or binary files count). */
    static void assertNoSecretUnder(Path dir, String secret) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1))
                        .as("file %s", f)
                        .doesNotContain(secret);
            }
        }
    }
}
