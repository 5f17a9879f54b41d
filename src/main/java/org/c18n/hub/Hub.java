package org.c18n.hub;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.c18n.infra.C18nProperties;
import org.c18n.eventlog.Refused;
import org.c18n.web.StorableText;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * This node's open connections, indexed by user and by room, so that a frame is handed to exactly
 * the local sockets it is for; and the protocol's plumbing that no feature owns (parsing client
 * frames, {@code ping}, feed subscriptions, the per-user socket cap). What a frame means is the
 * business of the feature that registered its type ({@link #handle}).
 */
@Component
public class Hub {
    /** Handles a client frame of one type; a {@link Refused} it throws is answered with an {@code error}. */
    public interface FrameHandler {
        void handle(Connection connection, JsonNode frame, String clientMsgId);
    }

    private record Feed(Predicate<UUID> mayReceive, String forbidden) {}

    private final Map<UUID, Set<Connection>> byUser = new ConcurrentHashMap<>();
    private final Map<UUID, Set<Connection>> byRoom = new ConcurrentHashMap<>();
    private final Map<String, FrameHandler> handlers = new ConcurrentHashMap<>();
    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();
    /** Feed → the connections that subscribed to it (few): a feed's frame does not look at every connection. */
    private final Map<String, Set<Connection>> subscribers = new ConcurrentHashMap<>();
    private final List<Function<Connection, Map<String, Object>>> greeters = new CopyOnWriteArrayList<>();
    private final List<Consumer<Connection>> closers = new CopyOnWriteArrayList<>();
    private final Frames frames;
    private final ObjectMapper json;
    private final int socketsPerUser;
    private final Counter deliveries;

    public Hub(Frames frames, ObjectMapper json, C18nProperties props, MeterRegistry registry) {
        Gauge.builder("c18n.websocket.connections", byUser, users -> users.values().stream().mapToInt(Set::size).sum())
                .description("Open WebSocket connections on this node").register(registry);
        this.deliveries = Counter.builder("c18n.websocket.deliveries")
                .description("Frames handed to WebSocket connections on this node (messages, room events, feeds)")
                .register(registry);
        this.frames = frames;
        this.json = json;
        this.socketsPerUser = props.chat().socketsPerUser();
    }

    /** Client frames of this {@code type} go to {@code handler}. */
    public void handle(String type, FrameHandler handler) {
        if (Set.of("ping", "subscribe", "unsubscribe").contains(type) || handlers.putIfAbsent(type, handler) != null) {
            throw new IllegalStateException("Frame type " + type + " already has a handler");
        }
    }

    /** A feed connections may {@code subscribe} to when {@code mayReceive} their user; refused with {@code forbidden} otherwise. */
    public void feed(String name, Predicate<UUID> mayReceive, String forbidden) {
        feeds.put(name, new Feed(mayReceive, forbidden));
    }

    /**
     * Called as a connection opens, before the hub registers it under its user: {@code greeter}
     * may put it in its rooms ({@link #join}) and answers the fields it adds to {@code hello}.
     */
    public void onOpen(Function<Connection, Map<String, Object>> greeter) {
        greeters.add(greeter);
    }

    public void onClose(Consumer<Connection> closer) {
        closers.add(closer);
    }

    /** Puts a connection that is opening in these rooms (no {@code room_added}: its {@code hello} names them). */
    public void join(Connection connection, Collection<UUID> rooms) {
        rooms.forEach(room -> join(connection, room));
    }

    private void join(Connection connection, UUID room) {
        connection.rooms.add(room);
        byRoom.computeIfAbsent(room, k -> ConcurrentHashMap.newKeySet()).add(connection);
    }

    /**
     * A membership change reaches the user's open connections at once. It waits for a connection of
     * the user that is opening ({@link #open}), so that the change is either in what the opening
     * read or applied to it once it is open.
     */
    public void addToRoom(UUID user, UUID room) {
        Set<Connection> mine = byUser.get(user);
        if (mine == null) {
            return;
        }
        synchronized (mine) {
            for (Connection c : mine) {
                if (!c.rooms.contains(room)) {
                    join(c, room);
                    c.send(frames.frame("room_added", "room", room));
                }
            }
        }
    }

    public void removeFromRoom(UUID user, UUID room) {
        Set<Connection> mine = byUser.get(user);
        if (mine == null) {
            return;
        }
        synchronized (mine) {
            for (Connection c : mine) {
                if (c.rooms.remove(room)) {
                    leave(c, room);
                    c.send(frames.frame("room_removed", "room", room));
                }
            }
        }
    }

    private void leave(Connection connection, UUID room) {
        Set<Connection> members = byRoom.get(room);
        if (members != null) {
            members.remove(connection);
        }
    }

    /** A frame for every connection of the user on this node. */
    public void toUser(UUID user, String frame) {
        ByteBuf wire = Frames.wire(frame);
        for (Connection c : byUser.getOrDefault(user, Set.of())) {
            c.send(wire);
            deliveries.increment();
        }
    }

    /** A frame for everyone in the room on this node, except {@code except} (may be null). */
    public void toRoom(UUID room, String frame, UUID except) {
        ByteBuf wire = Frames.wire(frame);
        for (Connection c : byRoom.getOrDefault(room, Set.of())) {
            if (!c.userId().equals(except)) {
                c.send(wire);
                deliveries.increment();
            }
        }
    }

    /**
     * A frame of the room's ordered stream ({@code seq} increasing): each connection in the room gets
     * it once, after what came before it, also while it is catching up ({@link Connection#startSync}).
     */
    public void toRoomInOrder(UUID room, long seq, String frame) {
        ByteBuf wire = Frames.wire(frame);
        for (Connection c : byRoom.getOrDefault(room, Set.of())) {
            c.deliver(room, seq, wire);
            deliveries.increment();
        }
    }

    /** A frame for every connection on this node that subscribed to {@code feed}. */
    public void publish(String feed, String frame) {
        Set<Connection> receivers = subscribers.getOrDefault(feed, Set.of());
        if (receivers.isEmpty()) {
            return;
        }
        ByteBuf wire = Frames.wire(frame);
        for (Connection c : receivers) {
            c.send(wire);
            deliveries.increment();
        }
    }

    public Set<Connection> connectionsOf(UUID user) {
        return byUser.getOrDefault(user, Set.of());
    }

    public Set<Connection> connectionsIn(UUID room) {
        return byRoom.getOrDefault(room, Set.of());
    }

    /** Users with at least one connection on this node. */
    List<UUID> onlineUsers() {
        return byUser.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    /** Each socket holds an outbound queue and a place in its rooms' fan-out: one user holds a bounded number. */
    boolean full(UUID user) {
        return connectionsOf(user).size() >= socketsPerUser;
    }

    /** Registers the connection and greets it ({@code hello}); true when it is the user's first here. */
    boolean open(Connection connection) {
        Set<Connection> mine = byUser.computeIfAbsent(connection.userId(), k -> ConcurrentHashMap.newKeySet());
        // The greeters read the user's rooms from the views; a membership change waits until the
        // connection is registered (see addToRoom).
        synchronized (mine) {
            Map<String, Object> hello = new LinkedHashMap<>();
            hello.put("protocol", Frames.PROTOCOL);
            greeters.forEach(greeter -> hello.putAll(greeter.apply(connection)));
            mine.add(connection);
            connection.send(frames.frame("hello", hello));
            return mine.size() == 1;
        }
    }

    /** True when it was the user's last connection here. */
    boolean close(Connection connection) {
        subscribers.values().forEach(receivers -> receivers.remove(connection));
        closers.forEach(closer -> closer.accept(connection));
        Set<Connection> mine = byUser.get(connection.userId());
        if (mine == null) {
            connection.rooms.forEach(room -> leave(connection, room));
            return false;
        }
        synchronized (mine) {
            connection.rooms.forEach(room -> leave(connection, room));
            mine.remove(connection);
            return mine.isEmpty();
        }
    }

    /** A client frame: checked here, then handed to the feature that handles its type. */
    void receive(Connection connection, String text) {
        JsonNode frame;
        try {
            frame = json.readTree(text);
        } catch (JacksonException e) {
            connection.refuse("bad-frame", "The frame is not JSON", null);
            return;
        }
        if (!frame.isObject() || !frame.path("type").isString()) {
            connection.refuse("bad-frame", "A frame is a JSON object with a type", null);
            return;
        }
        try {
            StorableText.check(frame, "");
        } catch (StorableText.Unstorable e) {
            connection.refuse("validation", e.field() + ": " + e.getMessage(), null);
            return;
        }
        String clientMsgId = frame.path("clientMsgId").isString() ? frame.path("clientMsgId").asString() : null;
        String type = frame.get("type").asString();
        try {
            switch (type) {
                case "ping" -> connection.send(frames.frame("pong"));
                case "subscribe" -> subscribe(connection, frame.path("feed").asString());
                case "unsubscribe" -> unsubscribe(connection, frame.path("feed").asString());
                default -> {
                    FrameHandler handler = handlers.get(type);
                    if (handler == null) {
                        connection.refuse("unknown-type", "Unknown frame type " + type, clientMsgId);
                    } else {
                        handler.handle(connection, frame, clientMsgId);
                    }
                }
            }
        } catch (Refused e) {
            connection.refuse(e.reason(), e.getMessage(), clientMsgId);
        }
    }

    private void unsubscribe(Connection connection, String name) {
        Set<Connection> receivers = subscribers.get(name);
        if (receivers != null) {
            receivers.remove(connection);
        }
    }

    private void subscribe(Connection connection, String name) {
        Feed feed = feeds.get(name);
        if (feed == null) {
            throw Refused.invalid("bad-frame", "feed: must be " + String.join(" or ", new TreeMap<>(feeds).keySet()));
        }
        if (!feed.mayReceive().test(connection.userId())) {
            throw Refused.forbidden(feed.forbidden());
        }
        subscribers.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(connection);
        connection.send(frames.frame("subscribed", "feed", name));
    }
}
