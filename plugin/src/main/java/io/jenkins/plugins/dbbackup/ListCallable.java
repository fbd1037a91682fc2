package io.jenkins.plugins.dbbackup;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.repository.BackupManifest;
import java.io.File;
import java.io.IOException;
import java.io.Serial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lists the complete backups of a set (or of every set) on the agent, as plain maps for scripts: only what a
 * Pipeline needs, so manifests (with their row counts) do not travel back whole.
 */
final class ListCallable extends EngineCallable<ArrayList<Map<String, Object>>> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final RepositorySpec repository;
    private final String set;

    ListCallable(RepositorySpec repository, String set, TaskListener listener) {
        super(null, listener);
        this.repository = repository;
        this.set = set;
    }

    @Override
    public ArrayList<Map<String, Object>> invoke(File workspace, VirtualChannel channel) throws IOException {
        ArrayList<Map<String, Object>> rows = new ArrayList<>();
        for (BackupManifest m : engine().list(repository, set)) {
            rows.add(toMap(m));
        }
        return rows;
    }

    /** The keys {@code listBackups} documents. */
    static Map<String, Object> toMap(BackupManifest m) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", m.id());
        row.put("set", m.set());
        row.put("kind", m.kind());
        row.put("startedAt", m.startedAt());
        row.put("finishedAt", m.finishedAt());
        row.put("originalBytes", m.original() == null ? 0L : m.original().bytes());
        row.put("storedBytes", m.stored() == null ? 0L : m.stored().bytes());
        row.put("storedSha256", m.stored() == null ? null : m.stored().sha256());
        row.put("compression", m.compression() == null ? null : m.compression().algorithm());
        row.put("encrypted", m.encryption() != null);
        return row;
    }

    @Override
    public String toString() {
        return "ListCallable[" + repository.uri() + (set == null ? "" : " set " + set) + "]";
    }
}
