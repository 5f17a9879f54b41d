package org.c18n.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The bytes of the media store under keys {@code <aa>/<sha-256>[.derived]}: a local directory or
 * an S3 bucket. A store that cannot be reached throws {@link org.c18n.eventlog.Refused} (unavailable).
 */
sealed interface Blobs permits LocalBlobs, S3Blobs {
    /** The object's size in bytes, or -1 when there is none under {@code key}. */
    long size(String key) throws IOException;

    /** {@code length} bytes from {@code offset}, streamed. */
    InputStream open(String key, long offset, long length) throws IOException;

    /** Stores a copy of {@code file} under {@code key} (streamed; whole or not at all). */
    void put(String key, Path file) throws IOException;

    /** Deletes every object whose key starts with {@code prefix}. */
    void deleteStartingWith(String prefix) throws IOException;
}
