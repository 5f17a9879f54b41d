package org.c18n.eventlog;

import org.c18n.infra.KafkaConnection;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Appends events to the log: idempotent producer, {@code acks=all}, keyed so that everything
 * about one aggregate is in one partition, in order.
 */
@Component
public class EventLog implements AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private final ObjectMapper json;
    private final PersonKeys keys;

    public EventLog(KafkaConnection kafka, ObjectMapper json, PersonKeys keys) throws Exception {
        this.json = json;
        this.keys = keys;
        createTopics(kafka);
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "c18n-writer");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Where an appended event landed; the projector reports progress in the same terms. */
    public record Appended(Event event, String topic, int partition, long offset) {}

    public Event event(String type, UUID actor, String key, JsonNode data) {
        return new Event(Uuids.v7(), type, 1, Instant.now().truncatedTo(ChronoUnit.MICROS), actor, key, data);
    }

    /** Appends and waits for the broker's acknowledgement (all in-sync replicas). */
    public Appended append(String topic, String type, UUID actor, String key, Object data) {
        Event event = event(type, actor, key, json.valueToTree(data));
        return append(topic, event);
    }

    /**
     * Appends without waiting: the future completes with the broker's acknowledgement. Records
     * of one key keep their order (idempotent producer), so a sender can pipeline its writes.
     */
    public java.util.concurrent.CompletableFuture<Appended> appendAsync(String topic, String type, UUID actor,
                                                                       String key, Object data) {
        Event event = event(type, actor, key, json.valueToTree(data));
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, null,
                event.at().toEpochMilli(), event.key(), json.writeValueAsString(sealedFor(topic, event)));
        var appended = new java.util.concurrent.CompletableFuture<Appended>();
        producer.send(record, (meta, error) -> {
            if (error != null) {
                appended.completeExceptionally(new EventLogUnavailableException(error));
            } else {
                appended.complete(new Appended(event, meta.topic(), meta.partition(), meta.offset()));
            }
        });
        return appended;
    }

    public Appended append(String topic, Event event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, null,
                event.at().toEpochMilli(), event.key(), json.writeValueAsString(sealedFor(topic, event)));
        try {
            RecordMetadata meta = producer.send(record).get(35, TimeUnit.SECONDS);
            return new Appended(event, meta.topic(), meta.partition(), meta.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventLogUnavailableException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new EventLogUnavailableException(e);
        }
    }

    /**
     * The event as it is written: on topic c18n.users, whatever its type, its data sealed with the
     * key of the person it is about (its {@code userId}, else its key, else its actor), so that
     * erasing them leaves no readable copy in the log.
     */
    private Event sealedFor(String topic, Event event) {
        if (!topic.equals(Topics.USERS)) {
            return event;
        }
        UUID person = uuid(event.data().path("userId").asString(null));
        if (person == null) {
            person = uuid(event.key());
        }
        if (person == null) {
            person = event.actor();
        }
        if (person == null) {
            throw new IllegalArgumentException("an event on " + topic + " must name the person it is about");
        }
        String box = keys.seal(person, event.id(), event.type(), json.writeValueAsBytes(event.data()));
        var logged = json.createObjectNode().put("sealedFor", person.toString()).put("box", box);
        return new Event(event.id(), event.type(), Event.SEALED, event.at(), event.actor(), event.key(), logged);
    }

    private static UUID uuid(String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void createTopics(KafkaConnection kafka) throws Exception {
        try (Admin admin = kafka.admin(Map.of())) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : Topics.DOMAIN) {
                topics.add(new NewTopic(name, kafka.partitions(), kafka.replicationFactor())
                        .configs(Map.of("retention.ms", "-1", "min.insync.replicas",
                                String.valueOf(Math.min(2, kafka.replicationFactor())))));
            }
            for (String derived : List.of(Topics.ANALYTICS, Topics.COMMUNITY_SETTINGS)) {
                topics.add(new NewTopic(derived, kafka.partitions(), kafka.replicationFactor())
                        .configs(Map.of("cleanup.policy", "compact", "min.insync.replicas",
                                String.valueOf(Math.min(2, kafka.replicationFactor())))));
            }
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
