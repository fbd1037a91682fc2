package io.jenkins.plugins.dbbackup;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.dbbackup.engine.BackupException;
import io.jenkins.plugins.dbbackup.engine.PruneRequest;
import io.jenkins.plugins.dbbackup.engine.PruneResult;
import io.jenkins.plugins.dbbackup.engine.RepositorySpec;
import io.jenkins.plugins.dbbackup.engine.repository.PruneLease;
import io.jenkins.plugins.dbbackup.engine.retention.CalendarDuration;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionPolicy;
import io.jenkins.plugins.dbbackup.engine.retention.RetentionPolicyException;
import java.io.Serial;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code pruneBackups}: applies a retention policy to one set, on the agent that runs the step, under the set's
 * prune lease. The plan (every backup, kept or removed, and why) is logged either way; {@code dryRun: true} deletes
 * nothing. The policy comes from the step's {@code keep*} options, or its {@code policy} text, or the global
 * configuration's default retention, in that order.
 *
 * <p>Unattended by default ({@code dryRun} false): a nightly Pipeline prunes after it verified the newest backup,
 * and the engine removes nothing while the newest backup is not verified ({@code requireVerifiedNewest}).
 */
public final class PruneBackupsStep extends Step {
    private final String set;
    private String repository;
    private String repositoryName;
    private int keepLast;
    private int keepHourly;
    private int keepDaily;
    private int keepWeekly;
    private int keepMonthly;
    private int keepYearly;
    private String keepWithin;
    private int minKeepVerified;
    private String zone;
    private boolean requireVerifiedNewest = true;
    private boolean keepUntilVerified = true;
    private String policy;
    private boolean dryRun;

    /** @param set the backup set (series) to prune */
    @DataBoundConstructor
    public PruneBackupsStep(String set) {
        String value = StepSupport.set(set);
        if (value == null) {
            throw new IllegalArgumentException(Messages.StepSupport_SetMissing());
        }
        this.set = value;
    }

    public String getSet() {
        return set;
    }

    public String getRepository() {
        return repository;
    }

    @DataBoundSetter
    public void setRepository(String repository) {
        this.repository = StepSupport.repositoryUri(repository);
    }

    public String getRepositoryName() {
        return repositoryName;
    }

    @DataBoundSetter
    public void setRepositoryName(String repositoryName) {
        this.repositoryName = StepSupport.fixEmpty(repositoryName);
    }

    public int getKeepLast() {
        return keepLast;
    }

    @DataBoundSetter
    public void setKeepLast(int keepLast) {
        this.keepLast = count(RetentionPolicy.KEEP_LAST, keepLast);
    }

    public int getKeepHourly() {
        return keepHourly;
    }

    @DataBoundSetter
    public void setKeepHourly(int keepHourly) {
        this.keepHourly = count(RetentionPolicy.KEEP_HOURLY, keepHourly);
    }

    public int getKeepDaily() {
        return keepDaily;
    }

    @DataBoundSetter
    public void setKeepDaily(int keepDaily) {
        this.keepDaily = count(RetentionPolicy.KEEP_DAILY, keepDaily);
    }

    public int getKeepWeekly() {
        return keepWeekly;
    }

    @DataBoundSetter
    public void setKeepWeekly(int keepWeekly) {
        this.keepWeekly = count(RetentionPolicy.KEEP_WEEKLY, keepWeekly);
    }

    public int getKeepMonthly() {
        return keepMonthly;
    }

    @DataBoundSetter
    public void setKeepMonthly(int keepMonthly) {
        this.keepMonthly = count(RetentionPolicy.KEEP_MONTHLY, keepMonthly);
    }

    public int getKeepYearly() {
        return keepYearly;
    }

    @DataBoundSetter
    public void setKeepYearly(int keepYearly) {
        this.keepYearly = count(RetentionPolicy.KEEP_YEARLY, keepYearly);
    }

    /** A window such as {@code 2d}, {@code 1w} or {@code 1y6m} in which every backup is kept; null for none. */
    public String getKeepWithin() {
        return keepWithin;
    }

    @DataBoundSetter
    public void setKeepWithin(String keepWithin) {
        String value = StepSupport.fixEmpty(keepWithin);
        if (value != null) {
            CalendarDuration.parse(RetentionPolicy.KEEP_WITHIN, value);
        }
        this.keepWithin = value;
    }

    public int getMinKeepVerified() {
        return minKeepVerified;
    }

    @DataBoundSetter
    public void setMinKeepVerified(int minKeepVerified) {
        this.minKeepVerified = count(RetentionPolicy.MIN_KEEP_VERIFIED, minKeepVerified);
    }

    /** The time zone of the calendar buckets, e.g. {@code Europe/Berlin}; null for UTC (or the policy's zone). */
    public String getZone() {
        return zone;
    }

    @DataBoundSetter
    public void setZone(String zone) {
        String value = StepSupport.fixEmpty(zone);
        if (value != null) {
            RetentionPolicy.builder().zone(value);
        }
        this.zone = value;
    }

    public boolean isRequireVerifiedNewest() {
        return requireVerifiedNewest;
    }

    @DataBoundSetter
    public void setRequireVerifiedNewest(boolean requireVerifiedNewest) {
        this.requireVerifiedNewest = requireVerifiedNewest;
    }

    public boolean isKeepUntilVerified() {
        return keepUntilVerified;
    }

    @DataBoundSetter
    public void setKeepUntilVerified(boolean keepUntilVerified) {
        this.keepUntilVerified = keepUntilVerified;
    }

    /** The whole policy as text, e.g. {@code keepDaily=7,keepWeekly=4}, instead of the {@code keep*} options. */
    public String getPolicy() {
        return policy;
    }

    @DataBoundSetter
    public void setPolicy(String policy) {
        String value = StepSupport.fixEmpty(policy);
        if (value != null) {
            StepSupport.argument("policy", () -> RetentionPolicy.parse(parseOptions(value)));
        }
        this.policy = value;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    private static int count(String option, int value) {
        if (value < 0) {
            throw new RetentionPolicyException(option, "must not be negative, got " + value);
        }
        return value;
    }

    private boolean hasKeepOptions() {
        return keepLast > 0 || keepHourly > 0 || keepDaily > 0 || keepWeekly > 0 || keepMonthly > 0 || keepYearly > 0
                || keepWithin != null || minKeepVerified > 0;
    }

    /**
     * The policy this step applies. Pure.
     *
     * @param defaultRetention the global configuration's default retention text, or null
     * @throws IllegalArgumentException (often a {@link RetentionPolicyException} naming the option) when there is no
     *     policy, both a policy text and {@code keep*} options are given, or a value is bad
     */
    RetentionPolicy retentionPolicy(String defaultRetention) {
        Map<String, String> options;
        if (policy != null && hasKeepOptions()) {
            throw new IllegalArgumentException(Messages.PruneBackupsStep_PolicyAndOptions());
        } else if (policy != null) {
            options = parseOptions(policy);
        } else if (hasKeepOptions()) {
            options = new LinkedHashMap<>();
            putCount(options, RetentionPolicy.KEEP_LAST, keepLast);
            putCount(options, RetentionPolicy.KEEP_HOURLY, keepHourly);
            putCount(options, RetentionPolicy.KEEP_DAILY, keepDaily);
            putCount(options, RetentionPolicy.KEEP_WEEKLY, keepWeekly);
            putCount(options, RetentionPolicy.KEEP_MONTHLY, keepMonthly);
            putCount(options, RetentionPolicy.KEEP_YEARLY, keepYearly);
            if (keepWithin != null) {
                options.put(RetentionPolicy.KEEP_WITHIN, keepWithin);
            }
            putCount(options, RetentionPolicy.MIN_KEEP_VERIFIED, minKeepVerified);
        } else if (defaultRetention != null) {
            options = parseOptions(defaultRetention);
        } else {
            throw new IllegalArgumentException(Messages.PruneBackupsStep_NoPolicy());
        }
        RetentionPolicy parsed = RetentionPolicy.parse(options);
        // the step's safety switches can only turn a safety off, never back on against the policy text
        RetentionPolicy.Builder b = parsed.toBuilder()
                .requireVerifiedNewest(parsed.requireVerifiedNewest() && requireVerifiedNewest)
                .keepUntilVerified(parsed.keepUntilVerified() && keepUntilVerified);
        if (zone != null) {
            b.zone(zone);
        }
        return b.build();
    }

    private static void putCount(Map<String, String> options, String name, int value) {
        if (value > 0) {
            options.put(name, Integer.toString(value));
        }
    }

    /**
     * {@code keepDaily=7, keepWeekly=4} (or {@code keep-daily=7,...}) as option names and values, in order. Values
     * are checked by {@link RetentionPolicy#parse}.
     *
     * @throws IllegalArgumentException for a part that is not {@code name=value}
     */
    static Map<String, String> parseOptions(String text) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String pair = part.strip();
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(Messages.PruneBackupsStep_BadPolicyText(pair));
            }
            String name = pair.substring(0, eq).strip();
            if (options.containsKey(name)) {
                throw new RetentionPolicyException(name, "given twice");
            }
            options.put(name, pair.substring(eq + 1).strip());
        }
        if (options.isEmpty()) {
            throw new IllegalArgumentException(Messages.PruneBackupsStep_BadPolicyText(text));
        }
        return options;
    }

    /** The engine request for these arguments. Pure. */
    PruneRequest toRequest(RepositorySpec repositorySpec, String defaultRetention, String holder) {
        return new PruneRequest(repositorySpec, set, retentionPolicy(defaultRetention), dryRun, holder, null);
    }

    /** The log line after a prune: counts, and the refusal if there was one. */
    static String summary(PruneResult r) {
        long kept = r.decisions().stream().filter(PruneResult.Decision::keep).count();
        if (r.refusal() != null) {
            return Messages.PruneBackupsStep_Refused(r.set(), r.refusal());
        }
        if (r.dryRun()) {
            return Messages.PruneBackupsStep_DryRun(r.set(), String.valueOf(kept), String.valueOf(r.toRemoveCount()));
        }
        return Messages.PruneBackupsStep_Done(r.set(), String.valueOf(kept), String.valueOf(r.deleted().size()))
                + (r.keptByLock().isEmpty() ? "" : Messages.PruneBackupsStep_Locked(String.valueOf(r.keptByLock().size())));
    }

    /** What a Pipeline's step list shows for a call: never a credential id, a host or a path. */
    static String describeArguments(Map<String, Object> namedArgs) {
        return StepSupport.describe(namedArgs, "set");
    }

    @Extension
    @Symbol("pruneBackups")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "pruneBackups";
        }

        @Override
        public String getDisplayName() {
            return Messages.PruneBackupsStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return StepSupport.REQUIRED_CONTEXT;
        }

        @Override
        public String argumentsToString(Map<String, Object> namedArgs) {
            return describeArguments(namedArgs);
        }

        @POST
        public FormValidation doCheckSet(@AncestorInPath Item item, @QueryParameter String value) {
            return StepSupport.check(item, () -> new PruneBackupsStep(value));
        }

        @POST
        public FormValidation doCheckRepository(@AncestorInPath Item item, @QueryParameter String value) {
            return StepSupport.check(item, () -> StepSupport.repositoryUri(value));
        }

        @POST
        public FormValidation doCheckPolicy(@AncestorInPath Item item, @QueryParameter String value) {
            return StepSupport.check(item, () -> new PruneBackupsStep("check").setPolicy(value));
        }

        @POST
        public FormValidation doCheckKeepWithin(@AncestorInPath Item item, @QueryParameter String value) {
            return StepSupport.check(item, () -> new PruneBackupsStep("check").setKeepWithin(value));
        }

        @POST
        public FormValidation doCheckZone(@AncestorInPath Item item, @QueryParameter String value) {
            return StepSupport.check(item, () -> new PruneBackupsStep("check").setZone(value));
        }
    }

    /** Resolves the repository and policy on the controller, prunes on the agent. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        @Serial
        private static final long serialVersionUID = 1L;

        private final transient PruneBackupsStep step;

        Execution(PruneBackupsStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            StepContext context = getContext();
            Run<?, ?> run = context.get(Run.class);
            TaskListener listener = context.get(TaskListener.class);
            FilePath workspace = context.get(FilePath.class);

            RepositorySpec repository =
                    StepSupport.repository("pruneBackups", step.getRepository(), step.getRepositoryName(), run);
            PruneRequest request;
            try {
                request = step.toRequest(
                        repository, DatabaseBackupConfiguration.get().getDefaultRetention(), StepSupport.holder(run));
            } catch (IllegalArgumentException e) {
                throw new AbortException(Messages.PruneBackupsStep_Invalid(e.getMessage()));
            }
            listener.getLogger().println(Messages.PruneBackupsStep_Starting(
                    request.set(), request.repository().uri(), request.policy().toString())
                    + (request.dryRun() ? Messages.PruneBackupsStep_DryRunNote() : ""));
            PruneResult result;
            try {
                result = workspace.act(new PruneCallable(request, listener));
            } catch (PruneLease.HeldException e) {
                throw new AbortException(Messages.PruneBackupsStep_Held(request.set(), e.getMessage()));
            } catch (BackupException e) {
                throw new AbortException(Messages.PruneBackupsStep_Failed(request.set(), e.getMessage()));
            }
            listener.getLogger().println(summary(result));
            DatabaseBackupAction.record(run, result);
            return result.toMap();
        }
    }
}
