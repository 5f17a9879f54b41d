package org.c18n.chat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;
import org.c18n.eventlog.ProjectionTracker;
import org.c18n.eventlog.Topics;
import org.c18n.hub.Connection;
import org.c18n.hub.Frames;
import org.c18n.hub.LiveFeed;
import org.springframework.stereotype.Component;

/**
 * The message frames this node's live feed has passed on, kept for a while, so that a {@code sync}
 * does not depend on the projection alone: after a failover the projection of a room may lag
 * behind what this node has already delivered.
 */
@Component
class RecentMessages {
    private static final int SYNC_LIMIT = 1000;
    /** Recent message frames kept by this node, over all rooms, for syncs the projection has not caught up with. */
    private static final int RECENT_LIMIT = 50_000;

    private final Map<UUID, TreeMap<Long, String>> recent = new LinkedHashMap<>();
    private final ArrayDeque<Kept> recentOrder = new ArrayDeque<>();
    /** The room of each message kept. */
    private final Map<UUID, UUID> rooms = new HashMap<>();

    private record Kept(UUID room, long seq, UUID message) {}
    private final Messages messages;
    private final ProjectionTracker tracker;
    private final LiveFeed feed;
    private final Frames frames;

    RecentMessages(Messages messages, ProjectionTracker tracker, LiveFeed feed, Frames frames) {
        this.messages = messages;
        this.tracker = tracker;
        this.feed = feed;
        this.frames = frames;
    }

    String frame(Messages.MessageJson m, String clientMsgId) {
        return frames.frame("message", "room", m.room(), "id", m.id(), "seq", m.seq(), "sender", m.sender(), "body",
                m.body(), "replyTo", m.replyTo(), "media", m.media().isEmpty() ? null : m.media(), "mentions",
                m.mentions().isEmpty() ? null : m.mentions(), "status", m.status(), "at", m.at(), "editedAt",
                m.editedAt(), "clientMsgId", clientMsgId);
    }

    synchronized void remember(UUID room, long seq, UUID message, String frame) {
        recent.computeIfAbsent(room, k -> new TreeMap<>()).put(seq, frame);
        rooms.put(message, room);
        recentOrder.add(new Kept(room, seq, message));
        while (recentOrder.size() > RECENT_LIMIT) {
            Kept oldest = recentOrder.poll();
            rooms.remove(oldest.message());
            TreeMap<Long, String> kept = recent.get(oldest.room());
            if (kept != null) {
                kept.remove(oldest.seq());
                if (kept.isEmpty()) {
                    recent.remove(oldest.room());
                }
            }
        }
    }

    /** Whether this node's feed passed on {@code message} in {@code room} lately: it is in the log, projected or not. */
    synchronized boolean passedOn(UUID room, UUID message) {
        return room.equals(rooms.get(message));
    }

    /** The highest seq of the room this node has read from the log and still remembers; -1 if none. */
    synchronized long lastSeq(UUID room) {
        TreeMap<Long, String> kept = recent.get(room);
        return kept == null || kept.isEmpty() ? -1 : kept.lastKey();
    }

    private synchronized Map<Long, String> recentAfter(UUID room, long after) {
        TreeMap<Long, String> kept = recent.get(room);
        return kept == null ? Map.of() : new TreeMap<>(kept.tailMap(after, false));
    }

    /** Waits (briefly) until the projection has applied what this node's feed has passed on for the room. */
    void awaitProjected(UUID room) {
        int partition = Utils.toPositive(Utils.murmur2(room.toString().getBytes(StandardCharsets.UTF_8)))
                % feed.partitions(Topics.MESSAGES);
        long next = feed.fed(Topics.MESSAGES, partition);
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
        List<Messages.MessageJson> missed = messages.after(room, after, SYNC_LIMIT, null);
        TreeMap<Long, String> history = new TreeMap<>();
        missed.forEach(m -> history.put(m.seq(), frame(m, null)));
        boolean more = missed.size() == SYNC_LIMIT;
        long horizon = more ? missed.get(missed.size() - 1).seq() : Long.MAX_VALUE;
        recentAfter(room, after).forEach((seq, frame) -> {
            if (seq <= horizon) {
                history.putIfAbsent(seq, frame);
            }
        });
        long last = history.isEmpty() ? after : history.lastKey();
        connection.finishSync(room, history.entrySet().stream()
                .map(e -> new Connection.Pending(e.getKey(), e.getValue())).toList(),
                frames.frame("synced", "room", room, "seq", last, "more", more));
    }
}
