package org.c18n.workload;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform's public REST API as a client sees it: one signed-in user (or nobody), JSON in and
 * out, a fresh sign-in when the access token has expired. Used by the generator and the emulator.
 */
public final class ApiClient {
    static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI base;
    private volatile String token;
    private String username;
    private String password;

    /** What came back, and how long it took. */
    public record Reply(int status, JsonNode body, long nanos) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public String text(String field) {
            return body.path(field).asString();
        }

        public UUID id() {
            return UUID.fromString(body.path("id").asString());
        }

        /** A short description for error reports: the status and the problem's type or title. */
        public String problem() {
            String type = body.path("type").asString("");
            return status + (type.isEmpty() ? "" : " " + type.substring(type.lastIndexOf('/') + 1));
        }
    }

    public ApiClient(HttpClient http, URI base) {
        this.http = http;
        this.base = base;
    }

    public static HttpClient newHttp() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
    }

    public String token() {
        return token;
    }

    /** Signs in (and remembers how, to sign in again when the token expires). */
    public Reply login(String username, String password) {
        this.username = username;
        this.password = password;
        Reply reply = send(request("/api/v1/auth/login").POST(body(Map.of("username", username, "password", password))), false);
        if (reply.ok()) {
            token = reply.text("accessToken");
        }
        return reply;
    }

    public Reply get(String path) {
        return send(request(path).GET(), true);
    }

    public Reply post(String path, Object body) {
        return send(request(path).POST(body(body)), true);
    }

    public Reply put(String path, Object body) {
        return send(request(path).PUT(body(body)), true);
    }

    public Reply patch(String path, Object body) {
        return send(request(path).method("PATCH", body(body)), true);
    }

    /** A multipart upload of one file in the field {@code file}. */
    public Reply upload(String path, String filename, String contentType, byte[] content) {
        String boundary = "c18n-" + UUID.randomUUID();
        var out = new ByteArrayOutputStream(content.length + 256);
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())), true);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("Content-Type", "application/json")
                .header("Accept", "application/json");
    }

    private static HttpRequest.BodyPublisher body(Object body) {
        return body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
    }

    private Reply send(HttpRequest.Builder builder, boolean signed) {
        HttpRequest request = (signed && token != null ? builder.header("Authorization", "Bearer " + token) : builder).build();
        Reply reply = exchange(request);
        if (reply.status() == 401 && signed && password != null && login(username, password).ok()) {
            reply = exchange(HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization"))
                    .header("Authorization", "Bearer " + token).build());
        }
        return reply;
    }

    private Reply exchange(HttpRequest request) {
        long started = System.nanoTime();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            byte[] bytes = response.body();
            JsonNode body = bytes.length == 0 ? JSON.nullNode() : parse(bytes);
            return new Reply(response.statusCode(), body, System.nanoTime() - started);
        } catch (java.io.IOException e) {
            return new Reply(0, JSON.createObjectNode().put("type", "/io-error").put("detail", String.valueOf(e.getMessage())),
                    System.nanoTime() - started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(0, JSON.createObjectNode().put("type", "/interrupted"), System.nanoTime() - started);
        }
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (RuntimeException notJson) {
            return JSON.createObjectNode().put("text", new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8));
        }
    }
}
