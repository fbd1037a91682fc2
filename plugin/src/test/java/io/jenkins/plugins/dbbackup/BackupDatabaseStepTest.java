package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.codec.Compression;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Data binding and argument checks of {@code backupDatabase}, without Jenkins. */
class BackupDatabaseStepTest {
    private static final String PASSWORD = "pw-4f1e9b2c-do-not-print";

    private static BackupDatabaseStep orders() {
        BackupDatabaseStep step = new BackupDatabaseStep();
        step.setType("postgresql");
        step.setHost("db.example");
        step.setDatabase("orders");
        step.setCredentialsId("orders-db-login");
        step.setRepository("/var/backups/db");
        return step;
    }

    @Test
    void defaultsOfAFreshStep() {
        BackupDatabaseStep step = new BackupDatabaseStep();
        assertThat(step.getType()).isNull();
        assertThat(step.getHost()).isNull();
        assertThat(step.getPort()).isZero();
        assertThat(step.getDatabase()).isNull();
        assertThat(step.getCredentialsId()).isNull();
        assertThat(step.getRepository()).isNull();
        assertThat(step.getSet()).isNull();
        assertThat(step.getCompression()).isEqualTo("zstd");
        assertThat(step.getCompressionLevel()).isZero();
    }

    @Test
    void settersNormalizeWhatTheyAccept() {
        BackupDatabaseStep step = new BackupDatabaseStep();
        step.setType(" Postgres ");
        assertThat(step.getType()).isEqualTo("postgresql");
        step.setType("MySQL");
        assertThat(step.getType()).isEqualTo("mariadb");
        step.setCompression("GZIP");
        assertThat(step.getCompression()).isEqualTo("gzip");
        step.setCompression("");
        assertThat(step.getCompression()).isEqualTo("zstd");
        step.setHost("  ");
        step.setDatabase("");
        step.setCredentialsId(" ");
        step.setSet("");
        step.setType("");
        assertThat(step.getHost()).isNull();
        assertThat(step.getDatabase()).isNull();
        assertThat(step.getCredentialsId()).isNull();
        assertThat(step.getSet()).isNull();
        assertThat(step.getType()).isNull();
        step.setSet(" orders-db ");
        assertThat(step.getSet()).isEqualTo("orders-db");
    }

    @Test
    void settersRejectWhatCanNeverWork() {
        BackupDatabaseStep step = new BackupDatabaseStep();
        assertThatThrownBy(() -> step.setType("oracle"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("oracle")
                .hasMessageContaining("postgresql");
        assertThatThrownBy(() -> step.setPort(70000)).hasMessageContaining("70000");
        assertThatThrownBy(() -> step.setPort(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> step.setCompression("lz4")).hasMessageContaining("valid values are: none, gzip, zstd");
        assertThatThrownBy(() -> step.setCompressionLevel(20)).hasMessageContaining("20");
        assertThatThrownBy(() -> step.setSet("../etc")).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> step.setRepository("relative/dir")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requestFromArguments() {
        BackupRequest request = orders().toRequest("app", Secret.of(PASSWORD));
        assertThat(request.source().type()).isEqualTo(DatabaseType.POSTGRESQL);
        assertThat(request.source().port()).isEqualTo(5432);
        assertThat(request.source().describe()).isEqualTo("postgresql://app@db.example:5432/orders");
        assertThat(request.source().password().reveal()).isEqualTo(PASSWORD);
        assertThat(request.repository().uri()).isEqualTo("file:///var/backups/db");
        assertThat(request.set()).isEqualTo("orders");
        assertThat(request.compression().algorithm()).isEqualTo(Compression.ZSTD);
        assertThat(request.compression().level()).isEqualTo(3);
        assertThat(request.encryption().enabled()).isFalse();
    }

    @Test
    void directoryFormatWithJobs() {
        BackupDatabaseStep step = orders();
        assertThat(step.getPgFormat()).isEqualTo("custom");
        assertThat(step.toRequest("app", null).dump().directory()).isFalse();
        step.setJobs(4);
        assertThatThrownBy(() -> step.toRequest("app", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jobs 4 needs pgFormat: 'directory'");
        step.setPgFormat("directory");
        BackupRequest request = step.toRequest("app", null);
        assertThat(request.dump().directory()).isTrue();
        assertThat(request.dump().jobs()).isEqualTo(4);
        step.setType("mariadb");
        assertThatThrownBy(() -> step.toRequest("app", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PostgreSQL only");
        assertThatThrownBy(() -> step.setPgFormat("tar")).hasMessageContaining("pgFormat 'tar' is unknown");
        assertThatThrownBy(() -> step.setJobs(65)).hasMessageContaining("jobs 65 is out of range: use 1 to 64");
    }

    @Test
    void explicitPortSetAndCompression() {
        BackupDatabaseStep step = orders();
        step.setType("mariadb");
        step.setPort(13306);
        step.setSet("orders-nightly");
        step.setCompression("gzip");
        BackupRequest request = step.toRequest("app", null);
        assertThat(request.source().port()).isEqualTo(13306);
        assertThat(request.set()).isEqualTo("orders-nightly");
        assertThat(request.compression().algorithm()).isEqualTo(Compression.GZIP);
        assertThat(request.compression().level()).isEqualTo(6);
        step.setCompressionLevel(9);
        assertThat(step.toRequest("app", null).compression().level()).isEqualTo(9);
        step.setCompressionLevel(12);
        assertThatThrownBy(() -> step.toRequest("app", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too high for gzip");
    }

    @Test
    void missingArgumentsAreNamed() {
        BackupDatabaseStep noType = orders();
        noType.setType(null);
        assertThatThrownBy(() -> noType.toRequest(null, null)).hasMessageContaining("type is missing");
        BackupDatabaseStep noRepository = orders();
        noRepository.setRepository(null);
        assertThatThrownBy(() -> noRepository.toRequest(null, null)).hasMessageContaining("repository is missing");
        BackupDatabaseStep noHost = orders();
        noHost.setHost(null);
        assertThatThrownBy(() -> noHost.toRequest(null, null)).hasMessageContaining("host is missing");
        BackupDatabaseStep noDatabase = orders();
        noDatabase.setDatabase(null);
        assertThatThrownBy(() -> noDatabase.toRequest(null, null)).hasMessageContaining("database is missing");
    }

    @Test
    void requestTextNeverShowsThePassword() {
        BackupRequest request = orders().toRequest("app", Secret.of(PASSWORD));
        assertThat(request.toString()).doesNotContain(PASSWORD);
        assertThat(request.source().toString()).doesNotContain(PASSWORD);
    }

    @Test
    void argumentsToStringShowsNoSecrets() {
        Map<String, Object> args = new HashMap<>();
        args.put("type", "postgresql");
        args.put("host", "db.internal.example");
        args.put("credentialsId", "orders-db-login");
        args.put("password", PASSWORD); // not an argument, but whatever a caller passes must not show
        assertThat(BackupDatabaseStep.describeArguments(args)).isEqualTo("postgresql");
        args.put("database", "orders");
        assertThat(BackupDatabaseStep.describeArguments(args)).isEqualTo("orders");
        args.put("set", "orders-nightly");
        assertThat(BackupDatabaseStep.describeArguments(args)).isEqualTo("orders-nightly");
        assertThat(BackupDatabaseStep.describeArguments(Map.of("credentialsId", "x", "host", "h")))
                .isNull();
    }

    @Test
    void bytesForPeople() {
        assertThat(Bytes.human(0)).isEqualTo("0 B");
        assertThat(Bytes.human(1023)).isEqualTo("1023 B");
        assertThat(Bytes.human(1536)).isEqualTo("1.5 KiB");
        assertThat(Bytes.human(5L * 1024 * 1024 * 1024)).isEqualTo("5.0 GiB");
    }
}
