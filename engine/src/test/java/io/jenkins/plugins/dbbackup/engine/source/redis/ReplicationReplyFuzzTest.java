package io.jenkins.plugins.dbbackup.engine.source.redis;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import io.jenkins.plugins.dbbackup.engine.fuzz.CleanErrors;
import io.jenkins.plugins.dbbackup.engine.fuzz.FuzzRuns;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The replication protocol reader on any bytes a server (or whatever answers on its port) could send: the RESP
 * reply reader ({@link RespConnection#readReply}) and the whole {@code REPLCONF}/{@code SYNC} exchange of a backup
 * with the snapshot that follows, in its disk-based ({@code $<length>}) or diskless ({@code $EOF:<marker>}) form,
 * parsed to its end. A refusal must be an {@link IOException} with a message. No real server sends such bytes on
 * demand, so they come through {@link RespConnection#over}. Seeds: ReplicationReplyFuzzTestInputs/sync/.
 */
class ReplicationReplyFuzzTest {
    private static final DatabaseConnection SERVER =
            new DatabaseConnection(DatabaseType.REDIS, "127.0.0.1", 6379, null, null, null);

    @FuzzTest
    void sync(byte[] answers) {
        FuzzRuns.count(ReplicationReplyFuzzTest.class);
        try (RespConnection conn = RespConnection.over(SERVER, new ByteArrayInputStream(answers),
                OutputStream.nullOutputStream())) {
            while (true) {
                conn.readReply();
            }
        } catch (IOException e) {
            CleanErrors.requireMessage(e);
        }
        try (RespConnection conn = RespConnection.over(SERVER, new ByteArrayInputStream(answers),
                OutputStream.nullOutputStream())) {
            InputStream snapshot = new RedisSource(SERVER, null).requestSnapshot(conn);
            RdbParser.scan(snapshot);
        } catch (IOException e) {
            CleanErrors.requireMessage(e);
        }
    }
}
