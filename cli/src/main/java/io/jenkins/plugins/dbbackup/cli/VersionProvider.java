package io.jenkins.plugins.dbbackup.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"dbbackup " + (version == null ? "(development build)" : version),
            "Java " + System.getProperty("java.version")};
    }
}
