package org.c18n.workload;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * One emulated person: their REST client on the node they were given, their WebSocket (messages
 * arrive on it; their own sends are acknowledged on it), and what they have come to know: the
 * communities they are in, the posts they have seen, their rooms. When their node stops
 * answering they move to the next one, as a client behind a load balancer would.
 */
final class EmulatedUser implements WebSocket.Listener {
    final String username;
    final List<URI> nodes;
    final HttpClient http;
    volatile UUID id;
    volatile int node;
    volatile ApiClient api;
    private volatile WebSocket socket;
    private final StringBuilder partial = new StringBuilder();
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
        this.api = new ApiClient(http, nodes.get(node));
    }

    URI base() {
        return nodes.get(node);
    }

    /** The request, and once more on the next node when this one does not answer at all. */
    ApiClient.Reply call(java.util.function.Function<ApiClient, ApiClient.Reply> request, String password) {
        ApiClient.Reply reply = request.apply(api);
        if (reply.status() == 0 && nodes.size() > 1) {
            moveToNextNode(password);
            reply = request.apply(api);
        }
        return reply;
    }

    synchronized void moveToNextNode(String password) {
        failovers.incrementAndGet();
        node = (node + 1) % nodes.size();
        ApiClient moved = new ApiClient(http, nodes.get(node));
        moved.login(username, password);
        api = moved;
        WebSocket old = socket;
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
        URI ws = URI.create(base().toString().replaceFirst("^http", "ws") + "ws?ticket=" + ticket.text("ticket"));
        socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(ws, this).join();
    }

    boolean connected() {
        return socket != null && !socket.isOutputClosed() && !socket.isInputClosed();
    }

    /** Sends a message over the socket; completes with the {@code ack} (or the {@code error}). */
    CompletableFuture<JsonNode> send(UUID room, String body) {
        String clientMsgId = UUID.randomUUID().toString();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(clientMsgId, answer);
        WebSocket open = socket;
        if (open == null) {
            pending.remove(clientMsgId);
            return CompletableFuture.failedFuture(new IllegalStateException("no socket"));
        }
        synchronized (this) {
            open.sendText(ApiClient.JSON.writeValueAsString(Map.of("type", "send", "room", room, "body", body,
                    "clientMsgId", clientMsgId)), true).join();
        }
        return answer.orTimeout(10, TimeUnit.SECONDS).whenComplete((r, e) -> pending.remove(clientMsgId));
    }

    void close() {
        WebSocket open = socket;
        if (open != null) {
            try {
                open.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                open.abort();
            }
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            JsonNode frame = ApiClient.JSON.readTree(partial.toString());
            partial.setLength(0);
            received(frame);
        }
        webSocket.request(1);
        return null;
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

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        failPending(webSocket, "closed " + statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        failPending(webSocket, error.getClass().getSimpleName());
    }

    private void failPending(WebSocket which, String why) {
        if (socket == which) {
            socket = null;
        }
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("socket " + why)));
    }
}
