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
