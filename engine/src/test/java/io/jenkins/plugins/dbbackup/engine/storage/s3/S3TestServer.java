package io.jenkins.plugins.dbbackup.engine.storage.s3;

import io.jenkins.plugins.dbbackup.engine.RepositorySpec.S3Settings;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 protocol server in the test JVM: s3proxy with its filesystem backend in a temp directory, on 127.0.0.1
 * and a random port, AWS v4 signatures with a test key pair, one bucket.
 */
public final class S3TestServer implements AutoCloseable {
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-Zq9vR2mX7";
    public static final String BUCKET = "backups";
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final Path dir;
    private final S3Proxy proxy;
    private final URI endpoint;

    private S3TestServer(Path dir, S3Proxy proxy, URI endpoint) {
        this.dir = dir;
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    private static S3TestServer shared;

    /**
     * One server for every S3 test class in this JVM (each test works under its own fresh prefix), stopped and its
     * directory deleted at JVM exit.
     */
    public static synchronized S3TestServer shared() throws Exception {
        if (shared == null) {
            S3TestServer server = start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (Exception ignored) {
                    // exiting anyway
                }
            }, "s3proxy-stop"));
            shared = server;
        }
        return shared;
    }

    static S3TestServer start() throws Exception {
        quietLogging();
        Path dir = Files.createTempDirectory("s3proxy-");
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dir.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        for (int i = 0; i < 200 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(25);
        }
        S3TestServer server = new S3TestServer(dir, proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
        try (S3Client client = server.rawClient()) {
            client.createBucket(b -> b.bucket(BUCKET));
        }
        return server;
    }

    /** s3proxy brings logback, whose default is DEBUG on the console: a gigabyte of Jetty logs per run. */
    static void quietLogging() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /** Where the filesystem backend keeps bucket {@code BUCKET}'s objects, one file per key. */
    Path bucketDirectory() {
        return dir.resolve(BUCKET);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Settings for this server (or a proxy in front of it at {@code endpoint}). */
    public static S3Settings settings(URI endpoint, int partSizeMiB) {
        return new S3Settings("us-east-1", endpoint.toString(), true, ACCESS_KEY, Secret.of(SECRET_KEY), null, null, null,
                null, null, 0, partSizeMiB);
    }

    /** A fresh, unused prefix: each test gets an empty repository. */
    public static String freshPrefix() {
        return "repo-" + PREFIXES.incrementAndGet() + "/inner";
    }

    public S3Client rawClient() {
        return rawClient(endpoint);
    }

    static S3Client rawClient(URI endpoint) {
        return S3Clients.create(settings(endpoint, 5), 8);
    }

    /** An S3Storage at {@code endpoint} (this server or a proxy in front of it) under a fresh prefix. */
    static S3Storage storage(URI endpoint, S3Options options) {
        return storage(endpoint, freshPrefix(), options);
    }

    static S3Storage storage(URI endpoint, String prefix, S3Options options) {
        return new S3Storage(rawClient(endpoint), new S3Location(BUCKET, prefix), options, endpoint.toString(),
                List.of(SECRET_KEY));
    }

    /** 5 MiB parts (the S3 minimum), no waiting between retries. */
    static S3Options testOptions() {
        return S3Options.defaults().withPartSize(5 * S3Options.MIB)
                .withRetry(S3Options.defaults().retry().withSleeper(d -> {}));
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temp directory
                }
            });
        }
    }
}
