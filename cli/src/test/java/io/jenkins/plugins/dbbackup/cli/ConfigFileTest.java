package io.jenkins.plugins.dbbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    @TempDir
    Path dir;

    /** The example of docs/cli.md, kept in step with it. */
    static final String EXAMPLE = """
            databases:
              - name: orders
                type: postgresql
                host: db1.example.com
                port: 5432
                database: orders
                user: backup
                passwordFile: secrets/orders.pw
                set: orders-db
              - name: cache
                type: redis
                host: cache1.example.com
                passwordEnv: CACHE_PASSWORD
            repositories:
              - name: local
                uri: file:///var/backups/db
              - name: offsite
                uri: s3://acme-backups/db
                region: eu-central-1
                storageClass: STANDARD_IA
                sse: aws:kms
                kmsKeyId: alias/backups
                objectLockMode: GOVERNANCE
                objectLockDays: 30
                partSizeMiB: 64
                accessKeyIdEnv: OFFSITE_KEY_ID
                secretAccessKeyEnv: OFFSITE_SECRET
                tiers:
                  daily: 8d
                  monthly: STANDARD_IA, 400d
            keys:
              - name: ops
                publicKeyFile: /etc/dbbackup/ops.pub.asc
                secretKeyFile: /secure/ops.sec.asc
                keyPassphraseEnv: OPS_KEY_PASSPHRASE
            defaults:
              database: orders
              repository: offsite
              keys: [ops]
              retention:
                keepDaily: 7
                keepWeekly: 4
                keepMonthly: 12
            """;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("dbbackup.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void readsTheDocumentedExample() throws IOException {
        ConfigFile config = ConfigFile.load(write(EXAMPLE));
        ConfigFile.DatabaseEntry orders = config.database("orders");
        assertThat(orders).isEqualTo(new ConfigFile.DatabaseEntry("orders", "postgresql", "db1.example.com", 5432,
                "orders", "backup", dir.resolve("secrets/orders.pw"), null, "orders-db"));
        assertThat(config.database("cache").passwordEnv()).isEqualTo("CACHE_PASSWORD");
        ConfigFile.RepositoryEntry offsite = config.repository("offsite");
        assertThat(offsite.uri()).isEqualTo("s3://acme-backups/db");
        assertThat(offsite.objectLockDays()).isEqualTo(30);
        assertThat(offsite.partSizeMiB()).isEqualTo(64);
        assertThat(offsite.secretAccessKeyEnv()).isEqualTo("OFFSITE_SECRET");
        assertThat(config.key("ops").secretKeyFile()).isEqualTo(Path.of("/secure/ops.sec.asc"));
        assertThat(config.defaults().keys()).isEqualTo(List.of("ops"));
        assertThat(config.defaults().retention()).isEqualTo(Map.of("keepDaily", "7", "keepWeekly", "4",
                "keepMonthly", "12"));
    }

    @Test
    void anEmptyFileIsAnEmptyConfiguration() throws IOException {
        ConfigFile config = ConfigFile.load(write(""));
        assertThat(config.databases()).isEmpty();
        assertThat(config.defaults().database()).isNull();
    }

    @Test
    void inlineSecretsAreRefusedWithoutShowingThem() throws IOException {
        for (String yaml : List.of(
                "databases:\n  - name: a\n    type: postgresql\n    password: Sup3rS3cretPw\n",
                "keys:\n  - name: k\n    passphrase: Sup3rS3cretPw\n",
                "keys:\n  - name: k\n    secretKeyFile: /k\n    keyPassphrase: Sup3rS3cretPw\n",
                "repositories:\n  - name: r\n    uri: s3://b/p\n    secretAccessKey: Sup3rS3cretPw\n")) {
            Path file = write(yaml);
            assertThatThrownBy(() -> ConfigFile.load(file))
                    .isInstanceOf(UsageException.class)
                    .hasMessageContaining("inline")
                    .hasMessageContaining("Env")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Sup3rS3cretPw"));
        }
    }

    @Test
    void anEnvFieldMustNameAVariable() throws IOException {
        Path file = write("databases:\n  - name: a\n    type: redis\n    passwordEnv: 'Sup3r S3cret!'\n");
        assertThatThrownBy(() -> ConfigFile.load(file)).isInstanceOf(UsageException.class)
                .hasMessageContaining("databases[a].passwordEnv must name an environment variable")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Sup3r"));
    }

    @Test
    void problemsNameTheirPlace() throws IOException {
        assertThatThrownBy(() -> ConfigFile.load(write("databases:\n  - name: a\n    hots: x\n")))
                .hasMessageContaining("databases[0].hots is not a known field");
        assertThatThrownBy(() -> ConfigFile.load(write("databases:\n  - type: redis\n")))
                .hasMessageContaining("databases[0].name is missing");
        assertThatThrownBy(() -> ConfigFile.load(write("databases:\n  - name: a\n    port: many\n")))
                .hasMessageContaining("databases[a].port must be a whole number");
        assertThatThrownBy(() -> ConfigFile.load(write("repositories:\n  - name: r\n")))
                .hasMessageContaining("repositories[r].uri is missing");
        assertThatThrownBy(() -> ConfigFile.load(write("defaults:\n  repository: nowhere\n")))
                .hasMessageContaining("defaults.repository names 'nowhere'");
        assertThatThrownBy(() -> ConfigFile.load(write("databases:\n  - name: a\n  - name: a\n")))
                .hasMessageContaining("databases[a].name is defined twice");
        assertThatThrownBy(() -> ConfigFile.load(write("databases: [\n"))).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> ConfigFile.load(write("a: 1\na: 2\n"))).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> ConfigFile.load(dir.resolve("missing.yaml"))).hasMessageContaining("does not exist");
    }

    @Test
    void unknownEntriesNameWhatExists() throws IOException {
        ConfigFile config = ConfigFile.load(write(EXAMPLE));
        assertThatThrownBy(() -> config.database("billing")).isInstanceOf(UsageException.class)
                .hasMessageContaining("no database named 'billing'").hasMessageContaining("orders");
        assertThatThrownBy(() -> ConfigFile.empty().repository("offsite"))
                .hasMessageContaining("--config FILE");
    }
}
