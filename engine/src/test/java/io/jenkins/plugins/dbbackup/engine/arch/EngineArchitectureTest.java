package io.jenkins.plugins.dbbackup.engine.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The engine never depends on Jenkins, and its layers point one way. */
@AnalyzeClasses(packages = "io.jenkins.plugins.dbbackup.engine", importOptions = ImportOption.DoNotIncludeTests.class)
class EngineArchitectureTest {

    @ArchTest
    static final ArchRule engineIsJenkinsFree = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage(
                    "hudson..", "jenkins..", "org.kohsuke..", "org.jenkinsci..", "com.cloudbees..",
                    "io.jenkins.plugins.dbbackup", "io.jenkins.plugins.dbbackup.cli..")
            .because("all backup logic lives in the Jenkins-free engine (ARCHITECTURE.md)");

    @ArchTest
    static final ArchRule storageDoesNotKnowSources = noClasses()
            .that().resideInAPackage("..engine.storage..")
            .should().dependOnClassesThat().resideInAnyPackage("..engine.source..", "..engine.repository..",
                    "..engine.codec..", "..engine.crypto..")
            .because("storage backends move bytes; they know nothing of databases, formats or repositories");

    @ArchTest
    static final ArchRule codecsDoNotKnowStorageOrSources = noClasses()
            .that().resideInAnyPackage("..engine.codec..", "..engine.crypto..")
            .should().dependOnClassesThat().resideInAnyPackage("..engine.storage..", "..engine.source..",
                    "..engine.repository..")
            .because("codecs are stream filters, independent of where bytes come from or go");

    @ArchTest
    static final ArchRule sourcesDoNotKnowStorage = noClasses()
            .that().resideInAPackage("..engine.source..")
            .should().dependOnClassesThat().resideInAnyPackage("..engine.storage..", "..engine.codec..",
                    "..engine.crypto..")
            .because("a source produces and consumes plain dump streams");
}
