package io.jenkins.plugins.dbbackup.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The command line works without Jenkins: it may use the engine, never Jenkins or the plugin. */
@AnalyzeClasses(packages = "io.jenkins.plugins.dbbackup.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class CliArchitectureTest {
    @ArchTest
    static final ArchRule cliIsJenkinsFree = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage(
                    "hudson..", "jenkins..", "org.kohsuke..", "org.jenkinsci..", "com.cloudbees..")
            .orShould().dependOnClassesThat().resideInAPackage("io.jenkins.plugins.dbbackup")
            .because("dbbackup must restore backups when Jenkins itself is down");
}
