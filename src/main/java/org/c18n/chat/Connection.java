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
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * One open socket: who it is, which rooms it receives, and its outbound queue. Frames are written
 * asynchronously one after another, so a slow client never blocks the thread delivering to
 * everyone else; a client whose queue fills up is closed ({@link #TOO_SLOW}) and recovers
 * through history when it reconnects.
 */
final class Connection {
    static final CloseStatus TOO_SLOW = new CloseStatus(4008, "too slow: reconnect and sync");

    final UUID userId;
    final String username;
    final WebSocketSession session;
    final Set<UUID> rooms = ConcurrentHashMap.newKeySet();
    private final RemoteEndpoint.Async remote;
    private final int maxQueued;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    /** The last seq delivered per room: a message is never delivered twice. */
    private final Map<UUID, Long> delivered = new HashMap<>();
    /** Rooms being synced: live frames wait here until the history before them is out. */
    private final Map<UUID, List<Pending>> syncing = new HashMap<>();
    private boolean sending;
    private boolean writing;
    private boolean completedInline;
    private boolean closed;

    record Pending(long seq, String frame) {}

    Connection(UUID userId, String username, WebSocketSession session, int maxQueued) {
        this.userId = userId;
        this.username = username;
        this.session = session;
        this.maxQueued = maxQueued;
        var nativeSession = (org.springframework.web.socket.adapter.NativeWebSocketSession)
                org.springframework.web.socket.handler.WebSocketSessionDecorator.unwrap(session);
        this.remote = nativeSession.getNativeSession(jakarta.websocket.Session.class).getAsyncRemote();
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
        if (!sending) {
            sending = true;
            writeNext();
        }
    }

    /**
     * Writes queued frames one at a time. A write that completes at once (its handler runs on this
     * thread, inside sendText) continues the loop instead of recursing; one that completes later
     * continues from its handler.
     */
    private void writeNext() {
        while (true) {
            String next = queue.poll();
            if (next == null || closed) {
                sending = false;
                return;
            }
            writing = true;
            completedInline = false;
            try {
                remote.sendText(next, result -> {
                    synchronized (Connection.this) {
                        if (!result.isOK()) {
                            closeQuietly(CloseStatus.SESSION_NOT_RELIABLE);
                            sending = false;
                        } else if (writing) {
                            completedInline = true;
                        } else {
                            writeNext();
                        }
                    }
                });
            } catch (RuntimeException e) {
                closeQuietly(CloseStatus.SESSION_NOT_RELIABLE);
                sending = false;
                return;
            } finally {
                writing = false;
            }
            if (!completedInline) {
                return;
            }
        }
    }

    synchronized void closeQuietly(CloseStatus status) {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        try {
            session.close(status);
        } catch (IOException | RuntimeException ignored) {
            // already gone
        }
    }
}
