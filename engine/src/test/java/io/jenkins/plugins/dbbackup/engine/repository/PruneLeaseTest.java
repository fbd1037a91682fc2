package io.jenkins.plugins.dbbackup.engine.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.storage.LocalStorage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruneLeaseTest {
    @TempDir
    Path dir;

    static Clock at(String time) {
        return Clock.fixed(Instant.parse(time), ZoneOffset.UTC);
    }

    @Test
    void aHeldLeaseNamesItsHolder() throws Exception {
        LocalStorage storage = new LocalStorage(dir);
        try (PruneLease lease = PruneLease.acquire(storage, "orders", "jenkins#12", Duration.ofMinutes(30),
                at("2026-11-22T02:00:00Z"))) {
            assertThat(lease.content().holder()).isEqualTo("jenkins#12");
            assertThatThrownBy(() -> PruneLease.acquire(storage, "orders", "alice@laptop", Duration.ofMinutes(30),
                    at("2026-11-22T02:10:00Z")))
                    .isInstanceOf(PruneLease.HeldException.class)
                    .hasMessageContaining("held by jenkins#12").hasMessageContaining("2026-11-22T02:30:00Z");
            // another set is independent
            PruneLease.acquire(storage, "users", "alice", Duration.ofMinutes(1), at("2026-11-22T02:10:00Z")).close();
        }
        assertThat(PruneLease.current(storage, "orders")).isEmpty();
    }

    @Test
    void aStaleLeaseIsTakenOver() throws Exception {
        LocalStorage storage = new LocalStorage(dir);
        PruneLease.acquire(storage, "orders", "crashed", Duration.ofMinutes(5), at("2026-11-22T02:00:00Z"));
        try (PruneLease lease = PruneLease.acquire(storage, "orders", "next", Duration.ofMinutes(5),
                at("2026-11-22T02:06:00Z"))) {
            assertThat(PruneLease.current(storage, "orders")).get().extracting(PruneLease.Content::holder)
                    .isEqualTo("next");
        }
    }

    @Test
    void releasingDoesNotRemoveSomeoneElsesLease() throws Exception {
        LocalStorage storage = new LocalStorage(dir);
        PruneLease old = PruneLease.acquire(storage, "orders", "slow", Duration.ofMinutes(5), at("2026-11-22T02:00:00Z"));
        PruneLease taker = PruneLease.acquire(storage, "orders", "taker", Duration.ofMinutes(5), at("2026-11-22T03:00:00Z"));
        old.close();
        assertThat(PruneLease.current(storage, "orders")).get().extracting(PruneLease.Content::holder).isEqualTo("taker");
        taker.close();
    }

    @Test
    void ofManyRacingPrunesExactlyOneWins() throws Exception {
        LocalStorage storage = new LocalStorage(dir);
        int n = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<String> winners = new CopyOnWriteArrayList<>();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String me = "p" + i;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    PruneLease.acquire(storage, "orders", me, Duration.ofMinutes(5), Clock.systemUTC());
                    winners.add(me);
                } catch (PruneLease.HeldException expected) {
                    // lost the race
                } catch (Exception e) {
                    winners.add("error " + e);
                }
            });
            t.start();
            threads.add(t);
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(winners).hasSize(1).allMatch(w -> w.startsWith("p"));
    }
}
