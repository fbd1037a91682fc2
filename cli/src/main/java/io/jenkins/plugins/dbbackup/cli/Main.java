package io.jenkins.plugins.dbbackup.cli;

public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(0);
    }
}
