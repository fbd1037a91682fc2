package io.jenkins.plugins.dbbackup.engine;

import java.nio.file.Path;

/**
 * Settings of the machine that runs the engine (built there, never sent over a channel).
 *
 * @param toolDirectory a directory to look for native tools ({@code pg_dump}, {@code mariadb-dump}, ...) before
 *     {@code PATH} and the distribution's standard places; null for none
 * @param tempDirectory where short-lived credential files go (0600, deleted after use); null for the JVM's
 * @param searchStandardPlaces whether tools are also looked for on {@code PATH} and in the distributions' standard
 *     places; true unless a tool directory must be used alone
 */
public record EngineOptions(Path toolDirectory, Path tempDirectory, boolean searchStandardPlaces) {
    /** Options that also search {@code PATH} and the standard places. */
    public EngineOptions(Path toolDirectory, Path tempDirectory) {
        this(toolDirectory, tempDirectory, true);
    }

    public static EngineOptions defaults() {
        return new EngineOptions(null, null, true);
    }
}
