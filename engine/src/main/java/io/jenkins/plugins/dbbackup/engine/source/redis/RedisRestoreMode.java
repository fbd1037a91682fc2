package io.jenkins.plugins.dbbackup.engine.source.redis;

/** How an RDB backup gets into a Redis server; the user chooses, there is no default guess. */
public enum RedisRestoreMode {
    /**
     * Into a running server over the network, no file access needed: every key is replayed with
     * {@code RESTORE key ttl payload [REPLACE] ABSTTL}, database by database, pipelined; function libraries with
     * {@code FUNCTION LOAD}. Works on servers that forbid replication and on managed services that allow
     * {@code RESTORE}.
     */
    COMMANDS,
    /**
     * As the server's RDB file: {@code dump.rdb} (or another name) is written atomically into a directory the agent
     * can reach (temporary file, fsync, rename). The server loads it when it next starts: stop it with
     * {@code SHUTDOWN NOSAVE} first (a server that saves on shutdown would overwrite the file), and make sure it does
     * not load an AOF instead ({@code appendonly no}, or remove the AOF directory).
     */
    FILE
}
