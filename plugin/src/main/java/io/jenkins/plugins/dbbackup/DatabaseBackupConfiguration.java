package io.jenkins.plugins.dbbackup;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionPolicy;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins » System » Database Backup: named database connections, repositories and encryption key sets that
 * steps can refer to ({@code connection: 'orders'}, {@code repositoryName: 'offsite'}, {@code keySet: 'prod'})
 * instead of repeating them, and the default retention. Configuration as Code:
 * {@code unclassified: databaseBackup: {databases: [...], repositories: [...], keySets: [...]}}.
 * Holds credential ids only, never a secret.
 */
@Extension
@Symbol("databaseBackup")
public final class DatabaseBackupConfiguration extends GlobalConfiguration {
    private List<DatabaseDefinition> databases = new ArrayList<>();
    private List<RepositoryDefinition> repositories = new ArrayList<>();
    private List<KeySetDefinition> keySets = new ArrayList<>();
    private String defaultRetention;

    public DatabaseBackupConfiguration() {
        load();
    }

    public static DatabaseBackupConfiguration get() {
        return ExtensionList.lookupSingleton(DatabaseBackupConfiguration.class);
    }

    public List<DatabaseDefinition> getDatabases() {
        return databases == null ? List.of() : List.copyOf(databases);
    }

    @DataBoundSetter
    public void setDatabases(List<DatabaseDefinition> databases) {
        this.databases = databases == null ? new ArrayList<>() : new ArrayList<>(databases);
        save();
    }

    public List<RepositoryDefinition> getRepositories() {
        return repositories == null ? List.of() : List.copyOf(repositories);
    }

    @DataBoundSetter
    public void setRepositories(List<RepositoryDefinition> repositories) {
        this.repositories = repositories == null ? new ArrayList<>() : new ArrayList<>(repositories);
        save();
    }

    public List<KeySetDefinition> getKeySets() {
        return keySets == null ? List.of() : List.copyOf(keySets);
    }

    @DataBoundSetter
    public void setKeySets(List<KeySetDefinition> keySets) {
        this.keySets = keySets == null ? new ArrayList<>() : new ArrayList<>(keySets);
        save();
    }

    /** The retention prune applies when a step gives none, e.g. {@code keep-daily=7,keep-weekly=4}; null for none. */
    public String getDefaultRetention() {
        return defaultRetention;
    }

    @DataBoundSetter
    public void setDefaultRetention(String defaultRetention) {
        String value = BackupDatabaseStep.fixEmpty(defaultRetention);
        if (value != null) {
            // refused here, when it is configured (form or Configuration as Code), not at the first prune
            checkRetention(value);
        }
        this.defaultRetention = value;
        save();
    }

    /** The connection with this name, or null. */
    public DatabaseDefinition database(String name) {
        return getDatabases().stream().filter(d -> d.getName().equals(name)).findFirst().orElse(null);
    }

    /** The repository with this name, or null. */
    public RepositoryDefinition repository(String name) {
        return getRepositories().stream().filter(r -> r.getName().equals(name)).findFirst().orElse(null);
    }

    /** The encryption key set with this name, or null. */
    public KeySetDefinition keySet(String name) {
        return getKeySets().stream().filter(k -> k.getName().equals(name)).findFirst().orElse(null);
    }

    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        // a list the form sends no entry for is bound by no setter: clear first, so deleting the last entry sticks
        databases = new ArrayList<>();
        repositories = new ArrayList<>();
        keySets = new ArrayList<>();
        defaultRetention = null;
        req.bindJSON(this, json);
        save();
        return true;
    }

    @POST
    public FormValidation doCheckDefaultRetention(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String retention = BackupDatabaseStep.fixEmpty(value);
        if (retention == null) {
            return FormValidation.ok();
        }
        try {
            checkRetention(retention);
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(Messages.DatabaseBackupConfiguration_BadRetention(e.getMessage()));
        }
    }

    /**
     * Checks a retention text as {@code pruneBackups} reads it: comma-separated {@code name=value} pairs with the
     * engine's option names ({@code keepDaily=7,keepWeekly=4} or {@code keep-daily=7,...}).
     *
     * @throws IllegalArgumentException naming the bad option
     */
    static void checkRetention(String value) {
        StepSupport.argument("defaultRetention", () -> RetentionPolicy.parse(PruneBackupsStep.parseOptions(value)));
    }

    static boolean isValidRetention(String value) {
        try {
            checkRetention(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
