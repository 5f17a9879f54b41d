package org.c18n.eventlog;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The envelope of every event in the log. {@code key} is the aggregate (or claimed name) that
 * orders it; {@code data} is the type's payload, documented in docs/events.md.
 */
public record Event(UUID id, String type, int v, Instant at, UUID actor, String key, JsonNode data) {
    /** The newest envelope version this code reads: a newer event is refused, never misread. */
    public static final int VERSION = 1;

    /**
     * Reads a record of the log as an event, or says why it is not one this node can read: a log
     * reader skips (and records) such a record instead of stopping on it.
     */
    public static Event parse(ObjectMapper json, String value) {
        if (value == null) {
            throw new UnreadableEvent("the record has no value");
        }
        Event event;
        try {
            event = json.readValue(value, Event.class);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new UnreadableEvent("not a JSON event envelope: " + e.getMessage());
        }
        if (event == null || event.id() == null || event.type() == null || event.at() == null) {
            throw new UnreadableEvent("the envelope lacks its id, type or time");
        }
        if (event.v() < 1 || event.v() > VERSION) {
            throw new UnreadableEvent("envelope version " + event.v() + " is not one this node reads (1 to " + VERSION + ")");
        }
        if (event.data() == null || event.data().isNull() || event.data().isMissingNode()) {
            return new Event(event.id(), event.type(), event.v(), event.at(), event.actor(), event.key(),
                    json.createObjectNode());
        }
        if (!event.data().isObject()) {
            throw new UnreadableEvent("the event's data is not an object");
        }
        return event;
    }

    /** A record of the log that is not an event this node can read. */
    public static final class UnreadableEvent extends RuntimeException {
        public UnreadableEvent(String reason) {
            super(reason, null, false, false);
        }
    }
}
