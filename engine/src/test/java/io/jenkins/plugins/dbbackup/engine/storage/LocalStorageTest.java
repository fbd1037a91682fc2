package io.jenkins.plugins.dbbackup.engine.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStorageTest extends StorageContractTest {
    @TempDir
    Path dir;

    @Override
    protected Storage newStorage() throws IOException {
        return new LocalStorage(dir.resolve("repo"));
    }

    @Test
    void filesAre0600AndDirectories0700() throws IOException {
        storage.put("set/id/manifest.json", new byte[] {1});
        Path root = dir.resolve("repo");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("set/id"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("set/id/manifest.json"))))
                .isEqualTo("rw-------");
    }

    @Test
    void interruptedWriteLeavesOnlyAnIgnoredTempFileUntilClosed() throws IOException {
        LocalStorage local = (LocalStorage) storage;
        ObjectWriter writer = local.create("set/x/data");
        writer.write(new byte[300_000]);
        writer.flush();
        assertThat(local.leftoverTempFiles()).hasSize(1);
        assertThat(local.list("")).isEmpty();
        writer.close();
        assertThat(local.leftoverTempFiles()).isEmpty();
    }

    @Test
    void deleteRemovesEmptyDirectories() throws IOException {
        storage.put("set/id/manifest.json", new byte[] {1});
        storage.delete("set/id/manifest.json");
        assertThat(dir.resolve("repo/set")).doesNotExist();
        assertThat(dir.resolve("repo")).isDirectory();
    }
}
