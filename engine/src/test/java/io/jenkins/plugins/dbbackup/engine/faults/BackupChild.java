package io.jenkins.plugins.dbbackup.engine.faults;

import io.jenkins.plugins.dbbackup.engine.BackupEngine;
import io.jenkins.plugins.dbbackup.engine.BackupRequest;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.EngineOptions;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.secret.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A backup in its own JVM, so a test can kill the whole JVM mid-backup. Arguments: host port database user
 * passwordFile repositoryDir set [toolDir]. Prints "started" once the dump runs.
 */
public final class BackupChild {
    private BackupChild() {}

    public static void main(String[] args) throws Exception {
        DatabaseConnection c = new DatabaseConnection(DatabaseType.POSTGRESQL, args[0], Integer.parseInt(args[1]),
                args[2], args[3], Secret.of(Files.readString(Path.of(args[4])).strip()));
        EngineOptions options = args.length > 7 ? new EngineOptions(Path.of(args[7]), null, false) : EngineOptions.defaults();
        new BackupEngine(options, message -> {
            System.out.println(message);
            System.out.flush();
        }, Clock.systemUTC()).backup(BackupRequest.of(c, RepositorySpec.local(Path.of(args[5])), args[6]));
        System.out.println("finished");
    }
}
