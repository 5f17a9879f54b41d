package org.c18n.search;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The few calls of OpenSearch's REST API the backend makes, over the JDK's HTTP client: the API
 * is plain JSON over HTTP, and the official client would bring its own transport and JSON
 * mapping for the dozen requests used here.
 */
final class OpenSearchClient {
    /** OpenSearch cannot be reached or is overloaded (5xx, 429): worth trying again; not the event's fault. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** OpenSearch refused the request (4xx): {@code status} and its error. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String authorization;
    private final ObjectMapper json;

    OpenSearchClient(SearchProperties.OpenSearch settings, ObjectMapper json) {
        String url = settings.url().toString();
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.authorization = settings.username() == null || settings.username().isBlank() ? null
                : "Basic " + Base64.getEncoder().encodeToString((settings.username() + ":"
                + (settings.password() == null ? "" : settings.password())).getBytes(StandardCharsets.UTF_8));
        this.json = json;
    }

    ObjectMapper json() {
        return json;
    }

    JsonNode get(String path) {
        return send("GET", path, null, "application/json");
    }

    JsonNode put(String path, JsonNode body) {
        return send("PUT", path, body == null ? null : json.writeValueAsString(body), "application/json");
    }

    JsonNode post(String path, JsonNode body) {
        return send("POST", path, body == null ? null : json.writeValueAsString(body), "application/json");
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null, "application/json");
    }

    /** A {@code _bulk} request of newline-delimited JSON; the answer says per item what happened. */
    JsonNode bulk(String path, String ndjson) {
        return send("POST", path, ndjson, "application/x-ndjson");
    }

    /** Whether {@code path} exists (HEAD: 200 or 404). */
    boolean exists(String path) {
        try {
            HttpResponse<String> response = http.send(request("HEAD", path, null, "application/json"),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 500) {
                throw new Unavailable("OpenSearch answered " + response.statusCode() + " to HEAD /" + path, null);
            }
            return response.statusCode() == 200;
        } catch (IOException e) {
            throw new Unavailable("OpenSearch at " + base + " cannot be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted", e);
        }
    }

    private JsonNode send(String method, String path, String body, String contentType) {
        HttpResponse<String> response;
        try {
            response = http.send(request(method, path, body, contentType), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unavailable("OpenSearch at " + base + " cannot be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted", e);
        }
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            throw new Unavailable("OpenSearch answered " + status + " to " + method + " /" + path + ": " + cut(response.body()), null);
        }
        if (status >= 400) {
            throw new Refused(status, "OpenSearch answered " + status + " to " + method + " /" + path + ": " + cut(response.body()));
        }
        return response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body());
    }

    private HttpRequest request(String method, String path, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    private static String cut(String text) {
        return text.length() > 500 ? text.substring(0, 500) + "…" : text;
    }
}
