package org.c18n.client;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * One connection to the platform's WebSocket (see docs/protocol.md): every frame the server
 * sends goes, parsed, to the handler given (one at a time, on the JDK's thread); {@link #closed()}
 * completes with the close code, or -1 when the connection failed.
 */
public final class WebSocketClient implements WebSocket.Listener {
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(20);
    private final Consumer<JsonNode> onFrame;
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket socket;

    private WebSocketClient(Consumer<JsonNode> onFrame) {
        this.onFrame = onFrame;
    }

    /**
     * Opens the socket with a one-time ticket: {@code url} is the one the ticket answer names
     * (POST /api/v1/ws/ticket), the hub's own listener or the proxy in front of it.
     */
    public static WebSocketClient connect(HttpClient http, String url, String ticket, Consumer<JsonNode> onFrame) {
        return connect(http, url, ticket, onFrame, ANSWER_WITHIN);
    }

    static WebSocketClient connect(HttpClient http, String url, String ticket, Consumer<JsonNode> onFrame,
                                   Duration answerWithin) {
        WebSocketClient client = new WebSocketClient(onFrame);
        var opening = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(url + "?ticket=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8)), client);
        try {
            // The connect timeout covers the TCP connection only: an upgrade never answered must fail, not hang.
            client.socket = opening.get(answerWithin.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new java.util.concurrent.CompletionException(e.getCause());
        } catch (TimeoutException e) {
            opening.thenAccept(WebSocket::abort); // should it open after all, nobody holds it
            throw new IllegalStateException("the socket's upgrade was not answered within " + answerWithin.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the socket");
        }
        return client;
    }

    /** Sends a frame: JSON, or as it is when it is a String. */
    public void send(Object frame) {
        String text = frame instanceof String s ? s : Api.JSON.writeValueAsString(frame);
        synchronized (this) { // the JDK refuses a send while the last one is still under way
            socket.sendText(text, true).join();
        }
    }

    public boolean open() {
        return !socket.isOutputClosed() && !socket.isInputClosed();
    }

    public CompletableFuture<Integer> closed() {
        return closed;
    }

    /** Says goodbye (waiting two seconds at most for it to go out), then drops the connection. */
    public void close() {
        try {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException gone) {
            // dropped below either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            socket.abort();
        }
    }

    /** Drops the connection without a word (a client whose network went away). */
    public void abort() {
        socket.abort();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            JsonNode frame = Api.JSON.readTree(partial.toString());
            partial.setLength(0);
            onFrame.accept(frame);
        }
        webSocket.request(1);
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
}
