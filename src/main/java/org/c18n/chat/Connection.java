package org.c18n.chat;

import jakarta.websocket.RemoteEndpoint;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * One open socket: who it is, which rooms it receives, and its outbound queue. The thread that
 * delivers an event only queues the frame; a small pool of writer threads drains each socket's
 * queue with plain blocking writes (one socket at a time, a turn of at most 64 frames). A client
 * that stops reading holds one writer for at most the send timeout; one whose queue fills up is
 * closed ({@link #TOO_SLOW}) and recovers through history when it reconnects.
 */
final class Connection {
    static final CloseStatus TOO_SLOW = new CloseStatus(4008, "too slow: reconnect and sync");
    static final long SEND_TIMEOUT_MS = 5000;
    private static final int TURN = 64;

    final UUID userId;
    final String username;
    final WebSocketSession session;
    final Set<UUID> rooms = ConcurrentHashMap.newKeySet();
    /** Live feeds beyond the rooms that this socket asked for ({@code subscribe}), e.g. analytics. */
    final Set<String> feeds = ConcurrentHashMap.newKeySet();
    private final RemoteEndpoint.Basic remote;
    private final Executor writers;
    private final int maxQueued;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    /** The last seq delivered per room: a message is never delivered twice. */
    private final Map<UUID, Long> delivered = new HashMap<>();
    /** Rooms being synced: live frames wait here until the history before them is out. */
    private final Map<UUID, List<Pending>> syncing = new HashMap<>();
    private boolean scheduled;
    private boolean closed;

    record Pending(long seq, String frame) {}

    Connection(UUID userId, String username, WebSocketSession session, int maxQueued, Executor writers) {
        this.userId = userId;
        this.username = username;
        this.session = session;
        this.maxQueued = maxQueued;
        this.writers = writers;
        var nativeSession = ((org.springframework.web.socket.adapter.NativeWebSocketSession)
                org.springframework.web.socket.handler.WebSocketSessionDecorator.unwrap(session))
                .getNativeSession(jakarta.websocket.Session.class);
        nativeSession.getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", SEND_TIMEOUT_MS);
        this.remote = nativeSession.getBasicRemote();
    }

    /** A room message in the room's order; dropped if this connection already had it. */
    synchronized void deliver(UUID room, long seq, String frame) {
        List<Pending> pending = syncing.get(room);
        if (pending != null) {
            pending.add(new Pending(seq, frame));
            return;
        }
        if (seq <= delivered.getOrDefault(room, -1L)) {
            return;
        }
        delivered.put(room, seq);
        enqueue(frame);
    }

    synchronized void startSync(UUID room) {
        syncing.putIfAbsent(room, new ArrayList<>());
    }

    /** Sends the history frames, then whatever arrived live meanwhile that is newer. */
    synchronized void finishSync(UUID room, List<Pending> history, String done) {
        List<Pending> live = syncing.remove(room);
        for (Pending p : history) {
            deliver(room, p.seq(), p.frame());
        }
        if (live != null) {
            for (Pending p : live) {
                deliver(room, p.seq(), p.frame());
            }
        }
        enqueue(done);
    }

    static Pending pending(long seq, String frame) {
        return new Pending(seq, frame);
    }

    /** Any other frame (typing, presence, ack, error...). */
    synchronized void send(String frame) {
        enqueue(frame);
    }

    private void enqueue(String frame) {
        if (closed) {
            return;
        }
        if (queue.size() >= maxQueued) {
            closeQuietly(TOO_SLOW);
            return;
        }
        queue.add(frame);
        if (!scheduled) {
            scheduled = true;
            writers.execute(this::drain);
        }
    }

    /** A writer's turn on this socket; it yields after {@link #TURN} frames so others get theirs. */
    private void drain() {
        for (int i = 0; i < TURN; i++) {
            String next;
            synchronized (this) {
                next = queue.poll();
                if (next == null || closed) {
                    scheduled = false;
                    return;
                }
            }
            try {
                remote.sendText(next);
            } catch (IOException | RuntimeException e) {
                closeQuietly(CloseStatus.SESSION_NOT_RELIABLE);
                synchronized (this) {
                    scheduled = false;
                }
                return;
            }
        }
        writers.execute(this::drain);
    }

    /** Closes on a writer thread: closing writes a frame too, and the caller must never block. */
    synchronized void closeQuietly(CloseStatus status) {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        writers.execute(() -> {
            try {
                session.close(status);
            } catch (IOException | RuntimeException ignored) {
                // already gone
            }
        });
    }
}
