package org.c18n.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform's REST API as an outside client sees it: JSON in and out, one signed-in user or
 * nobody. The seeder, the emulator and the tests all speak through it. A request that gets no
 * answer at all (refused, reset, timed out) answers status 0 instead of throwing: a load
 * generator counts it and moves on, and a test's assertion on the status shows why.
 */
public final class Api {
    public static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final String base;
    private volatile String token;
    private volatile String username;
    private volatile String password;

    /** What came back: the status, the body as JSON (empty when none or not JSON) and as sent, the headers. */
    public record Response(int status, JsonNode body, String raw, HttpHeaders headers) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public String text(String field) {
            return body.path(field).asString();
        }

        /** The id of what the body describes. */
        public UUID id() {
            return UUID.fromString(text("id"));
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** A short description for error reports: the status and the problem's type. */
        public String problem() {
            String type = body.path("type").asString("");
            String problem = status + (type.isEmpty() ? "" : " " + type.substring(type.lastIndexOf('/') + 1));
            // No answer at all: what the client met (refused, reset, timed out) is the only clue.
            return status == 0 ? problem + " (" + body.path("detail").asString("") + ")" : problem;
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    /** A client of its own, which keeps its cookies (the refresh token's, as a browser would). */
    public Api(String base) {
        this(HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1).build(), base);
    }

    /** A client on a connection pool shared with others ({@link #newHttp()}: no cookies, many users share it). */
    public Api(HttpClient http, String base) {
        this.http = http;
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public static HttpClient newHttp() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
    }

    public String base() {
        return base;
    }

    public String token() {
        return token;
    }

    /** Speaks with this access token from now on (null: as nobody). */
    public Api token(String token) {
        this.token = token;
        return this;
    }

    /** Creates an account ({@code displayName} may be null); does not sign in. */
    public Response register(String username, String email, String password, String displayName) {
        Map<String, String> account = new HashMap<>(Map.of("username", username, "email", email, "password", password));
        if (displayName != null) {
            account.put("displayName", displayName);
        }
        return post("/api/v1/auth/register", account);
    }

    /** Signs in, or fails; answers this client, signed in, for chaining. */
    public Api login(String username, String password) {
        Response login = signIn(username, password);
        if (login.status() != 200) {
            throw new IllegalStateException("login " + username + ": " + login);
        }
        return this;
    }

    /**
     * Signs in, and signs in again whenever a request answers 401 later: the access token lives
     * minutes, a seeding or emulation run longer.
     */
    public Response staySignedIn(String username, String password) {
        this.username = username;
        this.password = password;
        return signIn(username, password);
    }

    private Response signIn(String username, String password) {
        Response login = exchange(request("POST", "/api/v1/auth/login", Map.of("username", username, "password", password)));
        if (login.ok()) {
            token = login.text("accessToken");
        }
        return login;
    }

    /** The signed-in user's id. */
    public String id() {
        return get("/api/v1/users/me").text("id");
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    public Response post(String path, Object body) {
        return send("POST", path, body);
    }

    public Response put(String path, Object body) {
        return send("PUT", path, body);
    }

    public Response patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    /** Sends {@code body} as JSON, or as it is when it is a String (malformed JSON, say). */
    public Response send(String method, String path, Object body) {
        return signed(request(method, path, body));
    }

    /** Uploads {@code content} as the multipart field {@code file}, with whatever name and type the client claims. */
    public Response upload(String path, String filename, String declaredType, byte[] content) {
        String boundary = "c18n-" + UUID.randomUUID();
        var body = new ByteArrayOutputStream(content.length + 256);
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + declaredType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return signed(HttpRequest.newBuilder(URI.create(base + path)).timeout(UPLOAD_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary));
    }

    /** A GET with extra headers (name, value, ...), answering the bytes as they came (media); throws when unanswered. */
    public HttpResponse<byte[]> getBytes(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
        if (headers.length > 0) {
            request.headers(headers);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)))
                .header("Accept", "application/json")
                // As the web app sends it: refresh and logout are refused without it (CSRF defence).
                .header("X-C18N", "1");
        return body == null ? request : request.header("Content-Type", "application/json");
    }

    /** Sends with the access token; when it has expired and the client stays signed in, signs in and sends once more. */
    private Response signed(HttpRequest.Builder builder) {
        String current = token;
        Response response = exchange(current == null ? builder : builder.copy().header("Authorization", "Bearer " + current));
        if (response.status() == 401 && password != null && signIn(username, password).ok()) {
            response = exchange(builder.header("Authorization", "Bearer " + token));
        }
        return response;
    }

    private Response exchange(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (!closedUnanswered(e)) {
                    throw e;
                }
                // A kept-alive connection the server had just closed as idle: the request never reached it.
                // The JDK client sends a GET again itself, not a POST; a browser sends either again, so do we.
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            }
            return new Response(response.statusCode(), parse(response.body()), response.body(), response.headers());
        } catch (IOException e) {
            return unanswered("/io-error", String.valueOf(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unanswered("/interrupted", "interrupted");
        }
    }

    private static boolean closedUnanswered(IOException e) {
        return String.valueOf(e.getMessage()).contains("header parser received no bytes");
    }

    private static Response unanswered(String type, String detail) {
        return new Response(0, JSON.createObjectNode().put("type", type).put("detail", detail), detail,
                HttpHeaders.of(Map.of(), (name, value) -> true));
    }

    private static JsonNode parse(String text) {
        if (text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(text);
        } catch (RuntimeException notJson) {
            return JSON.createObjectNode();
        }
    }
}
