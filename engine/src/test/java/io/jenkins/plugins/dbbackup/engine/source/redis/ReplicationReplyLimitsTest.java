package io.jenkins.plugins.dbbackup.engine.source.redis;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.DatabaseConnection;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What no real server sends but whatever answers on its port could: the reply reader refuses it with one line,
 * without a stack overflow or an allocation the bytes do not pay for. Found by ReplicationReplyFuzzTest or added
 * next to it; the inputs are also its seeds (ReplicationReplyFuzzTestInputs/sync/).
 */
class ReplicationReplyLimitsTest {
    private static final DatabaseConnection SERVER =
            new DatabaseConnection(DatabaseType.REDIS, "127.0.0.1", 6379, null, null, null);

    private static RespConnection over(String bytes) {
        return RespConnection.over(SERVER, new ByteArrayInputStream(bytes.getBytes(StandardCharsets.ISO_8859_1)),
                OutputStream.nullOutputStream());
    }

    @Test
    void arraysNestedDeeperThanRedisEverSendsAreRefused() {
        assertThatThrownBy(() -> over("*1\r\n".repeat(20_000)).readReply())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("nests arrays more than " + RespConnection.MAX_NESTING + " deep");
    }

    @Test
    void aNumberThatIsNotOneIsAMalformedReply() {
        assertThatThrownBy(() -> over(":12x\r\n").readReply())
                .isInstanceOf(IOException.class)
                .hasMessage("malformed reply from redis://127.0.0.1:6379: '12x' is not a number: is this a Redis"
                        + " server?");
        assertThatThrownBy(() -> over("*99999999999999999999\r\n").readReply())
                .isInstanceOf(IOException.class).hasMessageContaining("is not a number");
    }

    @Test
    void aBulkLargerThanRedisSendsIsRefusedBeforeReading() {
        assertThatThrownBy(() -> over("$2000000000\r\nab").readReply())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("announces 2000000000 bytes, more than the " + RespConnection.MAX_BULK);
    }

    @Test
    void aMalformedSnapshotLengthIsShownOnOneLine() {
        RespConnection conn = over("+OK\r\n+OK\r\n$44\nREDIS0010\u0001\u0002\r\n");
        assertThatThrownBy(() -> new RedisSource(SERVER, null).requestSnapshot(conn))
                .isInstanceOf(BackupException.class)
                .hasMessage("the server announced a snapshot with a malformed length '44?REDIS0010??'");
    }
}
