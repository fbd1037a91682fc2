package io.jenkins.plugins.dbbackup;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.dbbackup.engine.DatabaseType;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** A named database connection in the global configuration. Holds a credential id, never a password. */
public final class DatabaseDefinition implements Describable<DatabaseDefinition> {
    private final String name;
    private String type;
    private String host;
    private int port;
    private String database;
    private String credentialsId;

    @DataBoundConstructor
    public DatabaseDefinition(String name) {
        String value = BackupDatabaseStep.fixEmpty(name);
        if (value == null) {
            throw new IllegalArgumentException(Messages.DatabaseDefinition_NameMissing());
        }
        this.name = value;
    }

    public String getName() {
        return name;
    }

    public String getType() {
        return type;
    }

    @DataBoundSetter
    public void setType(String type) {
        String value = BackupDatabaseStep.fixEmpty(type);
        this.type = value == null ? null : StepSupport.argument("type", () -> DatabaseType.parse(value).id());
    }

    public String getHost() {
        return host;
    }

    @DataBoundSetter
    public void setHost(String host) {
        this.host = StepSupport.host("host", host);
    }

    public int getPort() {
        return port;
    }

    @DataBoundSetter
    public void setPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(Messages.BackupDatabaseStep_PortOutOfRange(String.valueOf(port)));
        }
        this.port = port;
    }

    public String getDatabase() {
        return database;
    }

    @DataBoundSetter
    public void setDatabase(String database) {
        this.database = BackupDatabaseStep.fixEmpty(database);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = BackupDatabaseStep.fixEmpty(credentialsId);
    }

    @Extension
    @Symbol("database")
    public static final class DescriptorImpl extends Descriptor<DatabaseDefinition> {
        @Override
        public String getDisplayName() {
            return Messages.DatabaseDefinition_DisplayName();
        }

        public ListBoxModel doFillTypeItems() {
            return StepSupport.typeItems(false);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return usernamePasswordItems(credentialsId);
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return BackupDatabaseStep.fixEmpty(value) == null
                    ? FormValidation.error(Messages.DatabaseDefinition_NameMissing())
                    : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckPort(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return BackupDatabaseStep.fixEmpty(value) == null
                    ? FormValidation.ok()
                    : FormValidation.validateIntegerInRange(value.trim(), 0, 65535);
        }
    }

    /**
     * "Username with password" credentials for a drop-down in the global configuration: the full list only for
     * administrators, otherwise just the current value.
     */
    static ListBoxModel usernamePasswordItems(String credentialsId) {
        StandardListBoxModel result = new StandardListBoxModel();
        Jenkins jenkins = Jenkins.get();
        if (!jenkins.hasPermission(Jenkins.ADMINISTER)) {
            return result.includeCurrentValue(credentialsId);
        }
        return result.includeEmptyValue()
                .includeMatchingAs(
                        ACL.SYSTEM2,
                        jenkins,
                        StandardUsernamePasswordCredentials.class,
                        List.of(),
                        CredentialsMatchers.always())
                .includeCurrentValue(credentialsId);
    }
}
