package io.jenkins.plugins.dbbackup.engine.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.dbbackup.engine.storage.ObjectInfo;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectWriter;
import io.jenkins.plugins.dbbackup.engine.storage.Storage;
import io.jenkins.plugins.dbbackup.engine.storage.StorageContractTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The storage contract against a real S3 protocol server, plus what is specific to S3. */
class S3StorageContractTest extends StorageContractTest {
    private static S3TestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3TestServer.shared();
    }


    @Override
    protected Storage newStorage() {
        return S3TestServer.storage(server.endpoint(), S3TestServer.testOptions());
    }

    /** Seven 5 MiB parts and a short one. */
    @Override
    protected long largeObjectBytes() {
        return 32L * 1024 * 1024 + 12345;
    }

    @Test
    void listsMoreThanOnePageCompletelyAndOnlyUnderItsPrefix() throws Exception {
        S3Storage s3 = (S3Storage) storage;
        int count = 2_345;
        // 2,345 PUTs cost half a minute on a busy machine; the listing is what is tested here, so the objects are
        // placed straight into the server's filesystem backend (one file per key), plus a few through the API
        Path repo = server.bucketDirectory().resolve(s3.location().prefix());
        for (int i = 0; i < count - 2; i++) {
            Path file = repo.resolve(String.format("orders/%05d/manifest.json", i));
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[] {1});
        }
        storage.put(String.format("orders/%05d/manifest.json", count - 2), new byte[] {1});
        storage.put(String.format("orders/%05d/manifest.json", count - 1), new byte[] {1});
        storage.put("orders-old/x/manifest.json", new byte[] {2});
        // a sibling repository whose prefix starts with ours must stay invisible
        try (S3Storage sibling = S3TestServer.storage(server.endpoint(),
                s3.location().prefix().substring(0, s3.location().prefix().length() - 1) + "x",
                S3TestServer.testOptions())) {
            sibling.put("orders/zzz/manifest.json", new byte[] {3});
        }

        try (FaultProxy counting = new FaultProxy(server.endpoint());
                S3Storage viaProxy = S3TestServer.storage(counting.endpoint(), s3.location().prefix(),
                        S3TestServer.testOptions())) {
            List<ObjectInfo> orders = viaProxy.list("orders/");
            assertThat(orders).hasSize(count);
            assertThat(orders).extracting(ObjectInfo::key).isSorted().doesNotHaveDuplicates();
            assertThat(orders.get(0).key()).isEqualTo("orders/00000/manifest.json");
            assertThat(orders.get(count - 1).key()).isEqualTo(String.format("orders/%05d/manifest.json", count - 1));
            // ListObjectsV2 pages hold at most 1,000 keys: three pages, the later ones by continuation token
            List<FaultProxy.Request> pages = counting.requests().stream()
                    .filter(r -> r.method().equals("GET") && r.target().contains("list-type=2")).toList();
            assertThat(pages).hasSize(3);
            assertThat(pages.subList(1, 3)).allSatisfy(r -> assertThat(r.target()).contains("continuation-token="));
        }
        assertThat(storage.list("")).hasSize(count + 1);
    }

    @Test
    void objectsLiveUnderTheRepositoryPrefixAndKeysAreRelative() throws Exception {
        S3Storage s3 = (S3Storage) storage;
        storage.put("set/a/manifest.json", new byte[] {1});
        try (S3Client raw = server.rawClient()) {
            List<String> keys = raw.listObjectsV2(b -> b.bucket(S3TestServer.BUCKET).prefix(s3.location().prefix()))
                    .contents().stream().map(S3Object::key).toList();
            assertThat(keys).containsExactly(s3.location().prefix() + "set/a/manifest.json");
        }
        assertThat(storage.list("set/")).extracting(ObjectInfo::key).containsExactly("set/a/manifest.json");
        assertThat(storage.stat("set/a/manifest.json")).get().extracting(ObjectInfo::key)
                .isEqualTo("set/a/manifest.json");
    }

    @Test
    void multipartUploadHoldsABoundedNumberOfBuffers() throws Exception {
        S3Storage s3 = (S3Storage) storage;
        byte[] chunk = new byte[1024 * 1024];
        MultipartWriter writer = (MultipartWriter) s3.create("set/big/data.bin");
        try (writer) {
            for (int i = 0; i < 26; i++) { // 5 full parts and a 1 MiB tail
                writer.write(chunk);
            }
            writer.commit();
        }
        assertThat(writer.uploadId()).isNotNull();
        assertThat(writer.buffersAllocated()).isLessThanOrEqualTo(s3.options().partsInFlight() + 1);
        assertThat(storage.stat("set/big/data.bin")).get().extracting(ObjectInfo::size).isEqualTo(26L * chunk.length);
    }

    @Test
    void objectOfExactlyOnePartIsOnePut() throws Exception {
        S3Storage s3 = (S3Storage) storage;
        MultipartWriter writer = (MultipartWriter) s3.create("set/one/data.bin");
        try (ObjectWriter w = writer) {
            w.write(new byte[(int) s3.options().partSize()]);
            w.commit();
        }
        assertThat(writer.uploadId()).isNull();
        assertThat(storage.stat("set/one/data.bin")).get().extracting(ObjectInfo::size)
                .isEqualTo(s3.options().partSize());
    }
}
