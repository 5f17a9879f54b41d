package org.c18n.support;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the REST API, as an outside client sees it (cookies kept per instance). */
public class Api {
    private static final ObjectMapper json = JsonMapper.builder().build();

    private final String base;
    private final HttpClient http;
    private String token;

    public Api(String base) {
        this.base = base;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public record Response(int status, JsonNode body, HttpResponse<String> raw) {
        public String text(String field) {
            return body.path(field).asString();
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }

    public Api token(String token) {
        this.token = token;
        return this;
    }

    public String token() {
        return token;
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

    /** Sends {@code body} as is when it is a String (for malformed JSON), else as JSON. */
    public Response send(String method, String path, Object body) {
        String payload = body == null ? "" : body instanceof String s ? s : json.writeValueAsString(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(payload))
                .header("Accept", "application/json")
                // As the web app sends it: refresh and logout are refused without it (CSRF defence).
                .header("X-C18N", "1");
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return exchange(request);
    }

    /** Uploads {@code content} as the multipart field {@code file}, with whatever name and type the client claims. */
    public Response upload(String path, String filename, String declaredType, byte[] content) {
        String boundary = "c18n" + java.util.UUID.randomUUID();
        var body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + declaredType + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return exchange(request);
    }

    /** A GET with extra headers, answering the raw bytes (for media). */
    public HttpResponse<byte[]> getBytes(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            request.headers(headers);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Response exchange(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode node = response.body().isBlank() ? json.createObjectNode() : parse(response.body());
            return new Response(response.statusCode(), node, response);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (RuntimeException e) {
            return json.createObjectNode().put("raw", text);
        }
    }

    /** Registers and signs in a new user; returns a client carrying their token. */
    public static Api signedUp(String base, String username) {
        Api api = new Api(base);
        Response registered = api.post("/api/v1/auth/register",
                Map.of("username", username, "email", username + "@example.org", "password", "password-" + username));
        if (registered.status() != 201) {
            throw new AssertionError("register " + username + ": " + registered);
        }
        return api.login(username, "password-" + username);
    }

    public Api login(String username, String password) {
        Response login = post("/api/v1/auth/login", Map.of("username", username, "password", password));
        if (login.status() != 200) {
            throw new AssertionError("login " + username + ": " + login);
        }
        return token(login.text("accessToken"));
    }

    public String id() {
        return get("/api/v1/users/me").text("id");
    }
}
