package org.c18n.chat;

import java.util.List;
import java.util.UUID;
import org.c18n.infra.C18nProperties;
import org.c18n.eventlog.Commands;
import org.c18n.eventlog.EventLog;
import org.c18n.eventlog.Refused;
import org.c18n.eventlog.Topics;
import org.c18n.eventlog.Uuids;
import org.c18n.hub.Ephemeral;
import org.c18n.hub.Hub;
import org.c18n.identity.Users;
import org.c18n.web.CurrentUser;
import org.springframework.stereotype.Component;

/**
 * The chat commands, the same over REST and over the WebSocket. A command refused (bad input, a
 * room the caller is not in, a message not theirs) throws {@link Refused} before anything is written.
 */
@Component
public class Chat {
    private final Rooms rooms;
    private final Messages messages;
    private final Users users;
    private final org.c18n.media.Media media;
    private final EventLog log;
    private final Hub hub;
    private final RecentMessages recent;
    private final Commands commands;
    private final C18nProperties props;
    private final Ephemeral ephemeral;

    /** Above this many members a room's messages notify only the people mentioned. */
    static final int OFFLINE_NOTICE_MAX_MEMBERS = 50;

    public Chat(Rooms rooms, Messages messages, Users users, org.c18n.media.Media media, EventLog log, Hub hub,
                RecentMessages recent, Commands commands, C18nProperties props, Ephemeral ephemeral) {
        this.ephemeral = ephemeral;
        this.hub = hub;
        this.recent = recent;
        this.media = media;
        this.rooms = rooms;
        this.messages = messages;
        this.users = users;
        this.log = log;
        this.commands = commands;
        this.props = props;
    }

    /** A message in the log: its id, and its place in the room's order. */
    public record Sent(UUID messageId, EventLog.Appended appended) {
        public long seq() {
            return appended.offset();
        }
    }

    /** Appends the message; answers once the log has it (durable), before any member sees it. */
    public Sent send(CurrentUser me, UUID roomId, String body, UUID replyTo, List<UUID> mediaIds, String clientMsgId) {
        requireMember(roomId, me);
        List<UUID> attached = check(me, roomId, body, replyTo, mediaIds, clientMsgId);
        var sent = sent(me, roomId, body, replyTo, attached, clientMsgId);
        return new Sent(sent.messageId(), log.append(Topics.MESSAGES, ChatEvents.MESSAGE_SENT, me.id(), roomId.toString(), sent));
    }

    /**
     * The socket's send: membership was checked against the connection's rooms (kept current from
     * the log); the answer comes when the log acknowledges, so a sender can pipeline messages.
     */
    public java.util.concurrent.CompletableFuture<Sent> sendPipelined(CurrentUser me, UUID roomId, String body,
                                                                      UUID replyTo, List<UUID> mediaIds,
                                                                      String clientMsgId) {
        List<UUID> attached = check(me, roomId, body, replyTo, mediaIds, clientMsgId);
        var sent = sent(me, roomId, body, replyTo, attached, clientMsgId);
        return log.appendAsync(Topics.MESSAGES, ChatEvents.MESSAGE_SENT, me.id(), roomId.toString(), sent)
                .thenApply(appended -> new Sent(sent.messageId(), appended));
    }

    /**
     * The event of a new message, with who it mentions and who is offline as it is sent. The room's
     * members are read once, at most {@value #OFFLINE_NOTICE_MAX_MEMBERS} + 1 of them: enough for
     * both in a small room; in a larger one nobody is noticed offline and each name is checked alone.
     */
    private ChatEvents.MessageSent sent(CurrentUser me, UUID roomId, String body, UUID replyTo, List<UUID> attached,
                                        String clientMsgId) {
        List<UUID> members = rooms.membersUpTo(roomId, OFFLINE_NOTICE_MAX_MEMBERS + 1);
        boolean small = members.size() <= OFFLINE_NOTICE_MAX_MEMBERS;
        java.util.function.Predicate<UUID> member = small ? members::contains : user -> rooms.isMember(roomId, user);
        return new ChatEvents.MessageSent(Uuids.v7(), roomId, me.id(), null, body, replyTo, attached, clientMsgId,
                mentions(body, member, me.id()), small ? offline(members, me.id()) : List.of());
    }

    /** The room's members named in the body as @username (others, and who blocked the sender, are just text). */
    private List<UUID> mentions(String body, java.util.function.Predicate<UUID> member, UUID sender) {
        return users.mentioned(body, sender, u -> member.test(u.id()));
    }

    /**
     * Who is not connected anywhere as the message is sent: a fact of the moment, so it is written
     * into the event, and the speed layer derives their notifications from the log alone.
     */
    private List<UUID> offline(List<UUID> members, UUID sender) {
        return members.stream().filter(m -> !m.equals(sender) && hub.connectionsOf(m).isEmpty()
                && ephemeral.statusOf(m).equals("offline")).toList();
    }

    /** Validates a message; answers its attachments (distinct, the sender's own uploads). */
    private List<UUID> check(CurrentUser me, UUID roomId, String body, UUID replyTo, List<UUID> mediaIds,
                             String clientMsgId) {
        boolean hasMedia = mediaIds != null && !mediaIds.isEmpty();
        if (body == null || (body.isBlank() && !hasMedia)) {
            throw Refused.invalid("validation", "body: must not be blank");
        }
        if (body.length() > props.chat().maxBody()) {
            throw Refused.tooLarge("body: must be at most " + props.chat().maxBody() + " characters");
        }
        if (clientMsgId != null && clientMsgId.length() > 64) {
            throw Refused.invalid("validation", "clientMsgId: must be at most 64 characters");
        }
        if (rooms.directBlocked(roomId)) {
            throw blocked();
        }
        // A reply usually answers what was just delivered live, which the projection may not have applied yet.
        if (replyTo != null && !recent.passedOn(roomId, replyTo) && messages.byId(roomId, replyTo).isEmpty()) {
            recent.awaitProjected(roomId);
            if (messages.byId(roomId, replyTo).isEmpty()) {
                throw Refused.invalid("validation", "replyTo: no message " + replyTo + " in this room");
            }
        }
        if (!hasMedia) {
            return List.of();
        }
        List<UUID> distinct = mediaIds.stream().distinct().toList();
        if (distinct.size() > 10) {
            throw Refused.invalid("validation", "mediaIds: at most 10 attachments");
        }
        var found = media.byIds(distinct);
        for (UUID id : distinct) {
            if (found.stream().noneMatch(m -> m.id().equals(id) && m.ownerId().equals(me.id()))) {
                throw Refused.invalid("validation", "mediaIds: no upload of yours with id " + id);
            }
        }
        return distinct;
    }

    /**
     * Moves my read marker up to {@code seq}, at most to the room's last message; a read that
     * does not move it forward (again the same seq, an older one) writes nothing to the log.
     */
    public void read(CurrentUser me, UUID roomId, long seq) {
        requireMember(roomId, me);
        long liveLast = recent.lastSeq(roomId);
        // A seq this node's live feed has already seen needs no database query to bound it.
        long upTo = seq <= liveLast ? seq : Math.min(seq, Math.max(messages.lastSeq(roomId), liveLast));
        if (upTo < 0 || upTo <= rooms.readMarker(roomId, me.id())) {
            return;
        }
        log.append(Topics.MESSAGES, ChatEvents.MESSAGE_READ, me.id(), roomId.toString(),
                new ChatEvents.MessageRead(roomId, me.id(), upTo));
    }

    public Commands.Outcome edit(CurrentUser me, UUID roomId, UUID messageId, String body) {
        ownMessage(me, roomId, messageId);
        if (body == null || body.isBlank() || body.length() > props.chat().maxBody()) {
            throw Refused.invalid("validation", "body: must be 1 to " + props.chat().maxBody() + " characters");
        }
        return commands.submit(Topics.MESSAGES, ChatEvents.MESSAGE_EDITED, me.id(), roomId.toString(),
                new ChatEvents.MessageEdited(messageId, roomId, body));
    }

    public Commands.Outcome delete(CurrentUser me, UUID roomId, UUID messageId) {
        ownMessage(me, roomId, messageId);
        return commands.submit(Topics.MESSAGES, ChatEvents.MESSAGE_DELETED, me.id(), roomId.toString(),
                new ChatEvents.MessageDeleted(messageId, roomId, me.id()));
    }

    /** Adds ({@code added}) or takes back one of the caller's emoji reactions to a live message of a room they are in. */
    public Commands.Outcome react(CurrentUser me, UUID roomId, UUID messageId, String emoji, boolean added) {
        requireMember(roomId, me);
        messages.byId(roomId, messageId).filter(m -> m.status().equals("sent"))
                .orElseThrow(() -> Refused.notFound("Message"));
        if (rooms.directBlocked(roomId)) {
            throw blocked();
        }
        return commands.submit(Topics.MESSAGES, added ? ChatEvents.MESSAGE_EMOJI_ADDED : ChatEvents.MESSAGE_EMOJI_REMOVED,
                me.id(), roomId.toString(), new ChatEvents.MessageEmoji(messageId, roomId, me.id(), emoji));
    }

    /** The direct room of the pair, opened on first use; the same room however often it is asked for. */
    public UUID openDirect(CurrentUser me, UUID otherId) {
        if (otherId.equals(me.id())) {
            throw Refused.invalid("validation", "userId: a direct conversation needs another user");
        }
        users.byId(otherId).orElseThrow(() -> Refused.notFound("User"));
        if (users.eitherBlocked(me.id(), otherId)) {
            throw blocked();
        }
        var existing = rooms.direct(me.id(), otherId);
        if (existing.isPresent()) {
            return existing.get();
        }
        UUID a = me.id().compareTo(otherId) < 0 ? me.id() : otherId;
        UUID b = a.equals(me.id()) ? otherId : me.id();
        // Named after the pair: when both sides open it at once, both events name the same room, so
        // whichever the log keeps, the id each opener was given is the room's (even when the answer
        // came before the projection, a 202, and the other opening won).
        UUID roomId = UUID.nameUUIDFromBytes(("direct:" + a + ":" + b).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        commands.submit(Topics.MESSAGES, ChatEvents.DIRECT_OPENED, me.id(), "direct:" + a + ":" + b,
                new ChatEvents.DirectOpened(roomId, a, b));
        return rooms.direct(a, b).orElse(roomId);
    }

    private static Refused blocked() {
        return new Refused(Refused.Kind.FORBIDDEN, "blocked", "One of you has blocked the other: you cannot write to each other");
    }

    /** A room the caller is not in is refused as not found: it reveals nothing of the room. */
    private void requireMember(UUID roomId, CurrentUser me) {
        if (!rooms.isMember(roomId, me.id())) {
            throw Refused.notFound("Room");
        }
    }

    private void ownMessage(CurrentUser me, UUID roomId, UUID messageId) {
        requireMember(roomId, me);
        var message = messages.byId(roomId, messageId).filter(m -> m.status().equals("sent"))
                .orElseThrow(() -> Refused.notFound("Message"));
        if (!message.sender().id().equals(me.id())) {
            throw Refused.forbidden("Only the sender edits or deletes a message");
        }
    }
}
