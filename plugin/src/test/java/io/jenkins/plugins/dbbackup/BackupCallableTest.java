package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.TaskListener;
import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.io.Serial;
import org.junit.jupiter.api.Test;

/** What travels to the agent: plain serializable values, never a password in text. */
class BackupCallableTest {
    private static final String PASSWORD = "pw-7d2a51e0-do-not-print";

    private static BackupRequest request() {
        BackupDatabaseStep step = new BackupDatabaseStep();
        step.setType("postgresql");
        step.setHost("db.example");
        step.setDatabase("orders");
        step.setRepository("file:///var/backups/db");
        return step.toRequest("app", Secret.of(PASSWORD));
    }

    @Test
    void callableSurvivesSerialization() throws Exception {
        BackupCallable callable = new BackupCallable(request(), "/opt/pg/bin", new PlainListener());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(callable);
        }
        Object copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = in.readObject();
        }
        assertThat(copy).isInstanceOf(BackupCallable.class);
        BackupRequest travelled = ((BackupCallable) copy).request();
        assertThat(travelled).isEqualTo(callable.request());
        assertThat(travelled.source().password().reveal()).isEqualTo(PASSWORD);
    }

    @Test
    void textNeverShowsThePassword() {
        BackupCallable callable = new BackupCallable(request(), null, new PlainListener());
        assertThat(callable.toString())
                .doesNotContain(PASSWORD)
                .contains("postgresql://app@db.example:5432/orders")
                .contains("file:///var/backups/db")
                .contains("orders");
    }

    /** Stands in for the build listener remoting would carry. */
    private static final class PlainListener implements TaskListener {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public PrintStream getLogger() {
            return System.out;
        }
    }
}
