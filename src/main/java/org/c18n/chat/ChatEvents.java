package org.c18n.chat;

import java.util.List;
import java.util.UUID;

/** Payloads of the events on topic c18n.messages, keyed by room id (see docs/events.md). */
public final class ChatEvents {
    public static final String DIRECT_OPENED = "room.direct_opened";
    public static final String MESSAGE_SENT = "message.sent";
    public static final String MESSAGE_EDITED = "message.edited";
    public static final String MESSAGE_DELETED = "message.deleted";
    public static final String MESSAGE_READ = "message.read";
    public static final String MESSAGE_EMOJI_ADDED = "message.emoji_added";
    public static final String MESSAGE_EMOJI_REMOVED = "message.emoji_removed";

    private ChatEvents() {}

    /** Keyed by the pair ({@code direct:<a>:<b>}, a &lt; b), so a pair opened twice at once gets one room. */
    public record DirectOpened(UUID roomId, UUID userA, UUID userB) {}

    /**
     * {@code senderUsername} is only in early events: a name is personal data, which only the
     * (sealed) users topic may hold, so delivery looks it up;
     * {@code mentions} are the room members named as @username (absent in early events: none);
     * {@code offline} the members connected to no node when it was sent, in rooms of up to
     * {@value Chat#OFFLINE_NOTICE_MAX_MEMBERS} members (absent in early events and larger rooms: none).
     */
    public record MessageSent(UUID messageId, UUID roomId, UUID senderId, String senderUsername, String body,
                              UUID replyTo, List<UUID> mediaIds, String clientMsgId, List<UUID> mentions,
                              List<UUID> offline) {}

    public record MessageEdited(UUID messageId, UUID roomId, String body) {}

    public record MessageDeleted(UUID messageId, UUID roomId, UUID by) {}

    /** The user has read the room up to and including {@code seq}. */
    public record MessageRead(UUID roomId, UUID userId, long seq) {}

    /** {@code emoji} one of the allowed set, as stored. */
    public record MessageEmoji(UUID messageId, UUID roomId, UUID userId, String emoji) {}
}
