package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;

import java.beans.Introspector;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** docs/pipeline-steps.md, docs/examples and the README's Pipeline stay true to the steps' data-bound arguments. */
class DocsTest {
    private static final Path DOCS = Path.of("..", "docs");
    private static final Map<String, Class<?>> STEPS = Map.of(
            "backupDatabase", BackupDatabaseStep.class,
            "backupRedis", BackupRedisStep.class,
            "verifyBackup", VerifyBackupStep.class,
            "restoreDatabase", RestoreDatabaseStep.class,
            "pruneBackups", PruneBackupsStep.class,
            "listBackups", ListBackupsStep.class);

    @Test
    void referenceNamesEveryArgumentOfEveryStep() throws IOException {
        String reference = Files.readString(DOCS.resolve("pipeline-steps.md"));
        for (Map.Entry<String, Class<?>> step : STEPS.entrySet()) {
            int start = reference.indexOf("## `" + step.getKey() + "`");
            assertThat(start).as("section of %s", step.getKey()).isNotNegative();
            int end = reference.indexOf("\n## ", start + 1);
            String section = reference.substring(start, end < 0 ? reference.length() : end);
            for (String field : fields(step.getValue())) {
                assertThat(section).as("%s documents %s", step.getKey(), field).contains("`" + field + "`");
            }
        }
    }

    @Test
    void examplesUseOnlyRealArguments() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(DOCS.resolve("examples"))) {
            examples = files.filter(f -> f.toString().endsWith(".Jenkinsfile")).toList();
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
        TreeSet<String> used = new TreeSet<>();
        for (Path example : examples) {
            used.addAll(checkCalls(Files.readString(example), example.getFileName().toString()));
        }
        assertThat(used).contains("backupDatabase", "verifyBackup", "pruneBackups", "restoreDatabase", "listBackups",
                "backupRedis");
    }

    /** The README's Pipeline is one a user pastes as it is: complete, and every argument real. */
    @Test
    void readmePipelineIsCompleteAndUsesOnlyRealArguments() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher block = Pattern.compile("```groovy\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("a groovy block in README.md").isTrue();
        String pipeline = block.group(1);
        assertThat(pipeline).startsWith("pipeline {").contains("agent ", "stages {", "steps {");
        assertThat(pipeline.chars().filter(c -> c == '{').count())
                .as("balanced braces")
                .isEqualTo(pipeline.chars().filter(c -> c == '}').count());
        assertThat(checkCalls(pipeline, "README.md")).contains("backupDatabase", "verifyBackup", "pruneBackups");
    }

    /** Every named argument of every step call in {@code text} is a data-bound field of that step. */
    private static TreeSet<String> checkCalls(String text, String where) {
        Pattern call = Pattern.compile("\\b(" + String.join("|", STEPS.keySet()) + ")\\b\\s*\\(?((?:[^\\n]*,\\s*\\n)*[^\\n]*)");
        Pattern argument = Pattern.compile("(?<![\\w.'\"])(\\w+)\\s*:");
        TreeSet<String> used = new TreeSet<>();
        Matcher m = call.matcher(text);
        while (m.find()) {
            List<String> known = fields(STEPS.get(m.group(1)));
            Matcher a = argument.matcher(m.group(2).replaceAll("\"[^\"]*\"|'[^']*'", "''"));
            while (a.find()) {
                used.add(m.group(1));
                assertThat(known).as("%s in %s", m.group(1), where).contains(a.group(1));
            }
        }
        return used;
    }

    private static List<String> fields(Class<?> type) {
        List<String> fields = new ArrayList<>();
        for (Constructor<?> c : type.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                for (Parameter p : c.getParameters()) {
                    fields.add(p.getName());
                }
            }
        }
        for (Method m : type.getMethods()) {
            if (m.isAnnotationPresent(DataBoundSetter.class)) {
                fields.add(Introspector.decapitalize(m.getName().substring(3)));
            }
        }
        return fields;
    }
}
