package org.c18n.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.utils.Utils;
import org.c18n.eventlog.ProjectionTracker;
import org.c18n.eventlog.Topics;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * This node's open connections, indexed by user and by room, so that an event is handed to
 * exactly the local sockets of the room's members.
 */
@Component
public class Gateway {
    private static final int SYNC_LIMIT = 1000;
    /** Recent message frames kept by this node, over all rooms, for syncs the projection has not caught up with. */
    private static final int RECENT_LIMIT = 50_000;

    private final java.util.LinkedHashMap<UUID, java.util.TreeMap<Long, String>> recent = new java.util.LinkedHashMap<>();
    private final java.util.ArrayDeque<Map.Entry<UUID, Long>> recentOrder = new java.util.ArrayDeque<>();

    private final Map<UUID, Set<Connection>> byUser = new ConcurrentHashMap<>();
    private final Map<UUID, Set<Connection>> byRoom = new ConcurrentHashMap<>();
    /** How far this node's feed has read each partition of c18n.messages (next offset). */
    private final Map<Integer, Long> fed = new ConcurrentHashMap<>();
    private volatile int partitions = 1;
    /** Writes frames to sockets, so that delivering an event never waits on a socket. */
    private final java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(8, r -> {
        Thread thread = new Thread(r, "c18n-ws-writer");
        thread.setDaemon(true);
        return thread;
    });
    private final Rooms rooms;
    private final Messages messages;
    private final ProjectionTracker tracker;
    final Frames frames;

    private final io.micrometer.core.instrument.Counter deliveries;

    public Gateway(Rooms rooms, Messages messages, ProjectionTracker tracker, ObjectMapper json,
                   io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.Gauge.builder("c18n.websocket.connections", byUser,
                        users -> users.values().stream().mapToInt(Set::size).sum())
                .description("Open WebSocket connections on this node").register(registry);
        this.deliveries = io.micrometer.core.instrument.Counter.builder("c18n.websocket.deliveries")
                .description("Frames handed to WebSocket connections on this node (messages, room events, feeds)")
                .register(registry);
        this.rooms = rooms;
        this.messages = messages;
        this.tracker = tracker;
        this.frames = new Frames(json);
    }

    java.util.concurrent.Executor writers() {
        return writers;
    }

    /** Registers the connection in every room its user is in; true when it is the user's first here. */
    boolean open(Connection connection) {
        for (UUID room : rooms.roomIdsOf(connection.userId)) {
            join(connection, room);
        }
        Set<Connection> mine = byUser.computeIfAbsent(connection.userId, k -> ConcurrentHashMap.newKeySet());
        mine.add(connection);
        return mine.size() == 1;
    }

    /** True when it was the user's last connection here. */
    boolean close(Connection connection) {
        for (UUID room : connection.rooms) {
            Set<Connection> members = byRoom.get(room);
            if (members != null) {
                members.remove(connection);
            }
        }
        Set<Connection> mine = byUser.get(connection.userId);
        if (mine == null) {
            return false;
        }
        mine.remove(connection);
        return mine.isEmpty();
    }

    private void join(Connection connection, UUID room) {
        connection.rooms.add(room);
        byRoom.computeIfAbsent(room, k -> ConcurrentHashMap.newKeySet()).add(connection);
    }

    /** A membership change reaches the user's open connections at once. */
    void addToRoom(UUID user, UUID room) {
        for (Connection c : byUser.getOrDefault(user, Set.of())) {
            if (!c.rooms.contains(room)) {
                join(c, room);
                c.send(frames.frame("room_added", "room", room));
            }
        }
    }

    void removeFromRoom(UUID user, UUID room) {
        for (Connection c : byUser.getOrDefault(user, Set.of())) {
            if (c.rooms.remove(room)) {
                Set<Connection> members = byRoom.get(room);
                if (members != null) {
                    members.remove(c);
                }
                c.send(frames.frame("room_removed", "room", room));
            }
        }
    }

    /** A frame for every connection on this node that subscribed to {@code feed}. */
    public void publish(String feed, String frame) {
        for (Set<Connection> mine : byUser.values()) {
            for (Connection c : mine) {
                if (c.feeds.contains(feed)) {
                    c.send(frame);
                    deliveries.increment();
                }
            }
        }
    }

    void deliverMessage(UUID room, long seq, String frame) {
        remember(room, seq, frame);
        for (Connection c : byRoom.getOrDefault(room, Set.of())) {
            c.deliver(room, seq, frame);
            deliveries.increment();
        }
    }

    private synchronized void remember(UUID room, long seq, String frame) {
        recent.computeIfAbsent(room, k -> new java.util.TreeMap<>()).put(seq, frame);
        recentOrder.add(Map.entry(room, seq));
        while (recentOrder.size() > RECENT_LIMIT) {
            Map.Entry<UUID, Long> oldest = recentOrder.poll();
            java.util.TreeMap<Long, String> frames = recent.get(oldest.getKey());
            if (frames != null) {
                frames.remove(oldest.getValue());
                if (frames.isEmpty()) {
                    recent.remove(oldest.getKey());
                }
            }
        }
    }

    /** The highest seq of the room this node has read from the log and still remembers; -1 if none. */
    synchronized long lastSeq(UUID room) {
        java.util.TreeMap<Long, String> frames = recent.get(room);
        return frames == null || frames.isEmpty() ? -1 : frames.lastKey();
    }

    private synchronized Map<Long, String> recentAfter(UUID room, long after) {
        java.util.TreeMap<Long, String> frames = recent.get(room);
        return frames == null ? Map.of() : new java.util.TreeMap<>(frames.tailMap(after, false));
    }

    /** A frame for everyone in the room on this node, except {@code except} (may be null). */
    void broadcast(UUID room, String frame, UUID except) {
        for (Connection c : byRoom.getOrDefault(room, Set.of())) {
            if (!c.userId.equals(except)) {
                c.send(frame);
                deliveries.increment();
            }
        }
    }

    Set<Connection> connectionsOf(UUID user) {
        return byUser.getOrDefault(user, Set.of());
    }

    Set<Connection> connectionsIn(UUID room) {
        return byRoom.getOrDefault(room, Set.of());
    }

    /** Users with at least one connection on this node. */
    List<UUID> onlineUsers() {
        return byUser.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    void fed(int partition, long next, int partitionCount) {
        fed.merge(partition, next, Math::max);
        partitions = partitionCount;
    }

    /** Waits (briefly) until the projection has applied what this node's feed has passed on for the room. */
    void awaitProjected(UUID room) {
        int partition = Utils.toPositive(Utils.murmur2(room.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                % partitions;
        long next = fed.getOrDefault(partition, 0L);
        if (next > 0) {
            tracker.awaitApplied(Topics.MESSAGES, partition, next - 1, Duration.ofSeconds(2));
        }
    }

    /**
     * Everything in the room after {@code after}, once and in order, then live: live frames are held
     * back while the history is read; the history is read once the projection has caught up with
     * what this node's feed has already passed on, so nothing falls between the two. When the
     * projection lags (a node that projected this room died and its partitions have not moved
     * yet), the recent frames this node's feed has seen fill the gap.
     */
    void sync(Connection connection, UUID room, long after) {
        connection.startSync(room);
        awaitProjected(room);
        List<Messages.MessageJson> missed = messages.after(room, after, SYNC_LIMIT);
        java.util.TreeMap<Long, String> history = new java.util.TreeMap<>();
        missed.forEach(m -> history.put(m.seq(), frames.message(m, null)));
        boolean more = missed.size() == SYNC_LIMIT;
        long horizon = more ? missed.get(missed.size() - 1).seq() : Long.MAX_VALUE;
        recentAfter(room, after).forEach((seq, frame) -> {
            if (seq <= horizon) {
                history.putIfAbsent(seq, frame);
            }
        });
        long last = history.isEmpty() ? after : history.lastKey();
        connection.finishSync(room, history.entrySet().stream().map(e -> Connection.pending(e.getKey(), e.getValue()))
                .toList(), frames.frame("synced", "room", room, "seq", last, "more", more));
    }
}
