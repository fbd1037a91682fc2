/** The Database Backup Jenkins plugin. */
package io.jenkins.plugins.dbbackup;
