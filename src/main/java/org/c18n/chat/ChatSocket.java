package org.c18n.chat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.c18n.infra.C18nProperties;
import org.c18n.identity.UserView;
import org.c18n.identity.Users;
import org.c18n.eventlog.Refused;
import org.c18n.web.CurrentUser;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The /ws endpoint: client frames in, server frames out (docs/protocol.md). */
@Component
public class ChatSocket extends TextWebSocketHandler {
    static final CloseStatus FLOODING = new CloseStatus(4029, "too many frames");
    static final CloseStatus TOO_MANY_SOCKETS = new CloseStatus(4030, "too many connections");
    private static final int FLOOD_LIMIT = 50;

    private final Gateway gateway;
    private final Chat chat;
    private final Ephemeral ephemeral;
    private final Rooms rooms;
    private final Users users;
    private final ObjectMapper json;
    private final C18nProperties props;
    private final ChatLimits limits;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    /** The feed the analytics publish to (see {@code org.c18n.analytics.AnalyticsView}). */
    public static final String ANALYTICS_FEED = "analytics";

    /** Per socket: its connection, when it last said it was typing in each room, and its refused frames. */
    private record State(Connection connection, Map<UUID, Long> typing, int[] refused) {}

    public ChatSocket(Gateway gateway, Chat chat, Ephemeral ephemeral, Rooms rooms, Users users, ObjectMapper json,
                      C18nProperties props, ChatLimits limits) {
        this.limits = limits;
        this.gateway = gateway;
        this.chat = chat;
        this.ephemeral = ephemeral;
        this.rooms = rooms;
        this.users = users;
        this.json = json;
        this.props = props;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws java.io.IOException {
        UUID userId = (UUID) session.getAttributes().get(TicketHandshake.USER);
        // Each socket holds an outbound queue and a place in its rooms' fan-out: one user holds a bounded number.
        if (gateway.connectionsOf(userId).size() >= props.chat().socketsPerUser()) {
            session.close(TOO_MANY_SOCKETS);
            return;
        }
        String username = users.byId(userId).map(u -> u.username()).orElse("?");
        Connection connection = new Connection(userId, username, session, props.chat().connectionQueue(),
                gateway.writers());
        states.put(session.getId(), new State(connection, new ConcurrentHashMap<>(), new int[1]));
        boolean first = gateway.open(connection);
        // The rooms were just loaded into the connection: one query for everyone in them.
        List<UUID> online = rooms.membersOfAny(connection.rooms).stream()
                .filter(u -> !u.equals(userId) && !ephemeral.statusOf(u).equals("offline")).toList();
        connection.send(gateway.frames.frame("hello", "protocol", Frames.PROTOCOL, "user",
                Map.of("id", userId, "username", username), "rooms", List.copyOf(connection.rooms), "online", online));
        if (first) {
            ephemeral.presence(userId, "online");
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        State state = states.get(session.getId());
        if (state == null) {
            return;
        }
        Connection connection = state.connection();
        JsonNode frame;
        try {
            frame = json.readTree(message.getPayload());
        } catch (JacksonException e) {
            refuse(state, "bad-frame", "The frame is not JSON", null);
            return;
        }
        if (!frame.isObject() || !frame.path("type").isString()) {
            refuse(state, "bad-frame", "A frame is a JSON object with a type", null);
            return;
        }
        try {
            org.c18n.web.StorableText.check(frame, "");
        } catch (org.c18n.web.StorableText.Unstorable e) {
            refuse(state, "validation", e.field() + ": " + e.getMessage(), null);
            return;
        }
        String clientMsgId = frame.path("clientMsgId").isString() ? frame.path("clientMsgId").asString() : null;
        CurrentUser me = new CurrentUser(connection.userId, connection.username, false);
        try {
            switch (frame.get("type").asString()) {
                case "ping" -> connection.send(gateway.frames.frame("pong"));
                case "send" -> {
                    if (limited(state, ChatLimits.Kind.MESSAGE, clientMsgId)) {
                        return;
                    }
                    UUID room = uuid(frame, "room");
                    requireRoom(connection, room);
                    UUID replyTo = frame.hasNonNull("replyTo") ? uuid(frame, "replyTo") : null;
                    List<UUID> mediaIds = new java.util.ArrayList<>();
                    if (frame.has("mediaIds")) {
                        if (!frame.get("mediaIds").isArray()) {
                            throw Refused.invalid("bad-frame", "mediaIds: must be a list of ids");
                        }
                        for (JsonNode id : frame.get("mediaIds")) {
                            mediaIds.add(uuid(id));
                        }
                    }
                    chat.sendPipelined(me, room, text(frame, "body"), replyTo, mediaIds, clientMsgId).whenComplete((sent, error) -> {
                        if (error != null) {
                            connection.send(gateway.frames.error("log-unavailable",
                                    "The message was not recorded; send it again", clientMsgId));
                        } else {
                            connection.send(gateway.frames.frame("ack", "clientMsgId", clientMsgId, "room", room, "id",
                                    sent.messageId(), "seq", sent.seq(), "at", sent.appended().event().at()));
                        }
                    });
                }
                case "typing" -> {
                    UUID room = uuid(frame, "room");
                    requireRoom(connection, room);
                    if (limited(state, ChatLimits.Kind.TYPING, clientMsgId)) {
                        return;
                    }
                    long now = System.currentTimeMillis();
                    Long last = state.typing().get(room);
                    if (last == null || now - last > 1000) {
                        state.typing().put(room, now);
                        ephemeral.typing(room, connection.userId, connection.username);
                    }
                }
                case "read" -> {
                    UUID room = uuid(frame, "room");
                    requireRoom(connection, room);
                    if (limited(state, ChatLimits.Kind.READ, clientMsgId)) {
                        return;
                    }
                    if (!frame.path("seq").isIntegralNumber()) {
                        throw Refused.invalid("bad-frame", "seq: must be a number");
                    }
                    chat.read(me, room, frame.get("seq").asLong());
                }
                case "sync" -> {
                    UUID room = uuid(frame, "room");
                    requireRoom(connection, room);
                    if (limited(state, ChatLimits.Kind.SYNC, clientMsgId)) {
                        return;
                    }
                    gateway.sync(connection, room, frame.path("after").isIntegralNumber() ? frame.get("after").asLong() : -1);
                }
                case "presence" -> {
                    String status = frame.path("status").asString();
                    if (!status.equals("online") && !status.equals("away")) {
                        throw Refused.invalid("bad-frame", "status: must be online or away");
                    }
                    if (limited(state, ChatLimits.Kind.PRESENCE, clientMsgId)) {
                        return;
                    }
                    ephemeral.presence(connection.userId, status);
                }
                case "subscribe" -> {
                    String feed = frame.path("feed").asString();
                    if (!feed.equals(ANALYTICS_FEED)) {
                        throw Refused.invalid("bad-frame", "feed: must be " + ANALYTICS_FEED);
                    }
                    if (!users.byId(connection.userId).map(UserView::admin).orElse(false)) {
                        throw Refused.forbidden("Only admins receive the analytics feed");
                    }
                    connection.feeds.add(feed);
                    connection.send(gateway.frames.frame("subscribed", "feed", feed));
                }
                case "unsubscribe" -> connection.feeds.remove(frame.path("feed").asString());
                default -> refuse(state, "unknown-type", "Unknown frame type " + frame.get("type").asString(), clientMsgId);
            }
        } catch (Refused e) {
            refuse(state, e.reason().equals("not-found") ? "not-member" : e.reason(), e.getMessage(), clientMsgId);
        }
    }

    /** True (and the frame refused) when the user's budget for this kind of frame is spent, over all their sockets and REST. */
    private boolean limited(State state, ChatLimits.Kind kind, String clientMsgId) {
        if (limits.take(state.connection().userId, kind) == 0) {
            return false;
        }
        refuse(state, "rate-limited", "Too many " + ChatLimits.describe(kind) + "; at most " + limits.perSecond(kind)
                + " a second", clientMsgId);
        return true;
    }

    private void refuse(State state, String code, String detail, String clientMsgId) {
        state.connection().send(gateway.frames.error(code, detail, clientMsgId));
        if (++state.refused()[0] > FLOOD_LIMIT && code.equals("rate-limited")) {
            state.connection().closeQuietly(FLOODING);
        }
    }

    private static void requireRoom(Connection connection, UUID room) {
        if (!connection.rooms.contains(room)) {
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

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        State state = states.remove(session.getId());
        if (state != null && gateway.close(state.connection())) {
            ephemeral.presence(state.connection().userId, "offline");
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        State state = states.get(session.getId());
        if (state != null) {
            state.connection().closeQuietly(CloseStatus.SERVER_ERROR);
        }
    }
}
