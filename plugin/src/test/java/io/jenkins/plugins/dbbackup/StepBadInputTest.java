package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import hudson.AbortException;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Issue 10, bad input: every argument of every step, of the named connections and repositories and of the global
 * configuration, given a wrong value, is refused before any work with one line that starts with the argument's name
 * (the step's execution turns it into an {@code AbortException}: no stack trace). {@link #everyArgumentHasACase()}
 * lists the arguments by reflection ({@code @DataBoundConstructor} parameters and {@code @DataBoundSetter}s), so a
 * new argument cannot be added without a row in {@link #cases()}: adding one is one line there.
 *
 * <p>Credential ids and names of the global configuration are looked up when the step runs, in Jenkins: their rows
 * list the answer the lookup gives ({@link DatabaseCredentials#forArgument}, {@link StepSupport#connection}), and
 * PipelineStepsTest runs such lookups in a Pipeline (in the build against real Jenkins only: the API stand-in cannot
 * run them). The rows are written to {@code target/reliability/bad-input-steps.md}.
 */
class StepBadInputTest {
    private static final List<Class<?>> CLASSES = List.of(BackupDatabaseStep.class, BackupRedisStep.class,
            VerifyBackupStep.class, RestoreDatabaseStep.class, PruneBackupsStep.class, ListBackupsStep.class,
            DatabaseDefinition.class, RepositoryDefinition.class, KeySetDefinition.class,
            DatabaseBackupConfiguration.class);

    /** A valid instance of each class, for setter rows. */
    private static final Map<Class<?>, Supplier<Object>> FACTORIES = Map.of(
            BackupDatabaseStep.class, BackupDatabaseStep::new,
            BackupRedisStep.class, () -> new BackupRedisStep("cache1.example"),
            VerifyBackupStep.class, () -> new VerifyBackupStep("orders"),
            RestoreDatabaseStep.class, () -> new RestoreDatabaseStep("orders"),
            PruneBackupsStep.class, () -> new PruneBackupsStep("orders"),
            ListBackupsStep.class, ListBackupsStep::new,
            DatabaseDefinition.class, () -> new DatabaseDefinition("orders"),
            RepositoryDefinition.class, () -> new RepositoryDefinition("offsite", "/var/backups/db"),
            KeySetDefinition.class, () -> new KeySetDefinition("prod"));

    /** How a row is checked. */
    enum Stage {
        /** the setter or constructor refuses the value */
        ARGUMENT,
        /** building the engine request refuses it, before anything runs */
        REQUEST,
        /**
         * a credential or a name looked up when the step runs, in Jenkins: listed with the answer the lookup gives;
         * run in a Pipeline by PipelineStepsTest (the Jenkins build; the API stand-in cannot make an AbortException)
         */
        LOOKUP,
        /** no wrong value is possible (true/false); listed so the coverage check sees it was considered */
        NONE
    }

    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    record Case(Class<?> type, String argument, String value, Stage stage, Action action) {
        @Override
        public String toString() {
            return type.getSimpleName() + "." + argument + " = " + value;
        }
    }

    private static final Queue<String[]> ROWS = new ConcurrentLinkedQueue<>();

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        // every step with a set (the constructor argument of four, a setter of two)
        for (Class<?> step : List.of(VerifyBackupStep.class, RestoreDatabaseStep.class, PruneBackupsStep.class)) {
            c.add(create(step, "set", "../../etc"));
            c.add(create(step, "set", ""));
            c.add(create(step, "set", "a/b"));
        }
        for (Class<?> step : List.of(BackupDatabaseStep.class, BackupRedisStep.class, ListBackupsStep.class)) {
            c.add(set(step, "set", "../../etc"));
            c.add(set(step, "set", "a/b"));
        }
        for (Class<?> step : List.of(BackupDatabaseStep.class, BackupRedisStep.class, VerifyBackupStep.class,
                RestoreDatabaseStep.class, PruneBackupsStep.class, ListBackupsStep.class)) {
            c.add(set(step, "repository", "relative/path"));
            c.add(set(step, "repository", "ftp://host/backups"));
            c.add(set(step, "repository", "s3://"));
            c.add(lookup(step, "repositoryName", "repositoryName",
                    Messages.BackupDatabaseStep_UnknownRepository("no-such-repository")));
        }
        // connections: backupDatabase, restoreDatabase, verifyBackup's scratch server, named connections
        for (Class<?> type : List.of(BackupDatabaseStep.class, RestoreDatabaseStep.class, DatabaseDefinition.class)) {
            c.add(set(type, "type", "oracle"));
            c.add(set(type, "host", "db 1"));
            c.add(set(type, "host", "user@db1"));
            c.add(set(type, "port", -1));
            c.add(set(type, "port", 70000));
        }
        c.add(set(VerifyBackupStep.class, "scratchType", "oracle"));
        c.add(set(VerifyBackupStep.class, "scratchHost", "db 1"));
        c.add(set(VerifyBackupStep.class, "scratchPort", -1));
        c.add(set(VerifyBackupStep.class, "scratchPort", 70000));
        c.add(set(BackupRedisStep.class, "port", -1));
        c.add(set(BackupRedisStep.class, "port", 70000));
        c.add(create(BackupRedisStep.class, "host", ""));
        c.add(create(BackupRedisStep.class, "host", "cache 1"));
        c.add(request(BackupDatabaseStep.class, "database", "", () -> {
            BackupDatabaseStep s = new BackupDatabaseStep();
            s.setType("postgresql");
            s.setHost("db1");
            s.setDatabase("");
            s.setRepository("/var/backups/db");
            s.toRequest(null, null);
        }));
        c.add(request(DatabaseDefinition.class, "database", "", () -> {
            DatabaseDefinition d = new DatabaseDefinition("orders");
            d.setType("postgresql");
            d.setHost("db1");
            d.setDatabase(" ");
            BackupDatabaseStep s = new BackupDatabaseStep();
            s.setConnection("orders");
            s.setRepository("/var/backups/db");
            s.toRequest(d, null, null, null);
        }));
        c.add(request(RestoreDatabaseStep.class, "targetDatabase", "", () -> {
            RestoreDatabaseStep s = new RestoreDatabaseStep("orders");
            s.setType("postgresql");
            s.setHost("db2");
            s.setTargetDatabase("");
            s.toRequest(RepositorySpec.of("/var/backups/db"), null, DatabaseCredentials.Login.NONE, null);
        }));
        for (Class<?> step : List.of(BackupDatabaseStep.class, RestoreDatabaseStep.class)) {
            c.add(lookup(step, "connection", "connection",
                    Messages.BackupDatabaseStep_UnknownConnection("no-such-connection")));
        }
        c.add(lookup(VerifyBackupStep.class, "scratchConnection", "scratchConnection",
                Messages.BackupDatabaseStep_UnknownConnection("no-such-connection")));
        // credentials, looked up when the step runs
        String login = Messages.DatabaseCredentials_UsernamePassword();
        String text = Messages.DatabaseCredentials_SecretText();
        String fileOrText = Messages.DatabaseCredentials_SecretFileOrText();
        c.add(notFound(BackupDatabaseStep.class, "credentialsId", login));
        c.add(notFound(RestoreDatabaseStep.class, "credentialsId", login));
        c.add(notFound(DatabaseDefinition.class, "credentialsId", login));
        c.add(notFound(RepositoryDefinition.class, "credentialsId", login));
        c.add(notFound(BackupRedisStep.class, "credentialsId", Messages.DatabaseCredentials_SecretTextOrUsernamePassword()));
        c.add(notFound(VerifyBackupStep.class, "scratchCredentialsId", login));
        for (Class<?> step : List.of(BackupDatabaseStep.class, BackupRedisStep.class)) {
            c.add(notFound(step, "encryptTo", fileOrText));
            c.add(notFound(step, "passphraseCredentialsId", text));
        }
        for (Class<?> step : List.of(VerifyBackupStep.class, RestoreDatabaseStep.class)) {
            c.add(notFound(step, "secretKeyCredentialsId", fileOrText));
            c.add(notFound(step, "secretKeyPassphraseCredentialsId", text));
            c.add(notFound(step, "passphraseCredentialsId", text));
            c.add(request(step, "secretKeyPassphraseCredentialsId", "without secretKeyCredentialsId",
                    () -> StepSupport.checkDecryption(null, "key-passphrase")));
        }
        // encryption key sets: the steps' keySet, and the key set's own credentials
        for (Class<?> step : List.of(BackupDatabaseStep.class, BackupRedisStep.class, VerifyBackupStep.class,
                RestoreDatabaseStep.class)) {
            c.add(lookup(step, "keySet", "keySet", Messages.StepSupport_UnknownKeySet("no-such-key-set")));
        }
        c.add(create(KeySetDefinition.class, "name", ""));
        c.add(notFound(KeySetDefinition.class, "recipientCredentialsIds", fileOrText));
        c.add(notFound(KeySetDefinition.class, "passphraseCredentialsId", text));
        c.add(notFound(KeySetDefinition.class, "secretKeyCredentialsId", fileOrText));
        c.add(notFound(KeySetDefinition.class, "secretKeyPassphraseCredentialsId", text));
        // compression
        for (Class<?> step : List.of(BackupDatabaseStep.class, BackupRedisStep.class)) {
            c.add(set(step, "compression", "lz4"));
            c.add(set(step, "compressionLevel", -1));
            c.add(set(step, "compressionLevel", 40));
        }
        c.add(request(BackupDatabaseStep.class, "compressionLevel", "12 with gzip", () -> {
            BackupDatabaseStep s = new BackupDatabaseStep();
            s.setCompression("gzip");
            s.setCompressionLevel(12);
            s.compressionSettings();
        }));
        // verifyBackup and restoreDatabase
        c.add(set(VerifyBackupStep.class, "level", "deep"));
        c.add(request(VerifyBackupStep.class, "level", "restore without a scratch server", () -> {
            VerifyBackupStep s = new VerifyBackupStep("orders");
            s.setLevel("restore");
            s.scratchServer(null, DatabaseCredentials.Login.NONE);
        }));
        for (Class<?> step : List.of(VerifyBackupStep.class, RestoreDatabaseStep.class)) {
            c.add(set(step, "id", "yesterday"));
            c.add(set(step, "id", "../../etc"));
        }
        c.add(set(RestoreDatabaseStep.class, "at", "yesterday"));
        c.add(set(RestoreDatabaseStep.class, "at", "2026-11-22T02:00:00")); // no offset
        c.add(set(RestoreDatabaseStep.class, "jobs", 0));
        c.add(set(RestoreDatabaseStep.class, "jobs", -4));
        c.add(set(RestoreDatabaseStep.class, "jobs", 1000));
        // pruneBackups
        for (String keep : List.of("keepLast", "keepHourly", "keepDaily", "keepWeekly", "keepMonthly", "keepYearly",
                "minKeepVerified")) {
            c.add(set(PruneBackupsStep.class, keep, -1));
        }
        c.add(set(PruneBackupsStep.class, "keepWithin", "2 days"));
        c.add(set(PruneBackupsStep.class, "keepWithin", "-2d"));
        c.add(set(PruneBackupsStep.class, "zone", "Mars/Olympus"));
        c.add(set(PruneBackupsStep.class, "policy", "keepDaily=seven"));
        c.add(set(PruneBackupsStep.class, "policy", "keepNever=1"));
        c.add(set(PruneBackupsStep.class, "policy", "keepDaily"));
        c.add(request(PruneBackupsStep.class, "policy", "keepDaily=7 with keepDaily: 3", () -> {
            PruneBackupsStep s = new PruneBackupsStep("orders");
            s.setPolicy("keepDaily=7");
            s.setKeepDaily(3);
            s.retentionPolicy(null);
        }));
        // named connections and repositories, the global configuration
        c.add(create(DatabaseDefinition.class, "name", ""));
        c.add(create(RepositoryDefinition.class, "name", ""));
        c.add(create(RepositoryDefinition.class, "uri", ""));
        c.add(create(RepositoryDefinition.class, "uri", "relative/path"));
        c.add(create(RepositoryDefinition.class, "uri", "ftp://host/backups"));
        c.add(set(RepositoryDefinition.class, "region", "eu central 1"));
        c.add(set(RepositoryDefinition.class, "endpoint", "minio:9000"));
        c.add(set(RepositoryDefinition.class, "storageClass", "standard ia"));
        c.add(set(BackupDatabaseStep.class, "pgFormat", "tar"));
        c.add(set(BackupDatabaseStep.class, "jobs", -1));
        c.add(set(BackupDatabaseStep.class, "jobs", 65));
        c.add(request(BackupDatabaseStep.class, "jobs", "4 with the custom format", () -> {
            BackupDatabaseStep s = new BackupDatabaseStep();
            s.setJobs(4);
            s.dumpOptions();
        }));
        c.add(set(RestoreDatabaseStep.class, "schemas", "sales\nhr"));
        c.add(set(RestoreDatabaseStep.class, "tables", "orders, cust\u0007omers"));
        c.add(set(RestoreDatabaseStep.class, "redisRestore", "disk"));
        c.add(set(RestoreDatabaseStep.class, "redisDataDirectory", "var/lib/redis"));
        c.add(set(RepositoryDefinition.class, "serverSideEncryption", "rot13"));
        c.add(set(RepositoryDefinition.class, "kmsKeyId", "my key"));
        c.add(set(RepositoryDefinition.class, "objectLockMode", "forever"));
        c.add(set(RepositoryDefinition.class, "objectLockDays", -1));
        c.add(set(RepositoryDefinition.class, "tierSettings", "fortnightly: 8d"));
        c.add(set(RepositoryDefinition.class, "tierSettings", "monthly: STANDARD_IA, -3d"));
        c.add(request(DatabaseBackupConfiguration.class, "defaultRetention", "keepDaly=7",
                () -> DatabaseBackupConfiguration.checkRetention("keepDaly=7")));
        c.add(request(DatabaseBackupConfiguration.class, "defaultRetention", "keepDaily=-1",
                () -> DatabaseBackupConfiguration.checkRetention("keepDaily=-1")));
        c.add(new Case(DatabaseBackupConfiguration.class, "databases", "(entries)", Stage.NONE, () -> {}));
        c.add(new Case(DatabaseBackupConfiguration.class, "repositories", "(entries)", Stage.NONE, () -> {}));
        c.add(new Case(DatabaseBackupConfiguration.class, "keySets", "(entries)", Stage.NONE, () -> {}));
        // true/false arguments: data binding admits no other value
        for (Class<?> type : CLASSES) {
            for (Method m : type.getMethods()) {
                if (m.isAnnotationPresent(DataBoundSetter.class) && m.getParameterTypes()[0] == boolean.class) {
                    c.add(new Case(type, argumentName(m), "true/false only", Stage.NONE, () -> {}));
                }
            }
        }
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aWrongValueIsRefusedWithOneLineNamingTheArgument(Case bad) {
        Throwable thrown = catchThrowable(() -> bad.action().run());
        if (thrown instanceof InvocationTargetException e) {
            thrown = e.getCause();
        }
        String message = thrown == null ? null : thrown.getMessage();
        if (bad.stage() == Stage.NONE || bad.stage() == Stage.LOOKUP) {
            ROWS.add(new String[] {bad.type().getSimpleName(), bad.argument(), bad.value(), bad.stage().name(),
                bad.stage() == Stage.NONE ? "-" : LOOKUP_ANSWERS.get(bad.type().getSimpleName() + "." + bad.argument())});
            return;
        }
        ROWS.add(new String[] {bad.type().getSimpleName(), bad.argument(), bad.value(), bad.stage().name(),
            String.valueOf(message)});
        assertThat(thrown).as(bad.toString()).isInstanceOfAny(IllegalArgumentException.class, AbortException.class);
        assertThat(message).as("one line").doesNotContain("\n");
        assertThat(message).as("names the argument first")
                .matches(java.util.regex.Pattern.quote(bad.argument()) + "[ :].*");
    }

    /** Every argument of every step and configuration class has at least one row in {@link #cases()}. */
    @Test
    void everyArgumentHasACase() {
        Set<String> covered = new TreeSet<>();
        cases().forEach(c -> covered.add(c.type().getSimpleName() + "." + c.argument()));
        List<String> missing = new ArrayList<>();
        int arguments = 0;
        for (Class<?> type : CLASSES) {
            List<String> names = new ArrayList<>();
            for (Constructor<?> ctor : type.getConstructors()) {
                if (ctor.isAnnotationPresent(DataBoundConstructor.class)) {
                    for (Parameter p : ctor.getParameters()) {
                        assertThat(p.isNamePresent()).as("compiled with -parameters").isTrue();
                        names.add(p.getName());
                    }
                }
            }
            for (Method m : type.getMethods()) {
                if (m.isAnnotationPresent(DataBoundSetter.class)) {
                    names.add(argumentName(m));
                }
            }
            for (String name : names) {
                arguments++;
                if (!covered.contains(type.getSimpleName() + "." + name)) {
                    missing.add(type.getSimpleName() + "." + name);
                }
            }
        }
        assertThat(arguments).as("arguments found by reflection").isGreaterThan(80);
        assertThat(missing).as("arguments without a bad-input row in StepBadInputTest.cases(): add one line each")
                .isEmpty();
    }

    @AfterAll
    static void writeSummary() throws IOException {
        if (ROWS.isEmpty()) {
            return;
        }
        List<String[]> rows = new ArrayList<>(ROWS);
        rows.sort(Comparator.<String[], String>comparing(r -> r[0]).thenComparing(r -> r[1]));
        StringBuilder md = new StringBuilder("| step or class | argument | wrong value | refused by | answer |\n"
                + "| --- | --- | --- | --- | --- |\n");
        for (String[] r : rows) {
            md.append("| ").append(r[0]).append(" | `").append(r[1]).append("` | ")
                    .append(r[2].isEmpty() ? "(empty)" : "`" + r[2] + "`").append(" | ")
                    .append(r[3].toLowerCase(Locale.ROOT)).append(" | ").append(r[4].replace("|", "\\|"))
                    .append(" |\n");
        }
        long checked = rows.stream().filter(r -> r[3].equals("ARGUMENT") || r[3].equals("REQUEST")).count();
        long lookups = rows.stream().filter(r -> r[3].equals("LOOKUP")).count();
        md.append("\n_").append(checked).append(" wrong values refused here, ").append(lookups)
                .append(" run-time lookups listed (run by PipelineStepsTest in Jenkins), ")
                .append(rows.stream().map(r -> r[0] + "." + r[1]).distinct().count())
                .append(" arguments; generated by StepBadInputTest._\n");
        Path out = Path.of("target", "reliability");
        Files.createDirectories(out);
        Files.writeString(out.resolve("bad-input-steps.md"), md, StandardCharsets.UTF_8);
    }

    // --- building rows

    private static String argumentName(Method setter) {
        String name = setter.getName().substring(3);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    /** A setter given the wrong value on a valid instance. */
    private static Case set(Class<?> type, String argument, Object value) {
        String setter = "set" + Character.toUpperCase(argument.charAt(0)) + argument.substring(1);
        return new Case(type, argument, String.valueOf(value), Stage.ARGUMENT, () -> {
            Object target = FACTORIES.get(type).get();
            Method m = type.getMethod(setter, value instanceof Integer ? int.class : String.class);
            m.invoke(target, value);
        });
    }

    /** The constructor given the wrong value for one argument (and valid values for the others). */
    private static Case create(Class<?> type, String argument, String value) {
        return new Case(type, argument, value, Stage.ARGUMENT, () -> {
            for (Constructor<?> ctor : type.getConstructors()) {
                if (ctor.isAnnotationPresent(DataBoundConstructor.class)) {
                    Parameter[] params = ctor.getParameters();
                    Object[] args = new Object[params.length];
                    for (int i = 0; i < params.length; i++) {
                        args[i] = params[i].getName().equals(argument) ? value
                                : params[i].getName().equals("uri") ? "/var/backups/db" : "valid-name";
                    }
                    ctor.newInstance(args);
                }
            }
        });
    }

    private static Case request(Class<?> type, String argument, String value, Action action) {
        return new Case(type, argument, value, Stage.REQUEST, action);
    }

    /** The answers of lookups, as the step's execution words them (the first line of the build's failure). */
    private static final Map<String, String> LOOKUP_ANSWERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** A name of the global configuration that does not exist: the step's answer when it runs. */
    private static Case lookup(Class<?> type, String argument, String prefix, String message) {
        LOOKUP_ANSWERS.put(type.getSimpleName() + "." + argument, prefix + ": " + message);
        return new Case(type, argument, "no-such-name", Stage.LOOKUP, () -> {});
    }

    /** A credential id that does not exist: the step's answer when it runs. */
    private static Case notFound(Class<?> type, String argument, String expectedKind) {
        // a named connection's or repository's credential is named with the entry it belongs to
        String prefix = type == DatabaseDefinition.class ? "credentialsId of connection orders"
                : type == RepositoryDefinition.class ? "credentialsId of repository offsite"
                : type == KeySetDefinition.class ? argument + " of key set prod" : argument;
        LOOKUP_ANSWERS.put(type.getSimpleName() + "." + argument, prefix + ": "
                + Messages.DatabaseCredentials_NotFound("no-such-credential", expectedKind));
        return new Case(type, argument, "no-such-credential", Stage.LOOKUP, () -> {});
    }
}
