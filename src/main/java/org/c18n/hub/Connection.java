package org.c18n.hub;

import jakarta.websocket.RemoteEndpoint;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.tomcat.websocket.PreEncodedText;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * One open socket: whose it is, which rooms and feeds it receives, and its outbound queue. The
 * thread that delivers an event only queues the frame; a small pool of writer threads drains each
 * socket's queue with plain blocking writes (one socket at a time, a turn of at most 64 frames). A
 * client that stops reading holds one writer for at most the send timeout; one whose queue fills
 * up is closed ({@link #TOO_SLOW}) and recovers through history when it reconnects.
 */
public final class Connection {
    static final CloseStatus TOO_SLOW = new CloseStatus(4008, "too slow: reconnect and sync");
    static final CloseStatus FLOODING = new CloseStatus(4029, "too many frames");
    static final long SEND_TIMEOUT_MS = 5000;
    private static final int TURN = 64;
    /** Refused frames after which one more refusal for a rate limit closes the socket. */
    private static final int FLOOD_LIMIT = 50;

    private final UUID userId;
    private final Frames frames;
    private final WebSocketSession session;
    final Set<UUID> rooms = ConcurrentHashMap.newKeySet();
    /** Live feeds beyond the rooms that this socket asked for ({@code subscribe}), e.g. analytics. */
    final Set<String> feeds = ConcurrentHashMap.newKeySet();
    private final RemoteEndpoint.Basic remote;
    private final Executor writers;
    private final int maxQueued;
    /** Frames waiting for a writer, as UTF-8: a room's frame is encoded once for all its recipients. */
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    /** The last seq delivered per room: a message is never delivered twice. */
    private final Map<UUID, Long> delivered = new HashMap<>();
    /** Rooms being synced: live frames wait here until the history before them is out. */
    private final Map<UUID, List<Held>> syncing = new HashMap<>();
    private int refused;
    private boolean scheduled;
    private boolean closed;

    /** A frame of a room's ordered stream, with its place in it. */
    public record Pending(long seq, String frame) {}

    private record Held(long seq, byte[] frame) {}

    Connection(UUID userId, Frames frames, WebSocketSession session, int maxQueued, Executor writers) {
        this.userId = userId;
        this.frames = frames;
        this.session = session;
        this.maxQueued = maxQueued;
        this.writers = writers;
        var nativeSession = ((org.springframework.web.socket.adapter.NativeWebSocketSession)
                org.springframework.web.socket.handler.WebSocketSessionDecorator.unwrap(session))
                .getNativeSession(jakarta.websocket.Session.class);
        nativeSession.getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", SEND_TIMEOUT_MS);
        this.remote = nativeSession.getBasicRemote();
        try {
            // Frames collect in the socket's output buffer until the writer's turn ends (drain).
            remote.setBatchingAllowed(true);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public UUID userId() {
        return userId;
    }

    /** The rooms this connection receives (changed only by the hub). */
    public Set<UUID> rooms() {
        return Collections.unmodifiableSet(rooms);
    }

    /** A room message (UTF-8) in the room's order; dropped if this connection already had it. */
    synchronized void deliver(UUID room, long seq, byte[] frame) {
        List<Held> pending = syncing.get(room);
        if (pending != null) {
            pending.add(new Held(seq, frame));
            return;
        }
        if (seq <= delivered.getOrDefault(room, -1L)) {
            return;
        }
        delivered.put(room, seq);
        enqueue(frame);
    }

    /** Holds the room's live frames back until {@link #finishSync} (a client catching up on history). */
    public synchronized void startSync(UUID room) {
        syncing.putIfAbsent(room, new ArrayList<>());
    }

    /** Sends the history frames, then whatever arrived live meanwhile that is newer. */
    public synchronized void finishSync(UUID room, List<Pending> history, String done) {
        List<Held> live = syncing.remove(room);
        for (Pending p : history) {
            deliver(room, p.seq(), Frames.utf8(p.frame()));
        }
        if (live != null) {
            for (Held h : live) {
                deliver(room, h.seq(), h.frame());
            }
        }
        enqueue(Frames.utf8(done));
    }

    /** Any other frame (typing, presence, ack, error...). */
    public void send(String frame) {
        send(Frames.utf8(frame));
    }

    /** A frame already encoded: the hub encodes a frame for many connections once. */
    synchronized void send(byte[] frame) {
        enqueue(frame);
    }

    /**
     * Answers a client frame with an {@code error}; a client that keeps sending past its rate
     * limits ({@code rate-limited} after {@value #FLOOD_LIMIT} refusals) is cut off with 4029.
     */
    public synchronized void refuse(String code, String detail, String clientMsgId) {
        enqueue(Frames.utf8(frames.error(code, detail, clientMsgId)));
        if (++refused > FLOOD_LIMIT && code.equals("rate-limited")) {
            closeQuietly(FLOODING);
        }
    }

    private void enqueue(byte[] frame) {
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

    /**
     * A writer's turn on this socket: the frames queued for it (at most {@link #TURN}) go out as one
     * batch, one write and one flush; it yields after that so other sockets get theirs.
     */
    private void drain() {
        try {
            for (int i = 0; i < TURN; i++) {
                byte[] next;
                synchronized (this) {
                    next = closed ? null : queue.poll();
                }
                if (next == null) {
                    break;
                }
                PreEncodedText.send(remote, next);
            }
            remote.flushBatch();
        } catch (IOException | RuntimeException e) {
            closeQuietly(CloseStatus.SESSION_NOT_RELIABLE);
            synchronized (this) {
                scheduled = false;
            }
            return;
        }
        synchronized (this) {
            // Still this writer's until here: nobody else writes to the socket while it flushes.
            if (queue.isEmpty() || closed) {
                scheduled = false;
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
