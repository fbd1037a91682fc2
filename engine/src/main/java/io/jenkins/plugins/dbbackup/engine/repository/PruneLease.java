package io.jenkins.plugins.dbbackup.engine.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.SetName;
import io.jenkins.plugins.dbbackup.engine.storage.Storage;
import io.jenkins.plugins.dbbackup.engine.storage.StorageException;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A lease on pruning one set: the object {@code <set>/prune.lease} with its holder, start and expiry. Two prunes of a
 * set never run at once; a lease whose holder died expires and may be taken over. Backups take no lease: a backup in
 * progress has no manifest yet, so pruning never considers it.
 */
public final class PruneLease implements AutoCloseable {
    public static final String NAME = "prune.lease";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Storage storage;
    private final String key;
    private final Content content;
    private boolean released;

    private PruneLease(Storage storage, String key, Content content) {
        this.storage = storage;
        this.key = key;
        this.content = content;
    }

    /**
     * What a lease object holds.
     *
     * @param holder who holds it (user@host, pid, or a Jenkins build)
     * @param token a random value that tells this holder's lease from another's
     * @param acquiredAt when it was taken
     * @param expiresAt when another prune may take it over
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Content(String holder, String token, String acquiredAt, String expiresAt) {}

    /** Thrown when another holder's lease is current. */
    public static final class HeldException extends BackupException {
        private static final long serialVersionUID = 1L;

        HeldException(String message) {
            super(message);
        }
    }

    public static String key(String set) {
        return SetName.check(set) + "/" + NAME;
    }

    /**
     * Takes the lease on pruning {@code set}.
     *
     * @throws HeldException naming the holder and the expiry when another current lease exists
     */
    public static PruneLease acquire(Storage storage, String set, String holder, Duration ttl, Clock clock)
            throws IOException {
        String key = key(set);
        Instant now = clock.instant();
        Content mine = new Content(holder, HexFormat.of().toHexDigits(RANDOM.nextLong()), now.toString(),
                now.plus(ttl).toString());
        byte[] json = ManifestCodec.MAPPER.writeValueAsBytes(mine);
        for (int attempt = 0; attempt < 3; attempt++) {
            if (storage.putIfAbsent(key, json)) {
                Optional<Content> written = read(storage, key);
                if (written.isPresent() && written.get().token().equals(mine.token())) {
                    return new PruneLease(storage, key, mine);
                }
                continue; // a racing writer replaced it on a backend without atomic create: look again
            }
            Optional<Content> current = read(storage, key);
            if (current.isEmpty()) {
                continue; // released meanwhile, or unreadable: an unreadable lease is replaced below
            }
            Instant expires = parseOrEpoch(current.get().expiresAt());
            if (expires.isAfter(now)) {
                throw new HeldException("pruning of set " + set + " is held by " + current.get().holder()
                        + " since " + current.get().acquiredAt() + " (lease expires " + current.get().expiresAt()
                        + "): wait for it to finish, or remove " + key + " if that holder is gone");
            }
            storage.delete(key); // stale: its holder died without releasing it
        }
        throw new BackupException("could not take the prune lease " + key + ": another prune keeps racing for it");
    }

    /** The current lease of a set, if any (for repository checks and messages). */
    public static Optional<Content> current(Storage storage, String set) throws IOException {
        return read(storage, key(set));
    }

    public Content content() {
        return content;
    }

    /** Releases the lease if it is still ours. Idempotent. */
    @Override
    public void close() throws IOException {
        if (released) {
            return;
        }
        released = true;
        Optional<Content> current = read(storage, key);
        if (current.isPresent() && current.get().token().equals(content.token())) {
            storage.delete(key);
        }
    }

    private static Optional<Content> read(Storage storage, String key) throws IOException {
        try {
            Content c = ManifestCodec.MAPPER.readValue(storage.read(key), Content.class);
            return c.token() == null ? Optional.empty() : Optional.of(c);
        } catch (StorageException e) {
            if (e.kind() == StorageException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            storage.delete(key); // garbage where a lease should be: nobody can hold it
            return Optional.empty();
        }
    }

    private static Instant parseOrEpoch(String time) {
        try {
            return Instant.parse(time);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }
}
