package org.c18n.notification;

import java.util.List;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.c18n.chat.ChatEvents;
import org.c18n.eventlog.Event;
import tools.jackson.databind.ObjectMapper;

/**
 * "New messages while you were away": a member who was offline when a message was sent hears of it
 * once, and not again for that room until they have read it (a {@code message.read} of theirs),
 * so a busy conversation yields one notification rather than one per message. Someone the message
 * mentions gets the mention instead. Every event of a room is keyed by the room, so the store of
 * who has been told sits on the partition that sees both the messages and the reads.
 */
final class RoomMessages implements Processor<String, Event, String, Event> {
    /** A member of a room, as the store of who has been told keys it. */
    record RoomMember(UUID room, UUID member) {}

    private final ObjectMapper json;
    private ProcessorContext<String, Event> context;
    /** Who has been told of a message of the room since they last read it: which message. */
    private KeyValueStore<RoomMember, UUID> told;

    RoomMessages(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void init(ProcessorContext<String, Event> context) {
        this.context = context;
        this.told = context.getStateStore(NotificationTopology.ROOM_TOLD);
    }

    @Override
    public void process(Record<String, Event> record) {
        Event event = record.value();
        switch (event.type()) {
            case ChatEvents.MESSAGE_SENT -> {
                var message = event.data(ChatEvents.MessageSent.class);
                List<UUID> mentioned = message.mentions() == null ? List.of() : message.mentions();
                for (UUID member : message.offline() == null ? List.<UUID>of() : message.offline()) {
                    RoomMember key = new RoomMember(message.roomId(), member);
                    if (mentioned.contains(member) || told.get(key) != null) {
                        continue;
                    }
                    told.put(key, message.messageId());
                    for (var out : NotificationTopology.notify(json, event, member, NotificationEvents.MESSAGE, null, null,
                            null, message.roomId(), message.messageId(), null)) {
                        context.forward(new Record<>(out.key, out.value, record.timestamp()));
                    }
                }
            }
            case ChatEvents.MESSAGE_READ -> {
                var read = event.data(ChatEvents.MessageRead.class);
                told.delete(new RoomMember(read.roomId(), read.userId()));
            }
            default -> { }
        }
    }
}
