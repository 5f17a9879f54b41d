package org.c18n.media;

import java.util.UUID;

/** Payloads of the events on topic c18n.media, keyed by the media id (see docs/events.md). */
public final class MediaEvents {
    public static final String UPLOADED = "media.uploaded";
    public static final String DELETED = "media.deleted";

    private MediaEvents() {}

    /** {@code posterOf}: the video of the same owner this image is the poster of (null: an upload of its own, and in older events). */
    public record Uploaded(UUID mediaId, UUID ownerId, String sha256, String contentType, String kind, long size,
                           Integer width, Integer height, boolean thumbnail, UUID posterOf) {}

    /** The upload is gone (its owner's account was deleted): its file too, unless another upload holds the same bytes. */
    public record Deleted(UUID mediaId, UUID ownerId) {}
}
