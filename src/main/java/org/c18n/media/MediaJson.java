package org.c18n.media;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * An uploaded file as the API shows it; the URLs carry a signature so that img and video tags can load them.
 * A video's {@code posterId} and {@code posterUrl} name the image its player shows before it plays.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MediaJson(UUID id, String kind, String contentType, long size, Integer width, Integer height,
                        String url, String thumbnailUrl, UUID posterId, String posterUrl, Instant createdAt) {}
