package io.jenkins.plugins.dbbackup.engine;

import io.jenkins.plugins.dbbackup.engine.codec.PipelineResult;
import io.jenkins.plugins.dbbackup.engine.codec.WritePipeline;
import io.jenkins.plugins.dbbackup.engine.process.Scrubber;
import io.jenkins.plugins.dbbackup.engine.repository.BackupId;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import io.jenkins.plugins.dbbackup.engine.repository.BackupRepository;
import io.jenkins.plugins.dbbackup.engine.source.DatabaseSource;
import io.jenkins.plugins.dbbackup.engine.source.Sources;
import io.jenkins.plugins.dbbackup.engine.storage.ObjectWriter;
import io.jenkins.plugins.dbbackup.engine.storage.Storage;
import io.jenkins.plugins.dbbackup.engine.storage.StorageFactory;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One backup: dump → pipeline → storage object → manifest. The data object is committed only after the dump tool
 * exited 0 and its output passed the source's completeness checks; the manifest is written only after that. Any
 * failure or interrupt kills the tool and discards the object, so nothing that looks complete is left.
 */
final class BackupOperation {
    private final EngineOptions options;
    private final ProgressListener listener;
    private final Clock clock;

    BackupOperation(EngineOptions options, ProgressListener listener, Clock clock) {
        this.options = options;
        this.listener = listener;
        this.clock = clock;
    }

    BackupResult run(BackupRequest request) throws IOException, InterruptedException {
        // check the database and its tool before creating anything in the repository
        DatabaseSource db = Sources.forBackup(request.source(), options, request.dump());
        DatabaseSource.SourceInfo info = db.inspect();
        try (Storage storage = StorageFactory.open(request.repository())) {
            return run(request, db, info, storage);
        }
    }

    /** Backs up into a given storage (tests inject faults through it). */
    BackupResult run(BackupRequest request, Storage storage) throws IOException, InterruptedException {
        DatabaseSource db = Sources.forBackup(request.source(), options, request.dump());
        return run(request, db, db.inspect(), storage);
    }

    private BackupResult run(BackupRequest request, DatabaseSource db, DatabaseSource.SourceInfo info, Storage storage)
            throws IOException, InterruptedException {
        DatabaseConnection source = request.source();
        BackupRepository repository = new BackupRepository(storage);
        Instant started = clock.instant();
        String id = BackupId.generate(started);
        if (repository.exists(request.set(), id)) {
            throw new BackupException("backup id " + id + " already exists in " + repository.describe());
        }
        String dataObject = "data." + info.dataExtension() + request.compression().algorithm().suffix()
                + (request.encryption().enabled() ? ".pgp" : "");
        listener.info("Backing up " + source.describe() + " (" + info.toolName() + " " + info.toolVersion()
                + ", server " + info.serverVersion() + ") to " + repository.describe() + " set "
                + request.set() + " as " + id);
        String dataKey = BackupRepository.backupPrefix(request.set(), id) + dataObject;
        PipelineResult piped;
        BackupManifest.VerificationData verification;
        try (ObjectWriter writer = storage.create(dataKey); DatabaseSource.RunningDump dump = db.startDump(info)) {
            WritePipeline pipeline = WritePipeline.open(new NonClosing(writer), request.compression(), request.encryption());
            try {
                Pump.run("backup", dump.stream(), pipeline.input(), dump::abort, listener, clock);
                pipeline.input().close();
            } catch (IOException | InterruptedException | RuntimeException | Error e) {
                try {
                    pipeline.abort(); // releases the compressor; finishes no format, so nothing looks complete
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            verification = dump.finish();
            piped = pipeline.result();
            writer.commit();
        } catch (IOException e) {
            throw new BackupException("backup of " + source.describe() + " failed: "
                    + Scrubber.scrub(e.getMessage(), source.password()), e);
        }
        Instant finished = clock.instant();
        BackupManifest manifest = manifest(request, info, id, dataObject, started, finished, piped, verification);
        try {
            repository.commit(manifest);
        } catch (IOException e) {
            // the data alone is no backup: remove it (and a manifest whose write may have landed unseen)
            for (String key : new String[] {BackupRepository.manifestKey(request.set(), id), dataKey}) {
                try {
                    storage.delete(key);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new BackupException("backup of " + source.describe() + " failed: its data was stored but the"
                    + " manifest could not be written, so the data was removed again: "
                    + Scrubber.scrub(e.getMessage(), source.password()), e);
        }
        long millis = Duration.between(started, finished).toMillis();
        listener.info(String.format("Backup %s complete: %s dumped, %s stored, sha256 %s, %.1f s", id,
                Pump.humanBytes(piped.originalBytes()), Pump.humanBytes(piped.storedBytes()),
                piped.storedSha256(), millis / 1000.0));
        return new BackupResult(id, request.set(), manifest.kind(),
                repository.describe() + (repository.describe().endsWith("/") ? "" : "/")
                        + BackupRepository.backupPrefix(request.set(), id),
                piped.originalBytes(), piped.storedBytes(), piped.originalSha256(), piped.storedSha256(),
                piped.compression().id(), request.encryption().enabled(), manifest.startedAt(),
                manifest.finishedAt(), millis, info.serverVersion(), info.toolName() + " " + info.toolVersion());
    }

    private static BackupManifest manifest(BackupRequest request, DatabaseSource.SourceInfo info, String id,
            String dataObject, Instant started, Instant finished, PipelineResult piped,
            BackupManifest.VerificationData verification) {
        DatabaseConnection s = request.source();
        BackupManifest.EncryptionInfo encryption = null;
        if (request.encryption().enabled()) {
            List<BackupManifest.RecipientInfo> recipients = new ArrayList<>();
            piped.recipients().forEach(r -> recipients.add(new BackupManifest.RecipientInfo(r.fingerprint(), r.keyId())));
            encryption = new BackupManifest.EncryptionInfo("openpgp", recipients, piped.passphraseUsed());
        }
        int level = piped.compression() == io.jenkins.plugins.dbbackup.engine.codec.Compression.NONE
                ? 0 : request.compression().level();
        return new BackupManifest(BackupManifest.CURRENT_FORMAT, id, request.set(), info.kind(), dataObject,
                new BackupManifest.Source(s.type().id(), s.host(), s.port(), s.database(), s.user(), info.serverVersion()),
                new BackupManifest.Tool(info.toolName(), info.toolVersion()),
                started.toString(), finished.toString(),
                new BackupManifest.Content(piped.originalBytes(), piped.originalSha256()),
                new BackupManifest.Content(piped.storedBytes(), piped.storedSha256()),
                new BackupManifest.CompressionInfo(piped.compression().id(), level),
                encryption, verification);
    }

    /** Keeps the pipeline from closing (and so discarding) the storage writer: commit decides. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
