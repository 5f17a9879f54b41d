package org.c18n.eventlog;

import org.c18n.client.Api;
import org.c18n.infra.KafkaConnection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.c18n.support.Eventually;
import org.c18n.support.PlatformTest;
import org.c18n.support.Prometheus;
import org.c18n.support.Socket;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records that no API would write, produced straight into every topic of the log: none of them
 * stops a reader (projector, search indexer, speed layer, gateway, analytics view); each one
 * the projector cannot apply is kept as a dead letter, and what users do afterwards is applied
 * and readable at once.
 */
class HostileEventsTest extends PlatformTest {
    /** Escapes what is not ASCII, so that a lone surrogate reaches the log as the JSON escape that encodes it. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final String HUGE = "x".repeat(900_000);
    private static final String NEXT_VERSION = " next version";
    /** The topics the speed layer reads as streams (it does not read c18n.notifications). */
    private static final List<String> SPEED_LAYER_SOURCES = List.of(Topics.USERS, Topics.COMMUNITIES, Topics.POSTS,
            Topics.MESSAGES, Topics.MODERATION);

    @Autowired
    KafkaConnection kafka;

    @Autowired
    JdbcClient db;

    record Sent(String topic, int partition, long offset, String what) {}

    @Test
    void noRecordStopsAReaderAndLaterWritesAreReadableAtOnce() throws Exception {
        // Real events of every kind this test's people cause, to be mutated into hostile ones.
        Api ann = signedUp("hann");
        Api bob = signedUp("hbob");
        String community = ann.post("/api/v1/communities", Map.of("name", unique("Hostile "), "tags", List.of("poison")))
                .text("id");
        bob.post("/api/v1/communities/" + community + "/join", null);
        String post = ann.post("/api/v1/communities/" + community + "/posts", Map.of("title", "Sample", "body", "Text"))
                .text("id");
        bob.post("/api/v1/posts/" + post + "/comments", Map.of("body", "A reply"));
        bob.put("/api/v1/posts/" + post + "/reaction", Map.of("kind", "like"));
        String room = ann.post("/api/v1/rooms/direct", Map.of("userId", bob.id())).text("id");
        ann.post("/api/v1/rooms/" + room + "/messages", Map.of("body", "hi", "clientMsgId", "h1"));
        bob.post("/api/v1/posts/" + post + "/reports", Map.of("reason", "spam"));
        List<JsonNode> samples = Eventually.get(() -> samples(ann, bob), list -> list.size() >= 8, Duration.ofSeconds(10));

        List<Sent> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer()) {
            for (String topic : topicsToPoison()) {
                for (String value : envelopeAttacks()) {
                    sent.add(send(producer, topic, UUID.randomUUID().toString(), value, "envelope"));
                }
                if (!topic.equals(Topics.ANALYTICS)) { // compacted: the broker itself refuses records without a key
                    sent.add(send(producer, topic, null, "{\"no\":\"key\"}", "no key"));
                }
            }
            for (JsonNode sample : samples) {
                String topic = sample.path("topic").asString();
                String type = sample.path("type").asString();
                String key = sample.path("key").asString();
                ObjectNode data = (ObjectNode) sample.path("data");
                sent.add(send(producer, topic, key, envelope(type, 1, strings(data, "nul\u0000here")), type + " with NUL"));
                sent.add(send(producer, topic, key, envelope(type, 1, strings(data, "lone \uD800 surrogate")), type + " lone surrogate"));
                sent.add(send(producer, topic, key, envelope(type, 1, firstString(data, HUGE)), type + " 900 KB string"));
                sent.add(send(producer, topic, key, envelope(type, 1, wrongTypes(data)), type + " wrong types"));
                sent.add(send(producer, topic, key, envelope(type, 1, JSON.createObjectNode()), type + " missing fields"));
                sent.add(send(producer, topic, key, envelope(type, 7, data), type + " future version"));
                sent.add(send(producer, topic, key, envelope(type, Event.VERSION + 1, data), type + NEXT_VERSION));
            }
            for (String value : List.of("{", "null", "{\"total|nothing\":1}", HUGE)) {
                sent.add(send(producer, Topics.ANALYTICS, "total|post.created", value, "analytics garbage"));
                sent.add(send(producer, Topics.ANALYTICS, "total|post.created|0", value, "analytics garbage"));
                sent.add(send(producer, Topics.ANALYTICS, "series|minute|x|y|not-a-number", value, "analytics garbage"));
            }
        }

        // Afterwards people sign up, post, chat and are notified as if nothing happened.
        long started = System.nanoTime();
        Api cat = signedUp("hcat");
        assertThat(cat.get("/api/v1/users/me").status()).isEqualTo(200);
        String word = "quokka" + UUID.randomUUID().toString().substring(0, 6);
        Api.Response created = ann.post("/api/v1/communities/" + community + "/posts",
                Map.of("title", "After the storm", "body", "A " + word + " appears"));
        assertThat(created.status()).as("read-your-writes behind the hostile records").isEqualTo(201);
        System.out.printf("hostile records: %d sent; a sign-up and a post after them took %d ms%n", sent.size(),
                (System.nanoTime() - started) / 1_000_000);

        long searchStarted = System.nanoTime();
        JsonNode found = Eventually.get(() -> ann.get("/api/v1/search?q=" + word).body(),
                body -> body.path("items").size() == 1, Duration.ofSeconds(10));
        // The indexer is not stopped by what came before (how fresh search is, SearchTest holds to a second).
        assertThat(found.path("items").size()).as("found by search: " + found).isEqualTo(1);
        System.out.printf("searchable after %d ms%n", (System.nanoTime() - searchStarted) / 1_000_000);

        Socket bobSocket = Socket.connect(bob);
        bobSocket.await("hello");
        ann.post("/api/v1/rooms/" + room + "/messages", Map.of("body", "still here", "clientMsgId", "h2"));
        assertThat(bobSocket.await("message", m -> m.path("body").asString().equals("still here"))).isNotNull();
        bobSocket.close();

        String newPost = created.text("id");
        bob.post("/api/v1/posts/" + newPost + "/comments", Map.of("body", "Welcome back"));
        JsonNode inbox = Eventually.get(() -> ann.get("/api/v1/notifications").body(),
                body -> body.path("items").valueStream().anyMatch(n -> n.path("kind").asString().equals("reply")
                        && n.path("post").path("id").asString().equals(newPost)), Duration.ofSeconds(60));
        assertThat(inbox.toString()).as("the speed layer derives the reply notification").contains(newPost);

        // What the speed layer derived from the hostile records does not break what admins read of it.
        Api admin = admin();
        for (String path : List.of("/api/v1/analytics/totals", "/api/v1/analytics/trending?limit=100",
                "/api/v1/analytics/series?window=minute", "/api/v1/moderation/queue")) {
            Api.Response answer = admin.get(path);
            assertThat(answer.status()).as(path + " " + answer).isEqualTo(200);
        }

        // Nothing was lost silently: every record the projector read is applied or kept as a dead letter.
        for (Sent record : sent) {
            if (!Topics.DOMAIN.contains(record.topic())) {
                continue;
            }
            boolean applied = db.sql("SELECT count(*) FROM events WHERE topic = ? AND partition = ? AND \"offset\" = ?")
                    .params(record.topic(), record.partition(), record.offset()).query(Long.class).single() == 1;
            boolean deadLetter = db.sql("""
                            SELECT count(*) FROM dead_letters
                            WHERE reader = 'projector' AND topic = ? AND partition = ? AND "offset" = ?""")
                    .params(record.topic(), record.partition(), record.offset()).query(Long.class).single() == 1;
            assertThat(applied || deadLetter).as("%s at %s-%d@%d applied or kept", record.what(), record.topic(),
                    record.partition(), record.offset()).isTrue();
        }
        // An event of the next envelope version, though otherwise just like one this node reads, is
        // refused rather than misread: the projector and the speed layer keep it as a dead letter.
        List<Sent> newer = sent.stream().filter(record -> record.what().endsWith(NEXT_VERSION)).toList();
        assertThat(newer).extracting(Sent::topic).contains(Topics.POSTS, Topics.MESSAGES, Topics.MODERATION);
        for (Sent record : newer) {
            assertThat(deadLetter("projector", record)).as("%s dead-lettered by the projector", record.what()).isTrue();
        }
        List<Sent> streamed = newer.stream().filter(record -> SPEED_LAYER_SOURCES.contains(record.topic())).toList();
        List<Sent> notSkipped = Eventually.get(() -> streamed.stream().filter(record -> !deadLetter("streams", record)).toList(),
                List::isEmpty, Duration.ofSeconds(30));
        assertThat(notSkipped).as("dead-lettered by the speed layer").isEmpty();

        Long nulKept = db.sql("SELECT count(*) FROM dead_letters WHERE reader = 'projector' AND position(? IN record_value) > 0")
                .param(JSON.writeValueAsString("nul\u0000here").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .query(Long.class).single();
        assertThat(nulKept).as("records with NUL kept byte for byte").isGreaterThan(0);

        String metrics = Prometheus.scrape(managementBase());
        for (String reader : List.of("projector", "search", "streams", "analytics")) {
            assertThat(metrics).as("dead letters of " + reader + " counted")
                    .containsPattern("c18n_dead_letters_total\\{[^}]*reader=\"" + reader + "\"[^}]*\\} [1-9]");
        }
        JsonNode readiness = new Api(managementBase()).get("/actuator/health/readiness").body();
        assertThat(readiness.path("status").asString()).as(readiness.toString()).isEqualTo("UP");
    }

    private boolean deadLetter(String reader, Sent record) {
        return db.sql("""
                        SELECT count(*) FROM dead_letters
                        WHERE reader = ? AND topic = ? AND partition = ? AND "offset" = ?""")
                .params(reader, record.topic(), record.partition(), record.offset()).query(Long.class).single() == 1;
    }

    private List<JsonNode> samples(Api ann, Api bob) {
        return db.sql("""
                        SELECT DISTINCT ON (type) topic, type, key, data::text FROM events
                        WHERE actor IN (?, ?) ORDER BY type, at""")
                .params(UUID.fromString(ann.id()), UUID.fromString(bob.id()))
                .<JsonNode>query((rs, n) -> {
                    ObjectNode row = JSON.createObjectNode();
                    row.put("topic", rs.getString(1));
                    row.put("type", rs.getString(2));
                    row.put("key", rs.getString(3));
                    row.set("data", JSON.readTree(rs.getString(4)));
                    return row;
                })
                .list();
    }

    private static List<String> topicsToPoison() {
        List<String> topics = new ArrayList<>(Topics.DOMAIN);
        topics.add(Topics.ANALYTICS);
        return topics;
    }

    /** Records that are not events, or envelopes that lie about themselves. */
    private static List<String> envelopeAttacks() {
        String id = UUID.randomUUID().toString();
        String at = Instant.now().toString();
        return java.util.Arrays.asList(
                "{not json",
                "",
                "null",
                "[1, 2, 3]",
                "\"a string\"",
                "\u0000\u0001\u0002",
                null, // a tombstone
                "{\"type\":\"post.created\",\"v\":1,\"at\":\"" + at + "\",\"data\":{}}",
                "{\"id\":\"" + id + "\",\"type\":\"something.unheard_of\",\"v\":1,\"at\":\"" + at + "\",\"data\":{}}",
                "{\"id\":\"not-a-uuid\",\"type\":\"post.created\",\"v\":1,\"at\":\"" + at + "\",\"data\":{}}",
                "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"post.created\",\"v\":1,\"at\":\"yesterday\",\"data\":{}}",
                "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"post.created\",\"v\":1,\"at\":\"" + at + "\",\"data\":[1]}",
                "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":" + "\"user.registered\",\"v\":\"one\",\"at\":\"" + at + "\",\"data\":{}}");
    }

    private static String envelope(String type, int version, JsonNode data) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("type", type);
        envelope.put("v", version);
        envelope.put("at", Instant.now().toString());
        envelope.put("actor", UUID.randomUUID().toString());
        envelope.put("key", "hostile");
        envelope.set("data", data);
        return JSON.writeValueAsString(envelope);
    }

    /** The data with every string (also inside arrays and objects) replaced. */
    private static JsonNode strings(JsonNode node, String replacement) {
        if (node.isString()) {
            return JsonNodeFactory.instance.stringNode(replacement);
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), strings(e.getValue(), replacement)));
            return copy;
        }
        if (node.isArray()) {
            var copy = JSON.createArrayNode();
            node.forEach(item -> copy.add(strings(item, replacement)));
            return copy;
        }
        return node;
    }

    /** The data with its first string field replaced (one huge string fits in a record, several would not). */
    private static JsonNode firstString(ObjectNode data, String replacement) {
        ObjectNode copy = data.deepCopy();
        for (var field : data.properties()) {
            if (field.getValue().isString()) {
                copy.put(field.getKey(), replacement);
                return copy;
            }
        }
        copy.put("text", replacement);
        return copy;
    }

    /** The data with every field of another JSON type than the one it should have. */
    private static JsonNode wrongTypes(ObjectNode data) {
        ObjectNode copy = JSON.createObjectNode();
        data.properties().forEach(e -> {
            JsonNode value = e.getValue();
            if (value.isString()) {
                copy.putArray(e.getKey()).add(42);
            } else if (value.isNumber() || value.isBoolean()) {
                copy.put(e.getKey(), "not a number");
            } else {
                copy.put(e.getKey(), -1);
            }
        });
        return copy;
    }

    private Sent send(KafkaProducer<String, String> producer, String topic, String key, String value, String what)
            throws Exception {
        RecordMetadata meta = producer.send(new ProducerRecord<>(topic, key, value)).get();
        return new Sent(topic, meta.partition(), meta.offset(), what);
    }

    private KafkaProducer<String, String> producer() {
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }
}
