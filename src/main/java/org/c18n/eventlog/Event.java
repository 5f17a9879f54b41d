package org.c18n.eventlog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The envelope of every event in the log. {@code key} is the aggregate (or claimed name) that
 * orders it; {@code data} is the type's payload, documented in docs/events.md, which
 * {@link #data(Class)} reads as its record. An event read from the log ({@link #parse}) keeps the
 * mapper that read it for that ({@code mapper}, never written); one built to be written has none.
 *
 * <p>Envelope version 2 is a sealed event (topic c18n.users, see {@link PersonKeys}): its data in
 * the log is {@code {"sealedFor": person, "box": ...}}. Read with the keys it is the payload again,
 * and {@code sealed} keeps what the log holds; read without them, or once the person's key is
 * destroyed ({@link Sealed#shredded}), its data is only {@code {"userId": person}}.
 */
public record Event(UUID id, String type, int v, Instant at, UUID actor, String key, JsonNode data,
                    @JsonIgnore ObjectMapper mapper, @JsonIgnore Sealed sealed) {
    /**
     * The last data read as a record on this thread (data, type, record): the speed layer hands one
     * event to each of its parts in turn on one thread, and half a dozen of them read the same record.
     */
    private static final ThreadLocal<Object[]> LAST_READ = ThreadLocal.withInitial(() -> new Object[3]);
    /** The newest envelope version this code reads: a newer event is refused, never misread. */
    public static final int VERSION = 2;

    /** The envelope version of a sealed event. */
    public static final int SEALED = 2;

    /** An event to write. */
    public Event(UUID id, String type, int v, Instant at, UUID actor, String key, JsonNode data) {
        this(id, type, v, at, actor, key, data, null, null);
    }

    /**
     * What a sealed event was in the log: {@code person} whose key sealed it, {@code logged} its
     * data as the log holds it, {@code shredded} when that key was destroyed (the person erased).
     */
    public record Sealed(UUID person, JsonNode logged, boolean shredded) {}

    /** The data as the log holds it: sealed for a sealed event (what the audit table keeps). */
    public JsonNode logged() {
        return sealed == null ? data : sealed.logged();
    }

    /** Whether this is a sealed event whose person was erased: only their id is left of its data. */
    public boolean shredded() {
        return sealed != null && sealed.shredded();
    }

    /**
     * The payload as its record: a payload that does not fit it (a field of the wrong type) is
     * unreadable, and the reader skips the record as it skips any it cannot read.
     */
    public <T> T data(Class<T> type) {
        if (mapper == null) {
            throw new IllegalStateException("only an event read with Event.parse reads its data as a record");
        }
        Object[] last = LAST_READ.get();
        if (last[0] == data && last[1] == type) {
            return type.cast(last[2]);
        }
        try {
            T value = mapper.treeToValue(data, type);
            last[0] = data;
            last[1] = type;
            last[2] = value;
            return value;
        } catch (JacksonException | IllegalArgumentException e) {
            throw new UnreadableEvent("the data of " + this.type + " is not a " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * Reads a record of the log as an event without opening sealed data (a sealed event's data is
     * then only the person's id): for readers that need no personal data, such as the speed layer.
     */
    public static Event parse(ObjectMapper json, String value) {
        return parse(json, value, null);
    }

    /**
     * Reads a record of the log as an event, opening sealed data with {@code keys} (null: not), or
     * says why it is not one this node can read: a log reader skips (and records) such a record
     * instead of stopping on it.
     */
    public static Event parse(ObjectMapper json, String value, PersonKeys keys) {
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
        if (event.v() == SEALED) {
            return unsealed(json, event, data, keys);
        }
        return new Event(event.id(), event.type(), event.v(), event.at(), event.actor(), event.key(), data, json, null);
    }

    private static Event unsealed(ObjectMapper json, Event event, JsonNode logged, PersonKeys keys) {
        UUID person;
        String box = logged.path("box").asString(null);
        try {
            person = UUID.fromString(logged.path("sealedFor").asString(""));
        } catch (IllegalArgumentException e) {
            throw new UnreadableEvent("a sealed event names no person");
        }
        if (box == null) {
            throw new UnreadableEvent("a sealed event has no box");
        }
        ObjectNode idOnly = json.createObjectNode().put("userId", person.toString());
        JsonNode data = idOnly;
        boolean shredded = false;
        if (keys != null) {
            PersonKeys.Lookup lookup = keys.lookup(person);
            if (lookup instanceof PersonKeys.Present present) {
                try {
                    data = json.readTree(new String(PersonKeys.open(present.key(), box, event.id(), event.type()),
                            StandardCharsets.UTF_8));
                } catch (IllegalArgumentException | JacksonException e) {
                    throw new UnreadableEvent("cannot open the sealed data: " + e.getMessage());
                }
                if (!data.isObject()) {
                    throw new UnreadableEvent("the event's sealed data is not an object");
                }
            } else if (lookup instanceof PersonKeys.Destroyed) {
                shredded = true;
            } else {
                throw new UnreadableEvent("no key for the person " + person + " (was the ops schema restored?)");
            }
        }
        return new Event(event.id(), event.type(), event.v(), event.at(), event.actor(), event.key(), data, json,
                new Sealed(person, logged, shredded));
    }

    /** A record of the log that is not an event this node can read. */
    public static final class UnreadableEvent extends RuntimeException {
        public UnreadableEvent(String reason) {
            super(reason, null, false, false);
        }
    }
}
