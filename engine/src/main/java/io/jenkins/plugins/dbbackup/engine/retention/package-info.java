/**
 * Retention: a policy value, its parser, and a pure planner that says for every backup whether it is kept and why.
 *
 * <p>Nothing here reads a clock, a file or a repository: {@link
 * io.jenkins.plugins.dbbackup.engine.retention.RetentionPlanner#plan RetentionPlanner.plan(backups, policy, now)}
 * takes everything as parameters and returns a {@link io.jenkins.plugins.dbbackup.engine.retention.RetentionPlan}.
 * Executing the plan (deleting manifest first, then data) belongs to the repository layer.
 */
package io.jenkins.plugins.dbbackup.engine.retention;
