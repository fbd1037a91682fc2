package io.jenkins.plugins.dbbackup.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.dbbackup.engine.repository.BackupId;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.BackupRepository;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionPolicy;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.engine.storage.Storage;
import io.jenkins.plugins.dbbackup.engine.storage.StorageFactory;
import io.jenkins.plugins.dbbackup.engine.storage.s3.S3TestServer;
import io.jenkins.plugins.dbbackup.engine.verify.VerifyLevel;
import io.jenkins.plugins.dbbackup.testsupport.MariaDbServer;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.RedisClient;
import io.jenkins.plugins.dbbackup.testsupport.RedisServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load: many concurrent backups of different sets (PostgreSQL, MariaDB and Redis in turn) into one repository, local
 * and S3, all verified afterwards; and one set of many backups, where listing and planning a prune are timed. The
 * 10,000-backup repositories are written manifest by manifest through the storage (each pointing at one real data
 * object), not by 10,000 dumps.
 *
 * <p>Sizes come from system properties so the default build runs a modest version and {@code scripts/load} the full
 * one: {@code dbbackup.load.concurrent} (default 20) and {@code dbbackup.load.backups} (default 2,000). Times are
 * measured and written to {@code target/reliability/load.md}, never asserted: this machine's load is not ours.
 */
@Tag("load")
@ExtendWith(ThrowawayServers.class)
class LoadTest {
    static final int CONCURRENT = Integer.getInteger("dbbackup.load.concurrent", 20);
    static final int BACKUPS = Integer.getInteger("dbbackup.load.backups", 2_000);
    /** A modest round trip to a real S3 endpoint in the same region. */
    static final int ROUND_TRIP_MILLIS = 10;
    /** Figures by section, written in @AfterAll. */
    static final Map<String, List<String>> FIGURES = new LinkedHashMap<>();

    static PostgresServer pg;
    static MariaDbServer maria;
    static RedisServer redis;
    static S3TestServer s3;
    static String pgDb;
    static String mariaDb;

    @TempDir
    Path dir;

    @BeforeAll
    static void servers(PostgresServer postgres) throws Exception {
        pg = postgres;
        maria = MariaDbServer.shared();
        redis = RedisServer.shared();
        s3 = S3TestServer.shared();
        pgDb = "load_" + System.nanoTime();
        pg.createDatabase(pgDb);
        pg.execute(pgDb, "CREATE TABLE t (id int PRIMARY KEY, payload text)",
                "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 2000) g");
        mariaDb = "load_" + System.nanoTime();
        maria.createDatabase(mariaDb);
        maria.execute(mariaDb, "CREATE TABLE t (id INT PRIMARY KEY, payload VARCHAR(64))",
                "INSERT INTO t SELECT seq, MD5(seq) FROM seq_1_to_2000");
        try (RedisClient c = redis.client()) {
            for (int i = 0; i < 500; i++) {
                c.command("SET", "load-" + i, "value-" + i);
            }
        }
    }

    @AfterAll
    static void writeFigures() throws IOException {
        Path out = Path.of("target", "reliability");
        Files.createDirectories(out);
        StringBuilder md = new StringBuilder();
        for (var section : FIGURES.entrySet()) {
            md.append("| ").append(section.getKey()).append(" | local | S3 (s3proxy on loopback) |\n| --- | --- | --- |\n");
            section.getValue().forEach(row -> md.append(row).append('\n'));
            md.append('\n');
        }
        md.append("_Measured by LoadTest on ").append(LocalDate.now()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPU cores, load average ")
                .append(String.format(Locale.ROOT, "%.1f",
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
                .append("._\n");
        Files.writeString(out.resolve("load.md"), md);
    }

    static synchronized void figure(String section, String what, String local, String s3) {
        FIGURES.computeIfAbsent(section, k -> new ArrayList<>()).add("| " + what + " | " + local + " | " + s3 + " |");
    }

    RepositorySpec localRepo(String name) {
        return RepositorySpec.local(dir.resolve(name));
    }

    static RepositorySpec s3Repo() {
        return new RepositorySpec("s3://" + S3TestServer.BUCKET + "/" + S3TestServer.freshPrefix(),
                S3TestServer.settings(s3.endpoint(), 5));
    }

    static BackupEngine engine() {
        return new BackupEngine(EngineOptions.defaults(), ProgressListener.NONE, Clock.systemUTC());
    }

    /** The i-th source: PostgreSQL, MariaDB and Redis in turn. */
    static DatabaseConnection source(int i) {
        return switch (i % 3) {
            case 0 -> new DatabaseConnection(DatabaseType.POSTGRESQL, pg.host(), pg.port(), pgDb, pg.user(),
                    Secret.of(pg.password()));
            case 1 -> new DatabaseConnection(DatabaseType.MARIADB, maria.host(), maria.port(), mariaDb, maria.user(),
                    Secret.of(maria.password()));
            default -> new DatabaseConnection(DatabaseType.REDIS, redis.host(), redis.port(), null, null,
                    Secret.of(redis.password()));
        };
    }

    @Test
    void concurrentBackupsOfDifferentSetsIntoOneRepositoryThenVerifyAll() throws Exception {
        String[] local = concurrentBackupsAndVerify(localRepo("concurrent"));
        String[] remote = concurrentBackupsAndVerify(s3Repo());
        figure("concurrent backups", CONCURRENT + " backups at once, wall time", local[0], remote[0]);
        figure("concurrent backups", "then " + CONCURRENT + " structure verifications at once, wall time", local[1],
                remote[1]);
    }

    /** Returns the wall times of the backups and of the verifications. */
    private String[] concurrentBackupsAndVerify(RepositorySpec repo) throws Exception {
        BackupEngine engine = engine();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<BackupResult>> runs = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                int n = i;
                runs.add(pool.submit(() -> {
                    go.await();
                    return engine.backup(BackupRequest.of(source(n), repo, String.format("set-%02d", n)));
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            List<BackupResult> results = new ArrayList<>();
            for (Future<BackupResult> run : runs) {
                results.add(run.get(10, TimeUnit.MINUTES));
            }
            long backupNanos = System.nanoTime() - start;

            List<BackupManifest> listed = engine.list(repo, null);
            assertThat(listed).hasSize(CONCURRENT);
            assertThat(listed).extracting(BackupManifest::id)
                    .containsExactlyInAnyOrderElementsOf(results.stream().map(BackupResult::id).toList());
            assertThat(listed).extracting(BackupManifest::set).doesNotHaveDuplicates();

            start = System.nanoTime();
            List<Future<VerificationRecord>> verifications = new ArrayList<>();
            for (BackupResult r : results) {
                verifications.add(pool.submit(() -> engine.verify(new VerifyRequest(repo, r.set(), r.id(),
                        VerifyLevel.STRUCTURE, null, null, true))));
            }
            for (Future<VerificationRecord> v : verifications) {
                VerificationRecord record = v.get(10, TimeUnit.MINUTES);
                assertThat(record.outcome()).as(record.set() + ": " + record.details()).isEqualTo("OK");
            }
            long verifyNanos = System.nanoTime() - start;
            CheckResult check = engine.check(repo, null, false, Duration.ofHours(1));
            assertThat(check.healthy()).as(check.findings().toString()).isTrue();
            return new String[] {seconds(backupNanos), seconds(verifyNanos)};
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void listingAndPlanningAPruneOverManyBackups() throws Exception {
        String section = String.format(Locale.ROOT, "one set of %,d backups", BACKUPS);
        synchronized (LoadTest.class) {
            FIGURES.computeIfAbsent(section, k -> new ArrayList<>()); // before the round-trip section
        }
        String[] local = manyBackups(localRepo("many"));
        String[] remote = manyBackups(s3Repo());
        figure(section, "writing the manifests (8 threads)", local[0], remote[0]);
        figure(section, "list the set's object names only (no manifest read)", local[1], remote[1]);
        figure(section, "list the names, then read and parse every manifest one after the other (before)", local[2],
                remote[2]);
        figure(section, "list the set (names, then manifests 16 at a time), first run", local[3], remote[3]);
        figure(section, "list the set, second run", local[4], remote[4]);
        figure(section, "plan a prune (dry run: list, read verifications, plan)", local[5], remote[5]);
    }

    /**
     * One real backup, then {@code BACKUPS - 1} more manifests an hour apart pointing at copies of its data object's
     * name (the data itself is not needed to list or plan), every tenth with a verification record.
     */
    private String[] manyBackups(RepositorySpec repo) throws Exception {
        BackupEngine engine = engine();
        BackupResult real = engine.backup(BackupRequest.of(source(0), repo, "many"));
        BackupManifest template = engine.list(repo, "many").get(0);
        Instant newest = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        long start = System.nanoTime();
        try (Storage storage = StorageFactory.open(repo)) {
            BackupRepository repository = new BackupRepository(storage);
            ExecutorService writers = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> writes = new ArrayList<>();
                for (int i = 1; i < BACKUPS; i++) {
                    Instant at = newest.minus(Duration.ofHours(i));
                    boolean verified = i % 10 == 1;
                    writes.add(writers.submit(() -> {
                        BackupManifest m = copy(template, BackupId.generate(at), at);
                        repository.commit(m);
                        if (verified) {
                            repository.recordVerification(new VerificationRecord(VerificationRecord.CURRENT_FORMAT,
                                    m.id(), m.set(), "checksum", "OK", List.of(), at.plusSeconds(60).toString(), 1, 0,
                                    0, null));
                        }
                        return null;
                    }));
                }
                for (Future<?> w : writes) {
                    w.get(10, TimeUnit.MINUTES);
                }
            } finally {
                writers.shutdownNow();
            }
        }
        long writeNanos = System.nanoTime() - start;
        engine.verify(new VerifyRequest(repo, "many", real.id(), VerifyLevel.CHECKSUM, null, null, true));

        start = System.nanoTime();
        int objects;
        try (Storage storage = StorageFactory.open(repo)) {
            objects = storage.list("many/").size();
        }
        long objectsNanos = System.nanoTime() - start;
        assertThat(objects).isGreaterThanOrEqualTo(BACKUPS);

        // the baseline: every manifest read and parsed one after the other, as listing did before ParallelReads
        start = System.nanoTime();
        int read = 0;
        try (Storage storage = StorageFactory.open(repo)) {
            for (var info : storage.list("many/")) {
                if (info.key().endsWith("/" + BackupRepository.MANIFEST)) {
                    io.jenkins.plugins.dbbackup.engine.repository.ManifestCodec.read(storage.read(info.key()),
                            info.key());
                    read++;
                }
            }
        }
        long serialNanos = System.nanoTime() - start;
        assertThat(read).isEqualTo(BACKUPS);

        start = System.nanoTime();
        List<BackupManifest> first = engine.list(repo, "many");
        long listNanos = System.nanoTime() - start;
        assertThat(first).hasSize(BACKUPS);
        assertThat(first.get(BACKUPS - 1).id()).isEqualTo(real.id());
        start = System.nanoTime();
        List<BackupManifest> second = engine.list(repo, "many");
        long listAgainNanos = System.nanoTime() - start;
        assertThat(second).hasSize(BACKUPS);

        RetentionPolicy policy = RetentionPolicy.builder().keepLast(3).keepDaily(7).keepWeekly(4).keepMonthly(12)
                .keepYearly(3).build();
        start = System.nanoTime();
        PruneResult plan = engine.prune(new PruneRequest(repo, "many", policy, true, "load test", null));
        long planNanos = System.nanoTime() - start;
        assertThat(plan.refusal()).isNull();
        assertThat(plan.decisions()).hasSize(BACKUPS);
        assertThat(plan.decisions().stream().filter(PruneResult.Decision::keep).count())
                .isPositive().isLessThan(BACKUPS);
        assertThat(plan.deleted()).isEmpty();
        assertThat(engine.list(repo, "many")).hasSize(BACKUPS);
        if (repo.isS3()) {
            roundTrips(repo);
        }
        return new String[] {seconds(writeNanos), seconds(objectsNanos), seconds(serialNanos), seconds(listNanos),
            seconds(listAgainNanos), seconds(planNanos)};
    }

    /**
     * The same S3 listing through a proxy that holds every request {@link #ROUND_TRIP_MILLIS} ms, as a network round
     * trip to a real endpoint would: manifests read one after the other, then the engine's listing.
     */
    private static void roundTrips(RepositorySpec direct) throws Exception {
        try (io.jenkins.plugins.dbbackup.engine.storage.s3.FaultProxy proxy =
                new io.jenkins.plugins.dbbackup.engine.storage.s3.FaultProxy(s3.endpoint())) {
            proxy.requestDelayMillis(ROUND_TRIP_MILLIS);
            RepositorySpec repo = new RepositorySpec(direct.uri(), S3TestServer.settings(proxy.endpoint(), 5));
            long start = System.nanoTime();
            int read = 0;
            try (Storage storage = StorageFactory.open(repo)) {
                for (var info : storage.list("many/")) {
                    if (info.key().endsWith("/" + BackupRepository.MANIFEST)) {
                        io.jenkins.plugins.dbbackup.engine.repository.ManifestCodec.read(storage.read(info.key()),
                                info.key());
                        read++;
                    }
                }
            }
            long serialNanos = System.nanoTime() - start;
            assertThat(read).isEqualTo(BACKUPS);
            start = System.nanoTime();
            assertThat(engine().list(repo, "many")).hasSize(BACKUPS);
            long parallelNanos = System.nanoTime() - start;
            String section = String.format(Locale.ROOT, "the same %,d backups, %d ms added to every S3 request",
                    BACKUPS, ROUND_TRIP_MILLIS);
            figure(section, "list the names, then read and parse every manifest one after the other (before)", "-",
                    seconds(serialNanos));
            figure(section, "list the set (names, then manifests 16 at a time)", "-", seconds(parallelNanos));
        }
    }

    private static BackupManifest copy(BackupManifest m, String id, Instant at) {
        return new BackupManifest(m.formatVersion(), id, m.set(), m.kind(), m.dataObject(), m.source(), m.tool(),
                at.toString(), at.plusSeconds(2).toString(), m.original(), m.stored(), m.compression(), m.encryption(),
                m.verification());
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
}
