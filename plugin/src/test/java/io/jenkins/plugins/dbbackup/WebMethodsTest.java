package io.jenkins.plugins.dbbackup;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.util.ListBoxModel;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kohsuke.stapler.verb.POST;

/**
 * The forms' web methods, audited without Jenkins: every {@code doCheck…}/{@code doFill…} method that takes input
 * (a value, the job, a credential id) answers POST only ({@code @POST}, so no cross-site GET can reach it); the
 * only ones without are parameterless drop-downs of fixed choices (database types, compressions, levels), which
 * reveal nothing and need no permission. That the methods with input check the permission, and what a user
 * without it gets, is tested in a real Jenkins: FormPermissionTest (src/test-jenkins).
 */
class WebMethodsTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                BackupDatabaseStep.DescriptorImpl.class,
                BackupRedisStep.DescriptorImpl.class,
                VerifyBackupStep.DescriptorImpl.class,
                RestoreDatabaseStep.DescriptorImpl.class,
                PruneBackupsStep.DescriptorImpl.class,
                ListBackupsStep.DescriptorImpl.class,
                DatabaseDefinition.DescriptorImpl.class,
                RepositoryDefinition.DescriptorImpl.class,
                KeySetDefinition.DescriptorImpl.class,
                DatabaseBackupConfiguration.class
            })
    void everyFormMethodWithInputIsPostOnly(Class<?> descriptor) {
        List<String> seen = new ArrayList<>();
        for (Method m : descriptor.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers())
                    || !(m.getName().startsWith("doCheck") || m.getName().startsWith("doFill"))) {
                continue;
            }
            seen.add(m.getName());
            if (m.getParameterCount() == 0) {
                assertThat(m.getName()).as("%s.%s", descriptor.getSimpleName(), m.getName()).startsWith("doFill");
                assertThat(m.getReturnType()).isEqualTo(ListBoxModel.class);
            } else {
                assertThat(m.isAnnotationPresent(POST.class))
                        .as("%s.%s is @POST", descriptor.getSimpleName(), m.getName())
                        .isTrue();
            }
        }
        assertThat(seen).as("form methods of %s", descriptor.getSimpleName()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            classes = {
                BackupDatabaseStep.DescriptorImpl.class,
                BackupRedisStep.DescriptorImpl.class,
                VerifyBackupStep.DescriptorImpl.class,
                RestoreDatabaseStep.DescriptorImpl.class,
                DatabaseDefinition.DescriptorImpl.class,
                RepositoryDefinition.DescriptorImpl.class
            })
    void everyCredentialFieldHasADropDown(Class<?> descriptor) throws Exception {
        Class<?> described = descriptor.getEnclosingClass();
        for (Method setter : described.getMethods()) {
            String name = setter.getName();
            if (name.startsWith("set") && name.endsWith("CredentialsId")) {
                String fill = "doFill" + name.substring(3) + "Items";
                assertThat(List.of(descriptor.getDeclaredMethods()).stream().map(Method::getName))
                        .as("%s has %s", descriptor.getSimpleName(), fill)
                        .contains(fill);
            }
        }
    }
}
