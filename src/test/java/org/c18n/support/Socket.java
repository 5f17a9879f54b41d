package org.c18n.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** A real WebSocket client of /ws (the JDK's), collecting the server's frames. */
public class Socket implements WebSocket.Listener {
    private static final ObjectMapper json = JsonMapper.builder().build();

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final boolean stalled;
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket socket;

    private Socket(boolean stalled) {
        this.stalled = stalled;
    }

    /** Connects with a fresh ticket; {@code stalled} stops reading after the first frame (a stuck client). */
    public static Socket connect(String base, Api api, boolean stalled) {
        String ticket = api.post("/api/v1/ws/ticket", null).text("ticket");
        return connectWithTicket(base, ticket, stalled);
    }

    public static Socket connect(String base, Api api) {
        return connect(base, api, false);
    }

    public static Socket connectWithTicket(String base, String ticket, boolean stalled) {
        Socket listener = new Socket(stalled);
        listener.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(base.replace("http", "ws") + "/ws?ticket=" + ticket), listener).join();
        return listener;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(json.readTree(partial.toString()));
            partial.setLength(0);
        }
        if (!stalled) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    public void send(Object frame) {
        sendRaw(frame instanceof String s ? s : json.writeValueAsString(frame));
    }

    public void sendRaw(String text) {
        socket.sendText(text, true).join();
    }

    private static final Duration WAIT = Duration.ofSeconds(15);

    /** The next frame before {@code deadline} (nanoTime), or null when it passed. */
    private JsonNode next(long deadline) {
        long left = deadline - System.nanoTime();
        try {
            return left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The next frame of {@code type} that matches, skipping others; fails after 15 s (generous:
     * on a loaded CI machine a node that has just started can take seconds for its first frame).
     */
    public JsonNode await(String type, Predicate<JsonNode> matching) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (JsonNode frame = next(deadline); frame != null; frame = next(deadline)) {
            if (frame.path("type").asString().equals(type) && matching.test(frame)) {
                return frame;
            }
        }
        throw new AssertionError("no " + type + " frame within 15 s");
    }

    public JsonNode await(String type) {
        return await(type, f -> true);
    }

    /** The first frame of each type, in whatever order they come (an ack and its message, say). */
    public java.util.Map<String, JsonNode> awaitEach(String... types) {
        java.util.Map<String, JsonNode> found = new java.util.HashMap<>();
        java.util.Set<String> wanted = java.util.Set.of(types);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (found.size() < wanted.size()) {
            JsonNode frame = next(deadline);
            if (frame == null) {
                throw new AssertionError("no " + wanted + " frames within 15 s, got " + found.keySet());
            }
            if (wanted.contains(frame.path("type").asString())) {
                found.putIfAbsent(frame.path("type").asString(), frame);
            }
        }
        return found;
    }

    /** Every frame of {@code type} that arrives within {@code window}. */
    public List<JsonNode> collect(String type, Duration window) {
        List<JsonNode> found = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        for (JsonNode frame = next(deadline); frame != null; frame = next(deadline)) {
            if (frame.path("type").asString().equals(type)) {
                found.add(frame);
            }
        }
        return found;
    }

    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
