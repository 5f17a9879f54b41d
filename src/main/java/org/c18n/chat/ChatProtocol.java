package org.c18n.chat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.c18n.hub.Connection;
import org.c18n.hub.Ephemeral;
import org.c18n.hub.Frames;
import org.c18n.hub.Hub;
import org.c18n.identity.Users;
import org.c18n.eventlog.Refused;
import org.c18n.web.CurrentUser;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Chat's part of the socket protocol (docs/protocol.md): the rooms and who is online in
 * {@code hello}, and the client frames {@code send}, {@code sync}, {@code read}, {@code typing}
 * and {@code presence}, each within the user's budget for its kind ({@link ChatLimits}).
 */
@Component
class ChatProtocol {
    private final Hub hub;
    private final Ephemeral ephemeral;
    private final Frames frames;
    private final Chat chat;
    private final Rooms rooms;
    private final Users users;
    private final RecentMessages recent;
    private final ChatLimits limits;
    private final Map<Connection, State> states = new ConcurrentHashMap<>();

    /** Per socket: its user's name, and when it last said it was typing in each room. */
    private record State(String username, Map<UUID, Long> typing) {}

    private interface ChatFrame {
        void handle(Connection connection, State state, JsonNode frame, String clientMsgId);
    }

    ChatProtocol(Hub hub, Ephemeral ephemeral, Frames frames, Chat chat, Rooms rooms, Users users,
                 RecentMessages recent, ChatLimits limits) {
        this.hub = hub;
        this.ephemeral = ephemeral;
        this.frames = frames;
        this.chat = chat;
        this.rooms = rooms;
        this.users = users;
        this.recent = recent;
        this.limits = limits;
        hub.onOpen(this::hello);
        hub.onClose(states::remove);
        on("send", this::send);
        on("typing", this::typing);
        on("read", this::read);
        on("sync", this::sync);
        on("presence", this::presence);
        ephemeral.onPresenceChange(this::tellRoommates);
    }

    /** Puts the connection in its user's rooms; {@code hello} names them and who of their members is online. */
    private Map<String, Object> hello(Connection connection) {
        UUID userId = connection.userId();
        String username = users.byId(userId).map(u -> u.username()).orElse("?");
        states.put(connection, new State(username, new ConcurrentHashMap<>()));
        hub.join(connection, rooms.roomIdsOf(userId));
        // The rooms were just loaded into the connection: one query for everyone in them. Who has
        // blocked the user is never shown online to them.
        Set<UUID> blockers = users.blockersOf(userId);
        List<UUID> online = rooms.membersOfAny(connection.rooms()).stream()
                .filter(u -> !u.equals(userId) && !blockers.contains(u) && !ephemeral.statusOf(u).equals("offline"))
                .toList();
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("user", Map.of("id", userId, "username", username));
        hello.put("rooms", List.copyOf(connection.rooms()));
        hello.put("online", online);
        return hello;
    }

    /** A room that is not the connection's is "not-member", whether the socket or the view says so. */
    private void on(String type, ChatFrame handler) {
        hub.handle(type, (connection, frame, clientMsgId) -> {
            State state = states.get(connection);
            if (state == null) {
                return;
            }
            try {
                handler.handle(connection, state, frame, clientMsgId);
            } catch (Refused e) {
                throw e.reason().equals("not-found") ? new Refused(Refused.Kind.NOT_FOUND, "not-member", e.getMessage()) : e;
            }
        });
    }

    private void send(Connection connection, State state, JsonNode frame, String clientMsgId) {
        if (limited(connection, ChatLimits.Kind.MESSAGE, clientMsgId)) {
            return;
        }
        UUID room = uuid(frame, "room");
        requireRoom(connection, room);
        UUID replyTo = frame.hasNonNull("replyTo") ? uuid(frame, "replyTo") : null;
        List<UUID> mediaIds = new ArrayList<>();
        if (frame.has("mediaIds")) {
            if (!frame.get("mediaIds").isArray()) {
                throw Refused.invalid("bad-frame", "mediaIds: must be a list of ids");
            }
            for (JsonNode id : frame.get("mediaIds")) {
                mediaIds.add(uuid(id));
            }
        }
        CurrentUser me = new CurrentUser(connection.userId(), state.username(), false);
        chat.sendPipelined(me, room, text(frame, "body"), replyTo, mediaIds, clientMsgId).whenComplete((sent, error) -> {
            if (error != null) {
                connection.send(frames.error("log-unavailable", "The message was not recorded; send it again", clientMsgId));
            } else {
                connection.send(frames.frame("ack", "clientMsgId", clientMsgId, "room", room, "id", sent.messageId(),
                        "seq", sent.seq(), "at", sent.appended().event().at()));
            }
        });
    }

    private void typing(Connection connection, State state, JsonNode frame, String clientMsgId) {
        UUID room = uuid(frame, "room");
        requireRoom(connection, room);
        if (limited(connection, ChatLimits.Kind.TYPING, clientMsgId)) {
            return;
        }
        long now = System.currentTimeMillis();
        Long last = state.typing().get(room);
        if (last == null || now - last > 1000) {
            state.typing().put(room, now);
            ephemeral.toRoomOnEveryNode(room, connection.userId(), frames.frame("typing", "room", room, "user",
                    connection.userId(), "username", state.username()));
        }
    }

    private void read(Connection connection, State state, JsonNode frame, String clientMsgId) {
        UUID room = uuid(frame, "room");
        requireRoom(connection, room);
        if (limited(connection, ChatLimits.Kind.READ, clientMsgId)) {
            return;
        }
        if (!frame.path("seq").isIntegralNumber()) {
            throw Refused.invalid("bad-frame", "seq: must be a number");
        }
        chat.read(new CurrentUser(connection.userId(), state.username(), false), room, frame.get("seq").asLong());
    }

    private void sync(Connection connection, State state, JsonNode frame, String clientMsgId) {
        UUID room = uuid(frame, "room");
        requireRoom(connection, room);
        if (limited(connection, ChatLimits.Kind.SYNC, clientMsgId)) {
            return;
        }
        recent.sync(connection, room, frame.path("after").isIntegralNumber() ? frame.get("after").asLong() : -1);
    }

    private void presence(Connection connection, State state, JsonNode frame, String clientMsgId) {
        String status = frame.path("status").asString();
        if (!status.equals("online") && !status.equals("away")) {
            throw Refused.invalid("bad-frame", "status: must be online or away");
        }
        if (limited(connection, ChatLimits.Kind.PRESENCE, clientMsgId)) {
            return;
        }
        ephemeral.presence(connection.userId(), status);
    }

    /** Everyone on this node who shares a room with the user hears it once. */
    private void tellRoommates(UUID user, String status) {
        String frame = frames.frame("presence", "user", user, "status", status);
        // Whom the user has blocked do not see their presence.
        Set<UUID> blocked = users.blockedIds(user);
        Set<Connection> told = new HashSet<>();
        for (UUID room : rooms.roomIdsOf(user)) {
            for (Connection c : hub.connectionsIn(room)) {
                if (!c.userId().equals(user) && !blocked.contains(c.userId()) && told.add(c)) {
                    c.send(frame);
                }
            }
        }
    }

    /** True (and the frame refused) when the user's budget for this kind of frame is spent, over all their sockets and REST. */
    private boolean limited(Connection connection, ChatLimits.Kind kind, String clientMsgId) {
        if (limits.take(connection.userId(), kind) == 0) {
            return false;
        }
        connection.refuse("rate-limited", "Too many " + ChatLimits.describe(kind) + "; at most " + limits.perSecond(kind)
                + " a second", clientMsgId);
        return true;
    }

    private static void requireRoom(Connection connection, UUID room) {
        if (!connection.rooms().contains(room)) {
            throw Refused.notFound("Room");
        }
    }

    private static UUID uuid(JsonNode frame, String field) {
        try {
            return UUID.fromString(frame.path(field).asString());
        } catch (IllegalArgumentException e) {
            throw Refused.invalid("bad-frame", field + ": must be an id");
        }
    }

    private static UUID uuid(JsonNode value) {
        try {
            return UUID.fromString(value.asString());
        } catch (IllegalArgumentException e) {
            throw Refused.invalid("bad-frame", "mediaIds: must be a list of ids");
        }
    }

    private static String text(JsonNode frame, String field) {
        if (!frame.path(field).isString()) {
            throw Refused.invalid("bad-frame", field + ": must be a string");
        }
        return frame.get(field).asString();
    }
}
