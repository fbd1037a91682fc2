package io.jenkins.plugins.dbbackup;

import java.util.List;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The Snippet Generator and the data binding agree for every step: each step, with every argument away from its
 * default, survives the configuration form ({@code StepConfigTester.configRoundTrip}) and the Groovy snippet
 * ({@code SnippetizerTester.assertRoundTrip}: the expected text, parsed back into an equal step). Snippets list the
 * arguments in alphabetical order and leave out those at their defaults.
 *
 * <p>Real plugin build only (src/test-jenkins, tag {@code jenkins}): the two testers come from the test jars of
 * workflow-step-api and workflow-cps, which are not in the API tables.
 */
@Tag("jenkins")
@WithJenkins
class StepRoundTripTest {
    private static final String ID = "20261122T020000Z-3f9a1c2b";

    private JenkinsRule j;

    @BeforeEach
    void credentials(JenkinsRule j) throws Exception {
        this.j = j;
        // the credential drop-downs list these, so the forms keep the ids without "- current -" entries
        Seed.login("pg-login", "backup", "not-a-real-password-1");
        Seed.secretText("redis-password", "not-a-real-password-2");
        Seed.secretText("team-key", "-----BEGIN PGP PUBLIC KEY BLOCK-----");
        Seed.secretText("ops-key", "-----BEGIN PGP PUBLIC KEY BLOCK-----");
        Seed.secretText("team-secret-key", "-----BEGIN PGP PRIVATE KEY BLOCK-----");
        Seed.secretText("team-key-passphrase", "not-a-real-password-3");
        Seed.secretText("backup-passphrase", "not-a-real-password-4");
    }

    @Test
    void backupDatabase() throws Exception {
        BackupDatabaseStep s = new BackupDatabaseStep();
        s.setType("postgresql");
        s.setHost("db1.example");
        s.setPort(6432);
        s.setDatabase("orders");
        s.setCredentialsId("pg-login");
        s.setRepository("/var/backups/db");
        s.setSet("orders-db");
        s.setCompression("gzip");
        s.setCompressionLevel(9);
        s.setEncryptTo(List.of("team-key", "ops-key"));
        s.setPassphraseCredentialsId("backup-passphrase");
        assertRoundTrips(s, "backupDatabase compression: 'gzip', compressionLevel: 9, credentialsId: 'pg-login',"
                + " database: 'orders', encryptTo: ['team-key', 'ops-key'], host: 'db1.example',"
                + " passphraseCredentialsId: 'backup-passphrase', port: 6432, repository: '/var/backups/db',"
                + " set: 'orders-db', type: 'postgresql'");

        // names from the global configuration: no type, which the form must leave empty (not its first choice)
        BackupDatabaseStep named = new BackupDatabaseStep();
        named.setConnection("orders");
        named.setRepositoryName("offsite");
        assertRoundTrips(named, "backupDatabase connection: 'orders', repositoryName: 'offsite'");
    }

    @Test
    void backupRedis() throws Exception {
        BackupRedisStep s = new BackupRedisStep("cache.example");
        s.setPort(6380);
        s.setCredentialsId("redis-password");
        s.setRepositoryName("offsite");
        s.setSet("sessions");
        s.setCompression("none");
        s.setEncryptTo(List.of("team-key"));
        assertRoundTrips(s, "backupRedis compression: 'none', credentialsId: 'redis-password', encryptTo: ['team-key'],"
                + " host: 'cache.example', port: 6380, repositoryName: 'offsite', set: 'sessions'");
        assertRoundTrips(new BackupRedisStep("cache.example"), "backupRedis 'cache.example'");
    }

    @Test
    void verifyBackup() throws Exception {
        VerifyBackupStep s = new VerifyBackupStep("orders-db");
        s.setRepository("/var/backups/db");
        s.setId(ID);
        s.setLevel("restore");
        s.setScratchType("postgresql");
        s.setScratchHost("scratch.example");
        s.setScratchPort(5433);
        s.setScratchCredentialsId("pg-login");
        s.setSecretKeyCredentialsId("team-secret-key");
        s.setSecretKeyPassphraseCredentialsId("team-key-passphrase");
        s.setFailOnMismatch(false);
        s.setRecord(false);
        assertRoundTrips(s, "verifyBackup failOnMismatch: false, id: '" + ID + "', level: 'restore', record: false,"
                + " repository: '/var/backups/db', scratchCredentialsId: 'pg-login', scratchHost: 'scratch.example',"
                + " scratchPort: 5433, scratchType: 'postgresql', secretKeyCredentialsId: 'team-secret-key',"
                + " secretKeyPassphraseCredentialsId: 'team-key-passphrase', set: 'orders-db'");

        VerifyBackupStep named = new VerifyBackupStep("orders-db");
        named.setRepositoryName("offsite");
        named.setLevel("structure");
        named.setScratchConnection("scratch-pg");
        named.setPassphraseCredentialsId("backup-passphrase");
        assertRoundTrips(named, "verifyBackup level: 'structure', passphraseCredentialsId: 'backup-passphrase',"
                + " repositoryName: 'offsite', scratchConnection: 'scratch-pg', set: 'orders-db'");
    }

    @Test
    void restoreDatabase() throws Exception {
        RestoreDatabaseStep s = new RestoreDatabaseStep("orders-db");
        s.setRepository("/var/backups/db");
        s.setId(ID);
        s.setType("postgresql");
        s.setHost("db1.example");
        s.setPort(6432);
        s.setCredentialsId("pg-login");
        s.setTargetDatabase("orders_restored");
        s.setClean(true);
        s.setSafetyBackup(false);
        s.setJobs(4);
        assertRoundTrips(s, "restoreDatabase clean: true, credentialsId: 'pg-login', host: 'db1.example', id: '" + ID
                + "', jobs: 4, port: 6432, repository: '/var/backups/db', safetyBackup: false, set: 'orders-db',"
                + " targetDatabase: 'orders_restored', type: 'postgresql'");

        RestoreDatabaseStep named = new RestoreDatabaseStep("orders-db");
        named.setRepositoryName("offsite");
        named.setConnection("orders");
        named.setTargetDatabase("orders_restored");
        named.setCreate(true);
        named.setSecretKeyCredentialsId("team-secret-key");
        assertRoundTrips(named, "restoreDatabase connection: 'orders', create: true, repositoryName: 'offsite',"
                + " secretKeyCredentialsId: 'team-secret-key', set: 'orders-db', targetDatabase: 'orders_restored'");
    }

    @Test
    void pruneBackups() throws Exception {
        PruneBackupsStep s = new PruneBackupsStep("orders-db");
        s.setRepository("/var/backups/db");
        s.setKeepLast(2);
        s.setKeepHourly(24);
        s.setKeepDaily(7);
        s.setKeepWeekly(4);
        s.setKeepMonthly(12);
        s.setKeepYearly(3);
        s.setKeepWithin("2d");
        s.setMinKeepVerified(3);
        s.setZone("Europe/Berlin");
        s.setRequireVerifiedNewest(false);
        s.setKeepUntilVerified(false);
        s.setDryRun(true);
        assertRoundTrips(s, "pruneBackups dryRun: true, keepDaily: 7, keepHourly: 24, keepLast: 2, keepMonthly: 12,"
                + " keepUntilVerified: false, keepWeekly: 4, keepWithin: '2d', keepYearly: 3, minKeepVerified: 3,"
                + " repository: '/var/backups/db', requireVerifiedNewest: false, set: 'orders-db',"
                + " zone: 'Europe/Berlin'");

        PruneBackupsStep policy = new PruneBackupsStep("orders-db");
        policy.setRepositoryName("offsite");
        policy.setPolicy("keepDaily=7,keepWeekly=4");
        assertRoundTrips(policy,
                "pruneBackups policy: 'keepDaily=7,keepWeekly=4', repositoryName: 'offsite', set: 'orders-db'");
    }

    @Test
    void listBackups() throws Exception {
        ListBackupsStep s = new ListBackupsStep();
        s.setRepository("/var/backups/db");
        s.setSet("orders-db");
        assertRoundTrips(s, "listBackups repository: '/var/backups/db', set: 'orders-db'");

        ListBackupsStep named = new ListBackupsStep();
        named.setRepositoryName("offsite");
        assertRoundTrips(named, "listBackups repositoryName: 'offsite'");
    }

    private void assertRoundTrips(Step step, String snippet) throws Exception {
        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
        new SnippetizerTester(j).assertRoundTrip(step, snippet);
    }
}
