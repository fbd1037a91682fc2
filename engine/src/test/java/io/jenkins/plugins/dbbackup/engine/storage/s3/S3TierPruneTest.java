package io.jenkins.plugins.dbbackup.engine.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.dbbackup.engine.BackupEngine;
import io.jenkins.plugins.dbbackup.engine.EngineOptions;
import io.jenkins.plugins.dbbackup.engine.PruneRequest;
import io.jenkins.plugins.dbbackup.engine.PruneResult;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec.S3Settings;
import io.jenkins.plugins.dbbackup.engine.repository.BackupId;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.BackupRepository;
import io.jenkins.plugins.dbbackup.engine.repository.VerificationRecord;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionPolicy;
import io.jenkins.plugins.dbbackup.engine.retention.TierSettings;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.engine.storage.s3.FaultProxy.Request;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Prune through the engine's facade on an S3 repository with the tier settings (dailies locked 8 days,
 * monthlies STANDARD_IA locked 400 days), one backup a day from 29 October to 30 November 2026, "now" at noon on
 * 30 November, keeping 7 dailies and 3 monthlies. s3proxy stores the backups; the proxy in front of it answers what
 * s3proxy does not do (an in-place CopyObject, PutObjectRetention, HEAD with a lock, a delete refused by a lock) and
 * records every request.
 */
class S3TierPruneTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final RetentionPolicy POLICY = RetentionPolicy.builder().keepDaily(7).keepMonthly(3).build();
    private static final Pattern RETAIN_UNTIL = Pattern.compile("<RetainUntilDate>([^<]+)</RetainUntilDate>");
    private static S3TestServer server;
    private static FaultProxy proxy;

    private String prefix;
    private final Map<String, String> ids = new ConcurrentHashMap<>(); // day (2026-11-24) -> id
    private final List<String> log = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = S3TestServer.shared();
        proxy = new FaultProxy(server.endpoint());
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @BeforeEach
    void oneBackupADay() throws IOException {
        proxy.reset();
        prefix = S3TestServer.freshPrefix();
        try (S3Storage storage = S3TestServer.storage(server.endpoint(), prefix, S3TestServer.testOptions())) {
            BackupRepository repository = new BackupRepository(storage);
            for (LocalDate day = LocalDate.of(2026, 10, 29); !day.isAfter(LocalDate.of(2026, 11, 30));
                    day = day.plusDays(1)) {
                String at = day + "T02:00:00Z";
                String id = BackupId.generate(Instant.parse(at));
                BackupManifest m = new BackupManifest(1, id, "orders", "postgresql-custom", "data.pgdump.zst",
                        new BackupManifest.Source("postgresql", "db", 5432, "orders", "u", "15.18"),
                        new BackupManifest.Tool("pg_dump", "15.18"), at, at,
                        new BackupManifest.Content(5000, "aa"), new BackupManifest.Content(10, "bb"),
                        new BackupManifest.CompressionInfo("zstd", 3), null,
                        new BackupManifest.VerificationData(Map.of("public.t", 1L), null, "exported-snapshot"));
                storage.put(BackupRepository.dataKey(m), new byte[10]);
                repository.commit(m);
                ids.put(day.toString(), id);
            }
            repository.recordVerification(new VerificationRecord(1, ids.get("2026-11-30"), "orders", "checksum", "OK",
                    List.of(), NOW.minusSeconds(60).toString(), 1, 0, 0, null));
        }
    }

    private RepositorySpec spec() {
        S3Settings s = new S3Settings("us-east-1", proxy.endpoint().toString(), true, S3TestServer.ACCESS_KEY,
                Secret.of(S3TestServer.SECRET_KEY), null, null, null, null, "GOVERNANCE", 0, 5); // no lock at upload
        return new RepositorySpec("s3://" + S3TestServer.BUCKET + "/" + prefix, s,
                TierSettings.parse("daily: 8d; monthly: STANDARD_IA, 400d"));
    }

    private PruneResult prune(boolean dryRun) throws IOException {
        return new BackupEngine(EngineOptions.defaults(), log::add, Clock.fixed(NOW, ZoneOffset.UTC))
                .prune(new PruneRequest(spec(), "orders", POLICY, dryRun, "test", null));
    }

    private PruneResult.Decision decision(PruneResult result, String day) {
        return result.decisions().stream().filter(d -> d.id().equals(ids.get(day))).findFirst().orElseThrow();
    }

    private static boolean isCopy(Request r) {
        return r.header("x-amz-copy-source") != null;
    }

    private static boolean isRetention(Request r) {
        return r.method().equals("PUT") && r.target().contains("?retention");
    }

    /** Answers copies and retention requests, which s3proxy does not do, and remembers what they set. */
    private static final class FakeLocks {
        final Map<String, String> storageClass = new ConcurrentHashMap<>();
        final Map<String, String> retainUntil = new ConcurrentHashMap<>();
        final Map<String, Request> retention = new ConcurrentHashMap<>();

        /** Takes the retain-until dates from the bodies of the retention requests seen so far. */
        void settle() {
            retention.forEach((path, request) -> {
                String body = proxy.body(request);
                if (body != null) {
                    Matcher m = RETAIN_UNTIL.matcher(body);
                    retainUntil.put(path, m.find() ? m.group(1) : "?");
                    retention.remove(path);
                }
            });
        }

        FaultProxy.Action decide(Request r, int attempt) {
            String path = r.target().replaceFirst("\\?.*", "");
            if (isCopy(r)) {
                storageClass.put(path, r.header("x-amz-storage-class"));
                retainUntil.put(path, r.header("x-amz-object-lock-retain-until-date"));
                return new FaultProxy.Respond(200, Map.of("Content-Type", "application/xml"),
                        "<CopyObjectResult><ETag>\"0123\"</ETag><LastModified>2026-11-30T12:00:00.000Z</LastModified>"
                                + "</CopyObjectResult>");
            }
            if (isRetention(r)) {
                retention.put(path, r); // its body is read after this decision
                return new FaultProxy.Respond(200, Map.of(), "");
            }
            settle();
            if (r.method().equals("HEAD") && retainUntil.containsKey(path)) {
                // what S3 reports after the transition: the class and the lock
                return new FaultProxy.Respond(200, Map.of("Content-Length", "10", "ETag", "\"0123\"",
                        "Last-Modified", "Mon, 30 Nov 2026 12:00:00 GMT",
                        "x-amz-storage-class", storageClass.getOrDefault(path, "STANDARD"),
                        "x-amz-object-lock-mode", "GOVERNANCE",
                        "x-amz-object-lock-retain-until-date", retainUntil.get(path)), "");
            }
            return FaultProxy.FORWARD;
        }
    }

    @Test
    void theDryRunShowsEachBackupsTransitionAndChangesNothing() throws IOException {
        PruneResult result = prune(true);
        PruneResult.Transition monthly = decision(result, "2026-10-31").transition();
        assertThat(monthly.tiers()).containsExactly("monthly");
        assertThat(monthly.storageClass()).isEqualTo("STANDARD_IA");
        assertThat(monthly.retainUntil()).isEqualTo("2027-12-05T02:00:00Z");
        assertThat(monthly.outcome()).isEqualTo("planned");
        assertThat(monthly.changes()).containsExactlyInAnyOrder(
                "data.pgdump.zst: storage class STANDARD -> STANDARD_IA",
                "data.pgdump.zst: locked until 2027-12-05T02:00:00Z (GOVERNANCE, was not locked)",
                "manifest.json: storage class STANDARD -> STANDARD_IA",
                "manifest.json: locked until 2027-12-05T02:00:00Z (GOVERNANCE, was not locked)");
        PruneResult.Transition daily = decision(result, "2026-11-24").transition();
        assertThat(daily.tiers()).containsExactly("daily");
        assertThat(daily.storageClass()).isNull();
        assertThat(daily.retainUntil()).isEqualTo("2026-12-02T02:00:00Z");
        // today's backup is this month's and today's only until a newer one comes: nothing yet
        assertThat(decision(result, "2026-11-30").transition()).isNull();
        assertThat(decision(result, "2026-11-23").keep()).isFalse();
        assertThat(decision(result, "2026-11-23").transition()).isNull();
        @SuppressWarnings("unchecked")
        Map<String, Object> json = ((List<Map<String, Object>>) result.toMap().get("decisions")).stream()
                .filter(d -> d.get("id").equals(ids.get("2026-10-31"))).findFirst().orElseThrow();
        assertThat(json.get("transition")).isInstanceOf(Map.class);
        assertThat(proxy.count(r -> isCopy(r) || isRetention(r))).isZero();
        assertThat(proxy.count(r -> r.method().equals("DELETE"))).isZero();
    }

    @Test
    void applyCopiesTheMonthlyExtendsTheDailiesLocksAndASecondPruneDoesNothingAgain() throws IOException {
        FakeLocks store = new FakeLocks();
        proxy.rule(store::decide);
        PruneResult result = prune(false);

        assertThat(result.warnings()).isEmpty();
        assertThat(result.deleted()).hasSize(25);
        assertThat(decision(result, "2026-10-31").transition().outcome()).isEqualTo("applied");
        List<Request> copies = proxy.requests().stream().filter(S3TierPruneTest::isCopy).toList();
        assertThat(copies).hasSize(2).allSatisfy(c -> {
            assertThat(c.target()).contains(ids.get("2026-10-31"));
            assertThat(c.header("x-amz-storage-class")).isEqualTo("STANDARD_IA");
            assertThat(c.header("x-amz-metadata-directive")).isEqualTo("COPY");
            assertThat(c.header("x-amz-object-lock-mode")).isEqualTo("GOVERNANCE");
            assertThat(Instant.parse(c.header("x-amz-object-lock-retain-until-date")))
                    .isEqualTo(Instant.parse("2027-12-05T02:00:00Z"));
        });
        List<Request> locks = proxy.requests().stream().filter(S3TierPruneTest::isRetention).toList();
        assertThat(locks).hasSize(12); // data and manifest of the six finished days 24..29 November
        for (int day = 24; day <= 29; day++) {
            String id = ids.get("2026-11-" + day);
            String until = "2026-12-" + String.format("%02d", day - 22) + "T02:00:00"; // 8 days after the backup
            assertThat(locks).filteredOn(r -> r.target().contains(id)).hasSize(2).allSatisfy(r -> assertThat(
                    proxy.body(r)).contains("<Mode>GOVERNANCE</Mode>").contains(until));
        }
        assertThat(proxy.count(r -> r.target().contains(ids.get("2026-11-30")) && (isCopy(r) || isRetention(r))))
                .isZero();

        // the store now reports the classes and locks (HEAD): the next prune finds everything in place
        store.settle();
        proxy.reset();
        proxy.rule(store::decide);
        PruneResult again = prune(false);
        assertThat(proxy.count(r -> isCopy(r) || isRetention(r))).isZero();
        assertThat(decision(again, "2026-10-31").transition().outcome()).isEqualTo("already applied");
        assertThat(decision(again, "2026-11-24").transition().outcome()).isEqualTo("already applied");
        assertThat(again.deleted()).isEmpty();
    }

    @Test
    void aDeleteRefusedByALockIsReportedAndThePruneCarriesOn() throws IOException {
        String lockedId = ids.get("2026-10-29");
        FakeLocks store = new FakeLocks();
        proxy.rule((r, n) -> r.method().equals("DELETE") && r.target().contains(lockedId + "/data.pgdump.zst")
                ? FaultProxy.fail(403, "AccessDenied", "Object is WORM protected and cannot be overwritten")
                : store.decide(r, n));
        PruneResult result = prune(false);

        assertThat(result.keptByLock()).containsExactly(lockedId);
        assertThat(result.deleted()).hasSize(24).doesNotContain(lockedId);
        assertThat(result.warnings()).singleElement().asString()
                .contains("orders/" + lockedId + " is partly deleted")
                .contains("retention lock")
                .contains("WORM")
                .doesNotContain(S3TestServer.SECRET_KEY);
        assertThat(log).anyMatch(l -> l.contains("WARNING") && l.contains(lockedId));

        // still locked: the next prune says so again and does not fail
        PruneResult again = prune(false);
        assertThat(again.warnings()).singleElement().asString().contains(lockedId);
        assertThat(again.finishedDeletions()).isEmpty();

        // the lock ended: the next prune finishes the deletion
        proxy.rule(store::decide);
        assertThat(prune(false).finishedDeletions()).containsExactly(lockedId);
    }
}
