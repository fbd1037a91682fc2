/**
 * The streaming data path: compression, digests, and the write and read pipelines that chain them with the
 * OpenPGP layer of {@link io.jenkins.plugins.dbbackup.engine.crypto}.
 *
 * <p>Every stream here follows the same rules: {@code write(b, off, len)} honours {@code off} and checks bounds;
 * {@code close()} is idempotent, releases native resources in {@code finally} and attaches later failures as
 * suppressed exceptions; results (digests, sizes) are readable only once the stream is closed or, for reads, has
 * been read to the end. Memory is bounded by a few fixed buffers; nothing is spooled to memory or disk.
 */
package io.jenkins.plugins.dbbackup.engine.codec;
