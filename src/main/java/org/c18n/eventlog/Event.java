package org.c18n.eventlog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The envelope of every event in the log. {@code key} is the aggregate (or claimed name) that
 * orders it; {@code data} is the type's payload, documented in docs/events.md, which
 * {@link #data(Class)} reads as its record. An event read from the log ({@link #parse}) keeps the
 * mapper that read it for that ({@code mapper}, never written); one built to be written has none.
 */
public record Event(UUID id, String type, int v, Instant at, UUID actor, String key, JsonNode data,
                    @JsonIgnore ObjectMapper mapper) {
    /** The newest envelope version this code reads: a newer event is refused, never misread. */
    public static final int VERSION = 1;

    /** An event to write. */
    public Event(UUID id, String type, int v, Instant at, UUID actor, String key, JsonNode data) {
        this(id, type, v, at, actor, key, data, null);
    }

    /**
     * The payload as its record: a payload that does not fit it (a field of the wrong type) is
     * unreadable, and the reader skips the record as it skips any it cannot read.
     */
    public <T> T data(Class<T> type) {
        if (mapper == null) {
            throw new IllegalStateException("only an event read with Event.parse reads its data as a record");
        }
        try {
            return mapper.treeToValue(data, type);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new UnreadableEvent("the data of " + this.type + " is not a " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

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
        JsonNode data = event.data();
        if (data == null || data.isNull() || data.isMissingNode()) {
            data = json.createObjectNode();
        } else if (!data.isObject()) {
            throw new UnreadableEvent("the event's data is not an object");
        }
        return new Event(event.id(), event.type(), event.v(), event.at(), event.actor(), event.key(), data, json);
    }

    /** A record of the log that is not an event this node can read. */
    public static final class UnreadableEvent extends RuntimeException {
        public UnreadableEvent(String reason) {
            super(reason, null, false, false);
        }
    }
}
