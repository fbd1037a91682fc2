/**
 * OpenPGP encryption of the stored object (RFC 4880 messages that GnuPG 2.2 reads and writes).
 *
 * <p>Bulk data is encrypted with AES-256 in the OpenPGP CFB mode with a modification detection code (a SEIPD v1
 * packet, which every GnuPG since 1.4 reads) through the JDK's own JCA provider, so AES-NI is used. The one-off
 * operations (wrapping the session key for each public key, deriving a key from a passphrase, unlocking a secret
 * key) use BouncyCastle's lightweight API, so no JCA provider has to be registered, which keeps the engine working
 * from a shaded jar and on runtimes that insist on signed providers.
 */
package io.jenkins.plugins.dbbackup.engine.crypto;
