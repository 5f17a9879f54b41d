package org.c18n.support;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.c18n.client.Api;
import org.c18n.client.WebSocketClient;
import tools.jackson.databind.JsonNode;

/** A test's WebSocket, opened where the ticket says: the frames the server sends wait in a queue, to be awaited in order. */
public class Socket {
    private static final HttpClient HTTP = Api.newHttp();

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final WebSocketClient client;
    /** Completes with the close code, or -1 when the connection failed. */
    public final CompletableFuture<Integer> closed;

    private Socket(String url, String ticket) {
        client = WebSocketClient.connect(HTTP, url, ticket, frames::add);
        closed = client.closed();
    }

    /** Connects with a fresh ticket of {@code api}'s user, to the URL the ticket names. */
    public static Socket connect(Api api) {
        var ticket = api.post("/api/v1/ws/ticket", null);
        return connectWithTicket(ticket.text("url"), ticket.text("ticket"));
    }

    /** Connects to the socket {@code url} with {@code ticket}, valid or not. */
    public static Socket connectWithTicket(String url, String ticket) {
        return new Socket(url, ticket);
    }

    public void send(Object frame) {
        client.send(frame);
    }

    public void sendRaw(String text) {
        client.send(text);
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
        client.close();
    }
}
