package io.jenkins.plugins.dbbackup.cli;

import static io.jenkins.plugins.dbbackup.cli.JarProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Issue #5's end to end: {@code java -jar dbbackup.jar} backs a real PostgreSQL up to {@code s3://bucket/prefix} on a
 * real S3 protocol server (s3proxy, in this JVM, on loopback), lists, verifies by restoring into a scratch database,
 * and restores into a new database whose data is compared with the source. Credentials reach the process only
 * through environment variables (named by a configuration file in the later steps), and the secret key never
 * appears in what it prints. Steps build on each other, in order.
 */
@ExtendWith(ThrowawayServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3CliIT {
    private static final String ACCESS_KEY = "cli-access-key";
    private static final String SECRET_KEY = "cli-s3-secret-Xy7Q2wLp9";
    private static final String BUCKET = "cli-backups";
    private static final String PREFIX = "db/prod";
    private static final String SET = "orders-db";

    private PostgresServer pg;
    private String database;
    private Path dir;
    private Path s3dir;
    private S3Proxy s3;
    private URI endpoint;
    private Path config;
    private String id;
    private final List<JarProcess.Result> runs = new ArrayList<>();

    @BeforeAll
    void setUp(PostgresServer pg, @TempDir Path dir) throws Exception {
        this.pg = pg;
        this.dir = dir;
        database = "s3_orders_" + System.nanoTime();
        pg.createDatabase(database);
        pg.execute(database,
                "CREATE TABLE customers (id int PRIMARY KEY, name text)",
                "INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 300) g",
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer int REFERENCES customers, total numeric)",
                "INSERT INTO orders SELECT g, 1 + g % 300, g * 1.25 FROM generate_series(1, 20000) g");

        quietLogging();
        s3dir = Files.createTempDirectory("s3proxy-cli-");
        s3 = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(s3dir.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        s3.start();
        for (int i = 0; i < 400 && !"STARTED".equals(s3.getState()); i++) {
            Thread.sleep(25);
        }
        assertThat(s3.getState()).isEqualTo("STARTED");
        endpoint = URI.create("http://127.0.0.1:" + s3.getPort());
        try (S3Client client = client()) {
            client.createBucket(b -> b.bucket(BUCKET));
        }

        config = dir.resolve("dbbackup.yaml");
        Files.writeString(config, """
                repositories:
                  - name: offsite
                    uri: s3://%s/%s
                    endpoint: %s
                    pathStyle: true
                    region: us-east-1
                    accessKeyIdEnv: OFFSITE_KEY_ID
                    secretAccessKeyEnv: OFFSITE_SECRET
                defaults:
                  repository: offsite
                """.formatted(BUCKET, PREFIX, endpoint));
    }

    /** s3proxy brings logback, whose default is DEBUG on the console. */
    private static void quietLogging() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    @AfterAll
    void tearDown() throws Exception {
        if (s3 != null) {
            s3.stop();
        }
        if (s3dir != null) {
            try (Stream<Path> files = Files.walk(s3dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Every run of every step: the secret key is in none of what dbbackup printed. */
    @AfterEach
    void theSecretKeyIsNeverPrinted() {
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.out()).doesNotContain(SECRET_KEY);
            assertThat(r.err()).doesNotContain(SECRET_KEY);
            assertThat(r.args()).noneMatch(a -> a.contains(SECRET_KEY));
        });
    }

    private JarProcess.Result dbbackup(Map<String, String> env, String... args) {
        JarProcess.Result r = run(env, args);
        runs.add(r);
        return r;
    }

    private String url(String db) {
        return "postgresql://" + pg.user() + "@" + pg.host() + ":" + pg.port() + (db == null ? "" : "/" + db);
    }

    /** The repository named by the configuration file; the keys from the variables it names. */
    private Map<String, String> configEnv() {
        return Map.of("DBBACKUP_CONFIG", config.toString(), "OFFSITE_KEY_ID", ACCESS_KEY, "OFFSITE_SECRET", SECRET_KEY,
                "DBBACKUP_PASSWORD", pg.password());
    }

    @Test
    @Order(1)
    void backupToS3WithOptionsAndTheAwsVariables() {
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY,
                "DBBACKUP_PASSWORD", pg.password());
        JsonNode json = dbbackup(env, "backup", "--url", url(database), "--repo", "s3://" + BUCKET + "/" + PREFIX,
                "--s3-endpoint", endpoint.toString(), "--s3-path-style", "--s3-region", "us-east-1",
                "--s3-part-size-mib", "5", "--set", SET, "--tool-dir", pg.binDir().toString(), "--json")
                .expect(Main.OK).json();
        id = json.get("id").asText();
        assertThat(json.get("location").asText()).startsWith("s3://" + BUCKET + "/" + PREFIX).contains(id);
        assertThat(json.get("storedBytes").asLong()).isPositive();

        // the objects are in the bucket, under the prefix, in the documented layout
        try (S3Client client = client()) {
            List<String> keys = client.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(PREFIX + "/")).contents()
                    .stream().map(S3Object::key).toList();
            assertThat(keys).contains(PREFIX + "/" + SET + "/" + id + "/manifest.json")
                    .anyMatch(k -> k.startsWith(PREFIX + "/" + SET + "/" + id + "/data.") && k.endsWith(".zst"));
        }
    }

    @Test
    @Order(2)
    void listFromTheConfigurationFile() {
        JsonNode json = dbbackup(configEnv(), "list", "--json").expect(Main.OK).json();
        assertThat(json).hasSize(1);
        assertThat(json.get(0).get("id").asText()).isEqualTo(id);
        assertThat(json.get(0).get("set").asText()).isEqualTo(SET);
        JarProcess.Result table = dbbackup(configEnv(), "list", "--set", SET).expect(Main.OK);
        assertThat(table.out()).contains(id).contains("1 backup(s)");
    }

    @Test
    @Order(3)
    void verifyByRestoringIntoAScratchDatabase() {
        JsonNode json = dbbackup(configEnv(), "verify", "--set", SET, "--level", "restore", "--url", url(null),
                "--tool-dir", pg.binDir().toString(), "--json").expect(Main.OK).json();
        assertThat(json.get("outcome").asText()).isEqualTo("OK");
        assertThat(json.get("backupId").asText()).isEqualTo(id);
        assertThat(json.get("restoreMillis").asLong()).isPositive();
        // the verification record is stored next to the backup, in the bucket
        try (S3Client client = client()) {
            assertThat(client.listObjectsV2(b -> b.bucket(BUCKET).prefix(PREFIX + "/" + SET + "/" + id + "/verify-"))
                    .contents()).hasSize(1);
        }
    }

    @Test
    @Order(4)
    void restoreIntoANewDatabaseAndCompareTheData() {
        String target = database + "_restored";
        JsonNode json = dbbackup(configEnv(), "restore", "--set", SET, "--id", id, "--url", url(null),
                "--target-database", target, "--create", "--tool-dir", pg.binDir().toString(), "--json")
                .expect(Main.OK).json();
        assertThat(json.get("backupId").asText()).isEqualTo(id);
        assertThat(json.get("countsChecked").asInt()).isEqualTo(2);
        for (String sql : List.of("SELECT count(*) FROM orders", "SELECT count(*) FROM customers",
                "SELECT sum(hashtext(id || ':' || customer || ':' || total)) FROM orders",
                "SELECT sum(hashtext(id || ':' || name)) FROM customers")) {
            assertThat(pg.queryLong(target, sql)).as(sql).isEqualTo(pg.queryLong(database, sql));
        }
        assertThat(pg.queryLong(target, "SELECT count(*) FROM orders")).isEqualTo(20000);
    }

    @Test
    @Order(5)
    void pruneShowsTheTierSettingsPlanAndAWrongSecretIsOneClearLine() {
        JsonNode plan = dbbackup(configEnv(), "prune", "--set", SET, "--keep-daily", "7", "--s3-object-lock-mode",
                "governance", "--tier", "daily: 8d", "--tier", "monthly: STANDARD_IA, 400d", "--json")
                .expect(Main.OK).json();
        assertThat(plan.get("dryRun").asBoolean()).isTrue();
        assertThat(plan.get("decisions")).hasSize(1);
        // today's backup: its day and month are not over, so no tier asks anything of it yet
        assertThat(plan.get("decisions").get(0).has("transition")).isFalse();
        assertThat(plan.get("warnings")).isEmpty();

        Map<String, String> wrong = Map.of("DBBACKUP_CONFIG", config.toString(), "OFFSITE_KEY_ID", ACCESS_KEY,
                "OFFSITE_SECRET", SECRET_KEY + "-wrong");
        JarProcess.Result refused = dbbackup(wrong, "list");
        assertThat(refused.code()).isNotZero();
        List<String> failure = refused.err().lines().filter(l -> l.startsWith("dbbackup:")).toList();
        assertThat(failure).hasSize(1);
        assertThat(failure.get(0)).contains(BUCKET).contains("SignatureDoesNotMatch").contains("secret access key")
                .doesNotContain(SECRET_KEY);
    }
}
