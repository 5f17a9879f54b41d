package org.c18n.hub;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open socket: whose it is, which rooms and feeds it receives, and its two queues.
 * <p>
 * Out: the thread that delivers an event only queues the frame (shared by every recipient); when
 * the queue goes from empty to non-empty, one task on the socket's event loop writes everything
 * queued and flushes once. Nothing is handed to another thread per frame. While the socket is not
 * writable (the client reads slower than it is sent to) frames wait in the queue; one whose queue
 * fills up is closed ({@link #TOO_SLOW}) and recovers through history when it reconnects.
 * <p>
 * In: the client's frames are handled one after the other on the hub's handler threads (they may
 * wait on the database or the log), never on the event loop; reading pauses while a backlog waits.
 */
public final class Connection {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    static final WebSocketCloseStatus TOO_SLOW = new WebSocketCloseStatus(4008, "too slow: reconnect and sync");
    static final WebSocketCloseStatus FLOODING = new WebSocketCloseStatus(4029, "too many frames");
    static final WebSocketCloseStatus TOO_MANY_SOCKETS = new WebSocketCloseStatus(4030, "too many connections");
    /** How long a close frame may take to get through before the connection is cut without it. */
    static final long CLOSE_TIMEOUT_MS = 5000;
    /** Refused frames after which one more refusal for a rate limit closes the socket. */
    private static final int FLOOD_LIMIT = 50;
    /** Client frames waiting to be handled before the socket stops reading. */
    private static final int INBOUND_BACKLOG = 16;
    /** Client frames handled in one turn on a handler thread, so that other sockets get theirs. */
    private static final int TURN = 64;

    private final UUID userId;
    private final Frames frames;
    private final Channel channel;
    private final Executor handlers;
    private final int maxQueued;
    final Set<UUID> rooms = ConcurrentHashMap.newKeySet();
    /** Frames waiting for the event loop, as they go on the wire. */
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    /** The last seq delivered per room: a message is never delivered twice. */
    private final Map<UUID, Long> delivered = new HashMap<>();
    /** Rooms being synced: live frames wait here until the history before them is out. */
    private final Map<UUID, List<Held>> syncing = new HashMap<>();
    private final ArrayDeque<Runnable> inbound = new ArrayDeque<>();
    private boolean handling;
    private int refused;
    private boolean scheduled;
    private boolean closed;

    /** A frame of a room's ordered stream, with its place in it. */
    public record Pending(long seq, String frame) {}

    private record Held(long seq, ByteBuf frame) {}

    Connection(UUID userId, Frames frames, Channel channel, int maxQueued, Executor handlers) {
        this.userId = userId;
        this.frames = frames;
        this.channel = channel;
        this.maxQueued = maxQueued;
        this.handlers = handlers;
    }

    public UUID userId() {
        return userId;
    }

    /** The rooms this connection receives (changed only by the hub). */
    public Set<UUID> rooms() {
        return Collections.unmodifiableSet(rooms);
    }

    /** A room message in the room's order; dropped if this connection already had it. */
    synchronized void deliver(UUID room, long seq, ByteBuf frame) {
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
            deliver(room, p.seq(), Frames.wire(p.frame()));
        }
        if (live != null) {
            for (Held h : live) {
                deliver(room, h.seq(), h.frame());
            }
        }
        enqueue(Frames.wire(done));
    }

    /** Any other frame (typing, presence, ack, error...). */
    public void send(String frame) {
        send(Frames.wire(frame));
    }

    /** A frame already encoded: the hub encodes a frame for many connections once. */
    synchronized void send(ByteBuf frame) {
        enqueue(frame);
    }

    /**
     * Answers a client frame with an {@code error}; a client that keeps sending past its rate
     * limits ({@code rate-limited} after {@value #FLOOD_LIMIT} refusals) is cut off with 4029.
     */
    public synchronized void refuse(String code, String detail, String clientMsgId) {
        enqueue(Frames.wire(frames.error(code, detail, clientMsgId)));
        if (++refused > FLOOD_LIMIT && code.equals("rate-limited")) {
            close(FLOODING);
        }
    }

    private void enqueue(ByteBuf frame) {
        if (closed) {
            return;
        }
        if (queue.size() >= maxQueued) {
            close(TOO_SLOW);
            return;
        }
        queue.add(frame);
        if (!scheduled) {
            scheduled = true;
            channel.eventLoop().execute(this::drain);
        }
    }

    /**
     * On the event loop: writes what is queued while the socket takes it, then flushes once. When
     * the socket stops being writable the rest waits; {@link HubSocket} calls this again once it is.
     */
    void drain() {
        boolean wrote = false;
        while (channel.isWritable()) {
            ByteBuf next;
            synchronized (this) {
                next = closed ? null : queue.poll();
                if (next == null) {
                    scheduled = false;
                    break;
                }
            }
            channel.write(next.duplicate(), channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    /** Sends the close frame after what is already written, and cuts the connection if it does not get out in time. */
    synchronized void close(WebSocketCloseStatus status) {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                return;
            }
            channel.writeAndFlush(new CloseWebSocketFrame(status)).addListener(ChannelFutureListener.CLOSE);
            channel.eventLoop().schedule(() -> channel.close(), CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        });
    }

    /** The connection is gone (or going): nothing more is queued for it. */
    synchronized void gone() {
        closed = true;
        queue.clear();
    }

    synchronized boolean closing() {
        return closed;
    }

    /**
     * Runs {@code task} (a client frame, the opening, the closing) after the ones before it, on a
     * handler thread. Called on the event loop.
     */
    void handle(Runnable task) {
        synchronized (inbound) {
            inbound.add(task);
            if (inbound.size() >= INBOUND_BACKLOG) {
                channel.config().setAutoRead(false);
            }
            if (handling) {
                return;
            }
            handling = true;
        }
        handlers.execute(this::handleInbound);
    }

    private void handleInbound() {
        for (int i = 0; i < TURN; i++) {
            Runnable task;
            synchronized (inbound) {
                task = inbound.poll();
                if (task == null) {
                    handling = false;
                    channel.config().setAutoRead(true);
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("A socket task of user {} failed", userId, e);
            }
        }
        handlers.execute(this::handleInbound);
    }
}
