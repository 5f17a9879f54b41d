package org.c18n.media;

import java.util.UUID;

/** Payload of the event on topic c18n.media, keyed by the media id (see docs/events.md). */
public final class MediaEvents {
    public static final String UPLOADED = "media.uploaded";

    private MediaEvents() {}

    public record Uploaded(UUID mediaId, UUID ownerId, String sha256, String contentType, String kind, long size,
                           Integer width, Integer height, boolean thumbnail) {}
}
