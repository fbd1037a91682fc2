package io.jenkins.plugins.dbbackup.cli;

import static io.jenkins.plugins.dbbackup.cli.JarProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.dbbackup.testsupport.RedisClient;
import io.jenkins.plugins.dbbackup.testsupport.RedisServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redis through the command line: redis:// URIs, REDISCLI_AUTH, backup, show (keys per database), restore. */
class RedisCliIT {
    @TempDir
    Path dir;

    @Test
    void backupShowAndRestoreIntoAnotherServer() {
        try (RedisServer source = RedisServer.start(); RedisServer target = RedisServer.start()) {
            try (RedisClient c = source.client()) {
                for (int i = 0; i < 200; i++) {
                    c.command("SET", "key:" + i, "value " + i);
                }
                c.select(2);
                c.command("SET", "other", "db two");
            }
            Path repo = dir.resolve("repo");
            JsonNode backup = run(Map.of("REDISCLI_AUTH", source.password()), "backup", "--url",
                    "redis://" + source.host() + ":" + source.port() + "/0", "--repo", repo.toString(), "--set",
                    "cache", "--json").expect(Main.OK).json();
            assertThat(backup.get("kind").asText()).startsWith("redis");

            JarProcess.Result shown = run("show", "--repo", repo.toString(), "--set", "cache").expect(Main.OK);
            assertThat(shown.out()).contains("201 key(s) in 2 database(s)");

            // the engine checks Redis structure only by restoring for now, so the checksum level here
            run("verify", "--repo", repo.toString(), "--set", "cache").expect(Main.OK);

            JsonNode restored = run(Map.of("DBBACKUP_PASSWORD", target.password()), "restore", "--repo",
                    repo.toString(), "--set", "cache", "--url", "redis://" + target.host() + ":" + target.port(),
                    "--json").expect(Main.OK).json();
            assertThat(restored.get("backupId").asText()).isEqualTo(backup.get("id").asText());
            try (RedisClient c = target.client()) {
                assertThat(c.command("DBSIZE")).isEqualTo(200L);
            }
        }
    }
}
