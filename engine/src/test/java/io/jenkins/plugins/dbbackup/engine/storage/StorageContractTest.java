package io.jenkins.plugins.dbbackup.engine.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Storage} meets. A backend's test extends this class and supplies a fresh, empty storage
 * per test; the same assertions then hold for local disk and S3.
 */
public abstract class StorageContractTest {
    protected Storage storage;

    /** A new, empty storage for one test. */
    protected abstract Storage newStorage() throws Exception;

    /** How many bytes the large-object test streams; backends may lower it. */
    protected long largeObjectBytes() {
        return 64L * 1024 * 1024;
    }

    @BeforeEach
    void openStorage() throws Exception {
        storage = newStorage();
    }

    @AfterEach
    void closeStorage() throws IOException {
        if (storage != null) {
            storage.close();
        }
    }

    @Test
    void putThenReadReturnsTheSameBytes() throws IOException {
        storage.put("set/a/manifest.json", "{\"x\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(storage.read("set/a/manifest.json")).asString(StandardCharsets.UTF_8).isEqualTo("{\"x\":1}");
        assertThat(storage.stat("set/a/manifest.json")).get().extracting(ObjectInfo::size).isEqualTo(7L);
    }

    @Test
    void emptyObjectIsAnObject() throws IOException {
        storage.put("set/empty", new byte[0]);
        assertThat(storage.read("set/empty")).isEmpty();
        assertThat(storage.list("set/")).extracting(ObjectInfo::key).containsExactly("set/empty");
    }

    @Test
    void uncommittedWriteLeavesNothing() throws IOException {
        try (ObjectWriter writer = storage.create("set/b/data.bin")) {
            writer.write(new byte[1024 * 1024]);
        }
        assertThat(storage.stat("set/b/data.bin")).isEmpty();
        assertThat(storage.list("")).isEmpty();
    }

    @Test
    void objectIsInvisibleUntilCommitted() throws IOException {
        try (ObjectWriter writer = storage.create("set/c/data.bin")) {
            writer.write(new byte[4096]);
            assertThat(storage.stat("set/c/data.bin")).isEmpty();
            assertThat(storage.list("set/")).isEmpty();
            writer.commit();
        }
        assertThat(storage.stat("set/c/data.bin")).get().extracting(ObjectInfo::size).isEqualTo(4096L);
    }

    @Test
    void writesHonourOffsetAndSingleBytes() throws IOException {
        byte[] source = "0123456789".getBytes(StandardCharsets.US_ASCII);
        try (ObjectWriter writer = storage.create("set/d")) {
            writer.write(source, 3, 4); // 3456
            writer.write('x');
            writer.write(source, 0, 0);
            writer.commit();
        }
        assertThat(storage.read("set/d")).asString(StandardCharsets.US_ASCII).isEqualTo("3456x");
    }

    @Test
    void writeAfterCommitFails() throws IOException {
        try (ObjectWriter writer = storage.create("set/e")) {
            writer.write(1);
            writer.commit();
            assertThatThrownBy(() -> writer.write(2)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void missingObjectIsNotFound() throws IOException {
        assertThatThrownBy(() -> storage.open("set/none").close())
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.NOT_FOUND));
        assertThat(storage.stat("set/none")).isEmpty();
    }

    @Test
    void overwriteReplacesWhole() throws IOException {
        storage.put("set/f", "first version".getBytes(StandardCharsets.UTF_8));
        storage.put("set/f", "second".getBytes(StandardCharsets.UTF_8));
        assertThat(storage.read("set/f")).asString(StandardCharsets.UTF_8).isEqualTo("second");
    }

    @Test
    void listIsSortedCompleteAndIsolatedByPrefix() throws IOException {
        for (int i = 0; i < 25; i++) {
            storage.put(String.format("orders/%03d/manifest.json", i), new byte[] {1});
        }
        storage.put("orders-archive/x/manifest.json", new byte[] {1});
        storage.put("users/y/manifest.json", new byte[] {1});
        List<ObjectInfo> orders = storage.list("orders/");
        assertThat(orders).hasSize(25);
        assertThat(orders.get(0).key()).isEqualTo("orders/000/manifest.json");
        assertThat(orders).extracting(ObjectInfo::key).isSorted();
        assertThat(storage.list("")).hasSize(27);
        assertThat(storage.list("nothing/")).isEmpty();
    }

    @Test
    void deleteRemovesAndIsIdempotent() throws IOException {
        storage.put("set/g/manifest.json", new byte[] {1});
        storage.put("set/g/data", new byte[] {2});
        storage.delete("set/g/manifest.json");
        storage.delete("set/g/manifest.json");
        assertThat(storage.list("set/")).extracting(ObjectInfo::key).containsExactly("set/g/data");
    }

    @Test
    void putIfAbsentCreatesOnlyOnce() throws IOException {
        assertThat(storage.putIfAbsent("set/prune.lease", "first".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(storage.putIfAbsent("set/prune.lease", "second".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(storage.read("set/prune.lease")).asString(StandardCharsets.UTF_8).isEqualTo("first");
        storage.delete("set/prune.lease");
        assertThat(storage.putIfAbsent("set/prune.lease", "third".getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @Test
    void keysThatEscapeTheRootAreRejected() {
        for (String bad : List.of("../x", "a/../../x", "/abs", "a//b", "a/./b", "a\\b", "")) {
            assertThatThrownBy(() -> storage.create(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void largeStreamedObjectRoundTrips() throws Exception {
        long total = largeObjectBytes();
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[1024 * 1024 + 17]; // odd size: not aligned with any part or buffer size
        new Random(42).nextBytes(chunk);
        try (ObjectWriter writer = storage.create("set/h/data.bin")) {
            long left = total;
            while (left > 0) {
                int n = (int) Math.min(chunk.length, left);
                writer.write(chunk, 0, n);
                written.update(chunk, 0, n);
                left -= n;
            }
            writer.commit();
        }
        MessageDigest read = MessageDigest.getInstance("SHA-256");
        long count = 0;
        try (InputStream in = storage.open("set/h/data.bin")) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                read.update(buf, 0, n);
                count += n;
            }
        }
        assertThat(count).isEqualTo(total);
        assertThat(HexFormat.of().formatHex(read.digest())).isEqualTo(HexFormat.of().formatHex(written.digest()));
    }
}
