package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.TaskListener;
import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import io.jenkins.plugins.dbbackup.testsupport.PostgresServer;
import io.jenkins.plugins.dbbackup.testsupport.ThrowawayServers;
import java.io.PrintStream;
import java.io.Serial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stop button: Jenkins interrupts the step's thread, which runs the callable (remoting carries the interrupt to
 * the agent). The callable must end promptly with an {@link InterruptedException} and leave no manifest.
 */
@ExtendWith(ThrowawayServers.class)
class AbortTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void interruptingABackupStopsItAndLeavesNoManifest(PostgresServer pg) throws Exception {
        String db = "abort_" + ProcessHandle.current().pid();
        pg.createDatabase(db);
        pg.execute(db, "CREATE TABLE big (id int, payload text)",
                "INSERT INTO big SELECT g, md5(g::text) || md5((g + 1)::text) || md5((g + 2)::text)"
                        + " FROM generate_series(1, 600000) g");
        BackupDatabaseStep step = new BackupDatabaseStep();
        step.setType("postgresql");
        step.setHost(pg.host());
        step.setPort(pg.port());
        step.setDatabase(db);
        step.setCompression("gzip"); // slow on purpose: the backup is still running when it is interrupted
        step.setCompressionLevel(9);
        step.setRepository(dir.resolve("repo").toString());
        BackupRequest request = step.toRequest(pg.user(), Secret.of(pg.password()));
        CountDownLatch started = new CountDownLatch(1);
        TaskListener listener = new LatchListener(started);
        BackupCallable callable = new BackupCallable(request, null, listener);

        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                callable.invoke(dir.toFile(), null);
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "step execution");
        worker.start();
        assertThat(started.await(60, TimeUnit.SECONDS)).as("the engine logged its first line").isTrue();
        Thread.sleep(500);
        worker.interrupt();
        worker.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(worker.isAlive()).as("the backup ended within 30 s of the interrupt").isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        try (Stream<Path> files = Files.walk(dir.resolve("repo"))) {
            assertThat(files.filter(f -> f.getFileName().toString().equals("manifest.json"))).isEmpty();
        }
        pg.dropDatabase(db);
    }

    /** Opens the latch on the engine's first log line. */
    private static final class LatchListener implements TaskListener {
        @Serial
        private static final long serialVersionUID = 1L;

        private final transient CountDownLatch started;

        LatchListener(CountDownLatch started) {
            this.started = started;
        }

        @Override
        public PrintStream getLogger() {
            return new PrintStream(System.out, true) {
                @Override
                public void println(String line) {
                    super.println(line);
                    started.countDown();
                }
            };
        }
    }
}
