package org.c18n.eventlog;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * The envelope of every event in the log. {@code key} is the aggregate (or claimed name) that
 * orders it; {@code data} is the type's payload, documented in docs/events.md.
 */
public record Event(UUID id, String type, int v, Instant at, UUID actor, String key, JsonNode data) {}
