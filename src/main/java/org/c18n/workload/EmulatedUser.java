package org.c18n.workload;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.c18n.client.Api;
import org.c18n.client.WebSocketClient;
import tools.jackson.databind.JsonNode;

/**
 * One emulated person: their REST client on the node they were given, their WebSocket (messages
 * arrive on it; their own sends are acknowledged on it), and what they have come to know: the
 * communities they are in, the posts they have seen, their rooms. When their node stops
 * answering they move to the next one, as a client behind a load balancer would.
 */
final class EmulatedUser {
    final String username;
    final List<URI> nodes;
    final HttpClient http;
    volatile UUID id;
    volatile int node;
    volatile Api api;
    private volatile WebSocketClient socket;
    final Set<UUID> communities = ConcurrentHashMap.newKeySet();
    final Set<UUID> invitedTo = ConcurrentHashMap.newKeySet();
    final Set<UUID> groups = ConcurrentHashMap.newKeySet();
    final List<JsonNode> seen = new CopyOnWriteArrayList<>();
    final Set<UUID> rooms = ConcurrentHashMap.newKeySet();
    final Map<UUID, UUID> directRooms = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong delivered;
    final AtomicLong failovers;

    EmulatedUser(String username, List<URI> nodes, int node, HttpClient http, AtomicLong delivered, AtomicLong failovers) {
        this.username = username;
        this.nodes = nodes;
        this.node = node;
        this.http = http;
        this.delivered = delivered;
        this.failovers = failovers;
        this.api = new Api(http, nodes.get(node).toString());
    }

    URI base() {
        return nodes.get(node);
    }

    /**
     * The request; when its node does not answer at all, twice more a second apart (a node may
     * refuse a moment and recover), then once on the next node.
     */
    Api.Response call(Function<Api, Api.Response> request, String password) {
        int asked = node;
        Api.Response reply = request.apply(api);
        for (int again = 0; again < 2 && reply.status() == 0; again++) {
            Emulator.sleepNanos(1_000_000_000L);
            reply = request.apply(api);
        }
        if (reply.status() == 0 && nodes.size() > 1) {
            moveOn(asked, password);
            reply = request.apply(api);
        }
        return reply;
    }

    /**
     * Moves to the node after {@code from}, unless another of this person's actions (a message on
     * the socket beside a request) already moved them away from it.
     */
    synchronized void moveOn(int from, String password) {
        if (node != from) {
            return;
        }
        failovers.incrementAndGet();
        node = (node + 1) % nodes.size();
        Api moved = new Api(http, nodes.get(node).toString());
        moved.staySignedIn(username, password);
        api = moved;
        WebSocketClient old = socket;
        socket = null;
        if (old != null) {
            old.abort();
        }
    }

    /** Opens the socket on the current node (a one-time ticket first, from the next node if this one is gone). */
    void connect(String password) {
        var ticket = call(a -> a.post("/api/v1/ws/ticket", null), password);
        if (!ticket.ok()) {
            throw new IllegalStateException("ticket " + ticket.problem());
        }
        WebSocketClient opened = WebSocketClient.connect(http, ticket.text("url"), ticket.text("ticket"), this::received);
        opened.closed().thenAccept(code -> {
            if (socket == opened) {
                socket = null;
            }
            pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("socket closed " + code)));
        });
        socket = opened;
    }

    boolean connected() {
        WebSocketClient open = socket;
        return open != null && open.open();
    }

    /** Sends a message over the socket; completes with the {@code ack} (or the {@code error}). */
    CompletableFuture<JsonNode> send(UUID room, String body) {
        String clientMsgId = UUID.randomUUID().toString();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(clientMsgId, answer);
        WebSocketClient open = socket;
        if (open == null) {
            pending.remove(clientMsgId);
            return CompletableFuture.failedFuture(new IllegalStateException("no socket"));
        }
        open.send(Map.of("type", "send", "room", room, "body", body, "clientMsgId", clientMsgId));
        return answer.orTimeout(10, TimeUnit.SECONDS).whenComplete((r, e) -> pending.remove(clientMsgId));
    }

    void close() {
        WebSocketClient open = socket;
        if (open != null) {
            open.close();
        }
    }

    private void received(JsonNode frame) {
        switch (frame.path("type").asString()) {
            case "hello" -> frame.path("rooms").forEach(r -> rooms.add(UUID.fromString(r.asString())));
            case "room_added" -> rooms.add(UUID.fromString(frame.path("room").asString()));
            case "message" -> delivered.incrementAndGet();
            case "ack", "error" -> {
                var waiting = pending.get(frame.path("clientMsgId").asString());
                if (waiting != null) {
                    waiting.complete(frame);
                }
            }
            default -> { }
        }
    }
}
