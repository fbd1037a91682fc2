/**
 * Redis backups as RDB snapshots over the replication protocol, and their restores.
 *
 * <h2>What users need to know</h2>
 * <ul>
 *   <li><b>Startup delay.</b> With diskless replication on (the default since Redis 7), a server waits
 *       {@code repl-diskless-sync-delay} seconds (default 5) before it streams a snapshot, hoping more replicas join.
 *       Every backup pays that wait; {@code CONFIG SET repl-diskless-sync-delay 0} removes it (real replicas that
 *       reconnect at the same moment then get separate snapshots).</li>
 *   <li><b>Permissions.</b> The backup user needs {@code AUTH}, {@code INFO}, {@code REPLCONF} and {@code SYNC}
 *       (ACL: {@code +info +replconf +sync}, or {@code +@all}); a command restore needs {@code RESTORE},
 *       {@code SELECT}, {@code FUNCTION}, {@code INFO}, and {@code FLUSHALL} with clean. The password is sent in
 *       {@code AUTH} over the socket; no process is started. TLS is not supported yet: use a loopback, private
 *       network or a TLS tunnel.</li>
 *   <li><b>Managed services</b> (ElastiCache, Azure Cache for Redis, Memorystore, ...) usually refuse {@code SYNC};
 *       the backup then fails with a message saying so. Use the service's own export there. Command restores into
 *       such services work where they allow {@code RESTORE}.</li>
 *   <li><b>Memory on the server.</b> A snapshot is written by a forked child (copy-on-write): the server needs free
 *       memory for the pages that change during the backup, as for {@code BGSAVE}. While the snapshot streams, the
 *       server buffers nothing for this connection ({@code REPLCONF rdb-only 1}, Redis 7), and closes it afterwards.</li>
 *   <li><b>Cluster.</b> One node's snapshot holds that node's slots: back up every primary.</li>
 *   <li><b>Module data</b> (RedisJSON, RediSearch, ...) is refused with the module's name: the content belongs to the
 *       module.</li>
 *   <li><b>Versions.</b> RDB format versions 1 to 12 (Redis up to 7.4/8.0) are read. A restore refuses, before
 *       changing anything, an RDB newer than the target reads (e.g. a Redis 7.2 backup, RDB 11, into Redis 7.0, which
 *       reads up to 10).</li>
 *   <li><b>Command restore</b> ({@link io.jenkins.plugins.dbbackup.engine.source.redis.RedisRestoreMode#COMMANDS}):
 *       keys are replayed with {@code RESTORE ... ABSTTL} (absolute expiry, LRU/LFU hints kept), pipelined. Without
 *       clean the target must be empty and an existing key fails the restore; clean runs {@code FLUSHALL} first.
 *       Keys whose expiry has passed by restore time are not created. A failure midway leaves a partial restore,
 *       and says so.</li>
 *   <li><b>File restore</b> ({@link io.jenkins.plugins.dbbackup.engine.source.redis.RedisRestoreMode#FILE}): the RDB
 *       is written atomically as {@code <dir>/dump.rdb}; an existing file is kept as
 *       {@code dump.rdb.replaced-<time>}. Sequence: {@code redis-cli SHUTDOWN NOSAVE} (a server that saves on
 *       shutdown would overwrite the file), restore, make sure the server will not load an AOF instead
 *       ({@code appendonly no}, or move the {@code appendonlydir} away), start the server. The file gets the old
 *       file's permissions, else 0600: the server's user must be able to read it.</li>
 * </ul>
 *
 * <h2>Verification counts</h2>
 * The manifest records {@code db<N>} (keys) and {@code db<N>.expires} (keys with an expiry) per database, counted from
 * the snapshot itself; {@link io.jenkins.plugins.dbbackup.engine.source.redis.RedisSource#compareCounts} compares them
 * with a restored server, allowing for keys that expired meanwhile.
 */
package io.jenkins.plugins.dbbackup.engine.source.redis;
