package org.c18n.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.c18n.client.Api;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Walks every operation of the OpenAPI document, so that a new endpoint is covered without
 * touching this test, and sends hostile values in each path and query parameter and in each
 * top-level property of a JSON body, one at a time, with the other values real (ids of an
 * existing community, post, comment, room and message). Whatever comes in, the answer is never 5xx.
 */
class ParameterFuzzTest extends PlatformTest {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String NIL = "00000000-0000-0000-0000-000000000000";
    private static final String HOSTILE_MARK = "__hostile__";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final AtomicInteger unique = new AtomicInteger();

    record Sent(String method, String uri, String body, int status, String answer) {
        @Override
        public String toString() {
            return method + " " + abbreviate(uri) + (body == null ? "" : " " + abbreviate(body)) + " -> " + status + " "
                    + abbreviate(answer);
        }
    }

    @Test
    void noHostileParameterOrBodyValueAnswers5xx() throws Exception {
        Api user = signedUp("fuzz");
        Api other = signedUp("fuzzee");
        Api admin = admin();
        Map<String, String> ids = fixtures(user, other);

        JsonNode doc = new Api(base()).get("/api/docs.json").body();
        // Reads first, so the fixtures are still there while they are walked; deletions last.
        Map<Integer, List<Runnable>> byRank = new java.util.TreeMap<>();
        List<Sent> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger sent = new AtomicInteger();
        int operations = 0;

        List<Map.Entry<String, JsonNode>> paths = new ArrayList<>(doc.path("paths").properties());
        for (var path : paths) {
            for (var operation : path.getValue().properties()) {
                String method = operation.getKey().toUpperCase();
                String template = path.getKey();
                if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)
                        || template.equals("/api/v1/auth/logout")) {
                    continue;
                }
                operations++;
                String token = template.startsWith("/api/v1/admin/") ? admin.token()
                        : template.startsWith("/api/v1/auth/") ? null : user.token();
                List<Runnable> requests = byRank.computeIfAbsent(
                        method.equals("GET") ? 0 : method.equals("DELETE") ? 2 : 1, k -> new ArrayList<>());
                JsonNode op = operation.getValue();
                List<JsonNode> parameters = new ArrayList<>();
                op.path("parameters").forEach(parameters::add);
                JsonNode bodySchema = resolve(doc, op.path("requestBody").path("content").path("application/json").path("schema"));

                for (JsonNode parameter : parameters) {
                    String in = parameter.path("in").asString();
                    if (!in.equals("path") && !in.equals("query")) {
                        continue;
                    }
                    for (String hostile : hostileUriValues()) {
                        requests.add(() -> send(method, uri(template, parameters, ids, parameter, hostile),
                                bodySchema.isMissingNode() ? null : body(doc, bodySchema, ids, null, null), token,
                                sent, failures));
                    }
                }
                if (!bodySchema.isMissingNode()) {
                    String target = uri(template, parameters, ids, null, null);
                    for (var property : properties(doc, bodySchema)) {
                        for (String hostile : hostileJsonValues()) {
                            requests.add(() -> send(method, target, body(doc, bodySchema, ids, property, hostile), token,
                                    sent, failures));
                        }
                    }
                    for (String whole : List.of("", "{", "[]", "null", "\"text\"", "{\"\\u0000\":1}",
                            "[".repeat(5000) + "]".repeat(5000))) {
                        requests.add(() -> send(method, target, whole, token, sent, failures));
                    }
                }
            }
        }

        List<Runnable> ordered = byRank.values().stream().flatMap(List::stream).toList();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Runnable request : ordered) {
                done.add(pool.submit(request));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("ParameterFuzzTest: %d operations, %d requests sent in %d ms, %d answered 5xx%n",
                operations, sent.get(), millis, failures.size());
        failures.stream().limit(40).forEach(f -> System.out.println("  5xx: " + f));

        assertThat(operations).as("operations in the OpenAPI document").isGreaterThan(50);
        assertThat(sent.get()).isGreaterThan(2000);
        assertThat(failures).as("requests answered 5xx of " + sent.get()).isEmpty();
        // And whatever was accepted did not stall the log: a new account and its community are read back at once.
        Api after = signedUp("after");
        assertThat(after.post("/api/v1/communities", Map.of("name", unique("After "))).status()).isEqualTo(201);
    }

    /** A community with a post and a comment, and a direct room with a message: real ids to aim at. */
    private Map<String, String> fixtures(Api user, Api other) {
        Map<String, String> ids = new HashMap<>();
        var community = user.post("/api/v1/communities", Map.of("name", unique("Fuzz ")));
        assertThat(community.status()).as(community.toString()).isEqualTo(201);
        ids.put("communities", community.text("id"));
        var post = user.post("/api/v1/communities/" + ids.get("communities") + "/posts", Map.of("body", "A post"));
        ids.put("posts", idOf(post));
        var comment = user.post("/api/v1/posts/" + ids.get("posts") + "/comments", Map.of("body", "A comment"));
        ids.put("comments", idOf(comment));
        var group = user.post("/api/v1/communities/" + ids.get("communities") + "/usergroups", Map.of("name", unique("g")));
        ids.put("usergroups", idOf(group));
        ids.put("users", other.id());
        var room = user.post("/api/v1/rooms/direct", Map.of("userId", ids.get("users")));
        ids.put("rooms", room.text("id"));
        var message = user.post("/api/v1/rooms/" + ids.get("rooms") + "/messages", Map.of("body", "A message"));
        ids.put("messages", idOf(message));
        return ids;
    }

    private static String idOf(Api.Response created) {
        assertThat(created.status()).as(created.toString()).isBetween(200, 202);
        String id = created.text("id");
        if (id.isEmpty() && created.header("Location") != null) {
            String location = created.header("Location");
            id = location.substring(location.lastIndexOf('/') + 1);
        }
        return id;
    }

    /** The id a path variable names: by its own name, else by the collection segment before it. */
    private static String idFor(String template, String name, Map<String, String> ids) {
        switch (name) {
            case "communityId", "community": return ids.get("communities");
            case "usergroupId": return ids.get("usergroups");
            case "postId": return ids.get("posts");
            case "room": return ids.get("rooms");
            case "messageId": return ids.get("messages");
            case "userId": return ids.get("users");
            default:
        }
        String before = template.substring(0, template.indexOf("{" + name + "}"));
        String[] segments = before.split("/");
        String collection = segments.length == 0 ? "" : segments[segments.length - 1];
        return ids.getOrDefault(collection, UUID.randomUUID().toString());
    }

    private String uri(String template, List<JsonNode> parameters, Map<String, String> ids, JsonNode hostileParameter,
                       String hostile) {
        String path = template;
        StringBuilder query = new StringBuilder();
        for (JsonNode parameter : parameters) {
            String name = parameter.path("name").asString();
            boolean target = parameter == hostileParameter;
            if (parameter.path("in").asString().equals("path")) {
                path = path.replace("{" + name + "}", target ? hostile : idFor(template, name, ids));
            } else if (target) {
                query.append(query.isEmpty() ? "?" : "&").append(name).append('=').append(hostile);
            }
        }
        return base() + path + query;
    }

    private static JsonNode resolve(JsonNode doc, JsonNode schema) {
        if (schema.has("$ref")) {
            return doc.at(schema.path("$ref").asString().substring(1));
        }
        return schema;
    }

    private static List<String> properties(JsonNode doc, JsonNode schema) {
        List<String> names = new ArrayList<>();
        resolve(doc, schema).path("properties").properties().forEach(p -> names.add(p.getKey()));
        return names;
    }

    /** A plausible body for the schema, with {@code hostile} (raw JSON) in place of {@code property}. */
    private String body(JsonNode doc, JsonNode schema, Map<String, String> ids, String property, String hostile) {
        ObjectNode body = JSON.createObjectNode();
        for (var p : resolve(doc, schema).path("properties").properties()) {
            String name = p.getKey();
            if (name.equals(property)) {
                body.put(name, HOSTILE_MARK);
                continue;
            }
            JsonNode s = resolve(doc, p.getValue());
            String type = s.path("type").asString();
            switch (type) {
                case "integer", "number" -> body.put(name, 1);
                case "boolean" -> body.put(name, false);
                case "array" -> body.putArray(name);
                case "object" -> body.putObject(name);
                default -> body.put(name, plausibleText(name, s, ids));
            }
        }
        String text = JSON.writeValueAsString(body);
        return property == null ? text : text.replace("\"" + HOSTILE_MARK + "\"", hostile);
    }

    private String plausibleText(String name, JsonNode schema, Map<String, String> ids) {
        if (schema.has("enum")) {
            return schema.path("enum").get(0).asString();
        }
        String lower = name.toLowerCase();
        if ("uuid".equals(schema.path("format").asString()) || lower.endsWith("id")) {
            for (String collection : List.of("communit", "usergroup", "post", "comment", "room", "message", "user")) {
                if (lower.startsWith(collection)) {
                    return ids.entrySet().stream().filter(e -> e.getKey().startsWith(collection))
                            .map(Map.Entry::getValue).findFirst().orElse(NIL);
                }
            }
            return UUID.randomUUID().toString();
        }
        if ("date-time".equals(schema.path("format").asString())) {
            return "2024-01-01T00:00:00Z";
        }
        return switch (lower) {
            case "username" -> "fz" + unique.incrementAndGet() + UUID.randomUUID().toString().substring(0, 6);
            case "email" -> "fz" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
            case "password" -> "a long enough password " + unique.incrementAndGet();
            case "name" -> "Fuzz " + UUID.randomUUID().toString().substring(0, 8);
            default -> "fuzz text";
        };
    }

    private void send(String method, String uri, String body, String token, AtomicInteger sent, List<Sent> failures) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body))
                    .header("Accept", "application/json");
        } catch (IllegalArgumentException notAUri) {
            return; // the client itself will not send it
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            sent.incrementAndGet();
            if (response.statusCode() >= 500) {
                failures.add(new Sent(method, uri, body, response.statusCode(), response.body()));
            }
        } catch (java.io.IOException e) {
            sent.incrementAndGet();
            failures.add(new Sent(method, uri, body, 0, "connection failed: " + e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Values for path and query parameters, already percent-encoded (some deliberately malformed). */
    static List<String> hostileUriValues() {
        String uuid = UUID.randomUUID().toString();
        List<String> plain = List.of("-1", "0", "-2147483649", "2147483648", "99999999999999999999", "1e309", "NaN",
                "-0", "0x10", "-999999999-01-01", "+999999999-12-31", "+300000-01-01T00:00:00Z", "300000-01-01", "-999999999-01-01T00:00:00Z",
                "2024-02-30", "9999-12-31T23:59:59.999999999Z", "!!!", "", " ", "null", "[]", "*",
                "title:(", "\"unbalanced", "a AND OR NOT", "*:*", "\\", "/", "..", "🙂", "a".repeat(5000), uuid, NIL,
                "\u0000", "a\u0001b", "\uFFFE", "\uFDD0", "\t\r\n");
        List<String> cursors = List.of("-1", "2147483648", "-999999999", "99999999999999999999",
                "+300000-01-01T00:00:00Z|" + uuid, "-999999999-01-01T00:00:00Z|" + uuid, "300000-01-01T00:00:00Z",
                "x|y", "a|b|c|d|e", "|", "\u0000", "zz|" + uuid, "2024-01-01T00:00:00Z|not-a-uuid", "1|2", "1|" + uuid,
                "-1|" + uuid, "99999999999999999999|" + uuid, "+300000-01-01T00:00:00Z/" + uuid,
                "-999999999-01-01T00:00:00Z/" + uuid);
        List<String> values = new ArrayList<>();
        plain.forEach(v -> values.add(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        cursors.forEach(c -> values.add(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(c.getBytes(StandardCharsets.UTF_8))));
        values.addAll(List.of("%ED%A0%80", "%ED%BF%BF", "%C0%80", "%FF", "%", "%zz", "%00", "a%00b"));
        return values;
    }

    /** Values for a JSON property, as raw JSON text. */
    static List<String> hostileJsonValues() {
        return List.of("\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"x\\udfff\"", "\"\\ufffe\"", "\"\\u0007\"",
                "\"" + "a".repeat(200_000) + "\"", "\"\"", "\" \"", "-1", "0", "-999999999", "99999999999999999999999",
                "1e400", "-1.5", "true", "null", "[]", "{}", "[\"\\u0000\"]", "{\"a\":\"\\u0000\"}", "[null]",
                "\"-999999999-01-01T00:00:00Z\"", "\"+300000-01-01T00:00:00Z\"", "\"not-a-uuid\"", "\"" + NIL + "\"",
                "\"🙂\"", "[" + "1,".repeat(10_000) + "1]");
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
