package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;

import java.beans.Introspector;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** Every data-bound field has a form entry in config.jelly and a help file. */
class FormResourcesTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                BackupDatabaseStep.class,
                BackupRedisStep.class,
                VerifyBackupStep.class,
                RestoreDatabaseStep.class,
                PruneBackupsStep.class,
                ListBackupsStep.class,
                DatabaseDefinition.class,
                RepositoryDefinition.class,
                KeySetDefinition.class,
                DatabaseBackupConfiguration.class
            })
    void everyFieldHasAFormEntryAndHelp(Class<?> type) throws IOException {
        List<String> fields = dataBoundFields(type);
        assertThat(fields).isNotEmpty();
        String config = resource(type, "config.jelly");
        assertThat(config).as("config.jelly of %s", type.getSimpleName()).isNotNull();
        for (String field : fields) {
            assertThat(config).as("%s: form entry for %s", type.getSimpleName(), field).contains("field=\"" + field + "\"");
            assertThat(resource(type, "help-" + field + ".html"))
                    .as("%s: help-%s.html", type.getSimpleName(), field)
                    .isNotBlank();
        }
    }

    @org.junit.jupiter.api.Test
    void everyJellyFileIsWellFormedAndTitlesTakeNoArguments() throws Exception {
        javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        List<java.nio.file.Path> pages;
        try (java.util.stream.Stream<java.nio.file.Path> files =
                java.nio.file.Files.walk(java.nio.file.Path.of("src", "main", "resources"))) {
            pages = files.filter(f -> f.toString().endsWith(".jelly")).toList();
        }
        assertThat(pages).hasSizeGreaterThan(10);
        for (java.nio.file.Path page : pages) {
            factory.newDocumentBuilder().parse(page.toFile());
            // ${%Text(x)} would pass x as a message argument: titles must not contain parentheses
            assertThat(java.nio.file.Files.readString(page)).as("%s", page).doesNotContainPattern("\\$\\{%[^}]*\\(");
        }
    }

    private static List<String> dataBoundFields(Class<?> type) {
        List<String> fields = new ArrayList<>();
        for (Constructor<?> c : type.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                for (Parameter p : c.getParameters()) {
                    fields.add(p.getName());
                }
            }
        }
        for (Method m : type.getMethods()) {
            if (m.isAnnotationPresent(DataBoundSetter.class) && m.getName().startsWith("set")) {
                fields.add(Introspector.decapitalize(m.getName().substring(3)));
            }
        }
        return fields;
    }

    private static String resource(Class<?> type, String name) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + "/" + name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
