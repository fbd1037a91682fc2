/**
 * The Database Backup engine: all backup logic, free of any Jenkins type.
 */
package io.jenkins.plugins.dbbackup.engine;
