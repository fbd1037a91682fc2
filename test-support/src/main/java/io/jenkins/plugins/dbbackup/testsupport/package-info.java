/** Throwaway database servers for tests. */
package io.jenkins.plugins.dbbackup.testsupport;
