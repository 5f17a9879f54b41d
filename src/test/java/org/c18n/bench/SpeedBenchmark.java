package org.c18n.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.c18n.C18nApplication;
import org.c18n.client.Api;
import org.c18n.eventlog.Event;
import org.c18n.infra.KafkaConnection;
import org.c18n.eventlog.Topics;
import org.c18n.eventlog.Uuids;
import org.c18n.post.PostEvents;
import org.c18n.support.Accounts;
import org.c18n.support.Socket;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The speed layer's freshness (bench/README.md): events written into the log at R per second
 * (posts, and every tenth a reply to one user's post), and for each the time from Kafka's
 * acknowledgement until its effect reaches a socket: the admin dashboard's post count (the k-th
 * acknowledged post is visible when a pushed total reaches k) and the reply's notification.
 */
public final class SpeedBenchmark {
    public static void main(String[] args) throws Exception {
        List<Integer> rates = Arrays.stream(System.getProperty("bench.rate", "2000").split(",")).map(Integer::parseInt).toList();
        int seconds = Integer.parseInt(System.getProperty("bench.seconds", "20"));
        int warmUp = Integer.parseInt(System.getProperty("bench.warmup", "120"));
        Path dataDir = Files.createTempDirectory("c18n-speed-bench");
        int port = org.c18n.support.ChildPlatform.freePort();
        String base = "http://localhost:" + port;
        System.out.println("c18n speed layer benchmark (embedded default, in one JVM, "
                + Runtime.getRuntime().availableProcessors() + " cores, " + rates + " events/s for " + seconds + " s each)");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(C18nApplication.class).run(
                "--server.port=" + port, "--c18n.data-dir=" + dataDir, "--c18n.admin.username=admin",
                "--c18n.admin.password=bench-admin-password", "--logging.level.root=WARN")) {
            KafkaConnection bootstrap = app.getBean(KafkaConnection.class);
            Api admin = new Api(base).login("admin", "bench-admin-password");
            Api ann = Accounts.signedUp(base, "speedann" + UUID.randomUUID().toString().substring(0, 6));
            Api bob = Accounts.signedUp(base, "speedbob" + UUID.randomUUID().toString().substring(0, 6));
            String community = ann.post("/api/v1/communities", Map.of("name", "Speed")).text("id");
            String post = ann.post("/api/v1/communities/" + community + "/posts", Map.of("body", "Reply here")).text("id");
            while (AnalyticsTotals.of(admin).path("posts.text").asLong(0) < 1) {
                Thread.sleep(200); // the streams are up and counting
            }
            warmUp(admin, bootstrap, ann, bob, community, post, java.util.Collections.max(rates), warmUp);
            for (int rate : rates) {
                var registry = app.getBean(io.micrometer.core.instrument.MeterRegistry.class);
                var gateWait = registry.get("c18n.streams.gate.wait").timer();
                var lookups = registry.get("c18n.projection.verdict.lookups").counter();
                long waitsBefore = gateWait.count();
                double waitedBefore = gateWait.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
                double lookupsBefore = lookups.count();
                measure(bootstrap, base, admin, ann, bob, community, post, rate, seconds);
                long waits = gateWait.count() - waitsBefore;
                System.out.printf("gate (speed layer waits for the projector): %,d records, mean wait %.1f ms, max %.0f ms;"
                                + " %,.0f verdict queries%n", waits,
                        (gateWait.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS) - waitedBefore) / Math.max(1, waits),
                        gateWait.max(java.util.concurrent.TimeUnit.MILLISECONDS), lookups.count() - lookupsBefore);
            }
        }
        org.springframework.util.FileSystemUtils.deleteRecursively(dataDir);
        System.exit(0);
    }

    /**
     * The same load, not measured, until the JIT has compiled what it runs (its compilers take most of
     * a core for the first minutes after a start); then waits until the dashboard has counted all of it,
     * so the first measured rate does not start behind a backlog.
     */
    static void warmUp(Api admin, KafkaConnection bootstrap, Api ann, Api bob, String community, String post, int rate,
                       int seconds) throws Exception {
        System.out.printf("warm-up: %d s at %,d events/s (not measured)%n", seconds, rate);
        long counted = AnalyticsTotals.of(admin).path("posts.text").asLong(0);
        java.util.concurrent.atomic.AtomicLong posts = new java.util.concurrent.atomic.AtomicLong();
        produce(bootstrap, UUID.fromString(ann.id()), UUID.fromString(bob.id()), community, post, rate, seconds,
                (reply, at, nanos) -> {
                    if (!reply) {
                        posts.incrementAndGet();
                    }
                });
        long started = System.nanoTime();
        while (AnalyticsTotals.of(admin).path("posts.text").asLong(0) < counted + posts.get()) {
            if (System.nanoTime() - started > 300_000_000_000L) {
                throw new IllegalStateException("the warm-up's posts were not all counted within 5 minutes");
            }
            Thread.sleep(200);
        }
        System.out.printf("caught up %.1f s after the warm-up's last event%n", (System.nanoTime() - started) / 1e9);
    }

    /** One run at {@code rate} events/s: the freshness of both paths, and what the log took in per event. */
    static void measure(KafkaConnection bootstrap, String base, Api admin, Api ann, Api bob, String community, String post,
                        int rate, int seconds) throws Exception {
        {
            long baseline = AnalyticsTotals.of(admin).path("posts.text").asLong(0);

            Socket dashboard = Socket.connect(admin);
            dashboard.await("hello");
            dashboard.send(Map.of("type", "subscribe", "feed", "analytics"));
            dashboard.await("subscribed");
            Socket inbox = Socket.connect(ann);
            inbox.await("hello");

            // k-th acknowledged post → ack time; reply event time → ack time.
            Map<org.apache.kafka.common.TopicPartition, Long> entriesBefore = LogEntries.ends(bootstrap);
            List<Long> postAcks = Collections.synchronizedList(new ArrayList<>());
            Map<Instant, Long> replyAcks = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<long[]> totalsSeen = new ConcurrentLinkedQueue<>(); // [count, arrival]
            ConcurrentLinkedQueue<Object[]> notified = new ConcurrentLinkedQueue<>(); // [at, arrival]
            long listenUntil = System.nanoTime() + (seconds + 10) * 1_000_000_000L;
            Thread dashboardListener = new Thread(() -> {
                while (System.nanoTime() < listenUntil) {
                    for (JsonNode frame : dashboard.collect("analytics", java.time.Duration.ofMillis(2))) {
                        if (frame.path("totals").has("posts.text")) {
                            totalsSeen.add(new long[] {frame.path("totals").path("posts.text").asLong() - baseline, System.nanoTime()});
                        }
                    }
                }
            });
            Thread inboxListener = new Thread(() -> {
                while (System.nanoTime() < listenUntil) {
                    for (JsonNode frame : inbox.collect("notification", java.time.Duration.ofMillis(2))) {
                        notified.add(new Object[] {Instant.parse(frame.path("at").asString()), System.nanoTime()});
                    }
                }
            });
            dashboardListener.start();
            inboxListener.start();

            long sent = produce(bootstrap, UUID.fromString(ann.id()), UUID.fromString(bob.id()), community, post, rate, seconds,
                    (reply, at, nanos) -> {
                        if (reply) {
                            replyAcks.put(at, nanos);
                        } else {
                            postAcks.add(nanos);
                        }
                    });
            dashboardListener.join();
            inboxListener.join();

            List<Long> acks = new ArrayList<>(postAcks);
            Collections.sort(acks);
            List<long[]> seen = new ArrayList<>(totalsSeen);
            List<Long> dashboardDelays = new ArrayList<>();
            int k = 0;
            for (long[] frame : seen) {
                while (k < acks.size() && k < frame[0]) {
                    dashboardDelays.add(Math.max(0, frame[1] - acks.get(k)));
                    k++;
                }
            }
            List<Long> notificationDelays = new ArrayList<>();
            for (Object[] n : notified) {
                Long ack = replyAcks.get((Instant) n[0]);
                if (ack != null) {
                    notificationDelays.add(Math.max(0, (Long) n[1] - ack));
                }
            }
            Collections.sort(dashboardDelays);
            Collections.sort(notificationDelays);
            System.out.printf("%,d events sent (%,.0f/s): %,d posts, %,d replies%n", sent, sent / (double) seconds,
                    acks.size(), replyAcks.size());
            System.out.printf("dashboard count pushed over the socket: %,d of %,d posts seen, p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                    dashboardDelays.size(), acks.size(), SearchBenchmark.percentile(dashboardDelays, 0.5),
                    SearchBenchmark.percentile(dashboardDelays, 0.99),
                    dashboardDelays.isEmpty() ? 0 : dashboardDelays.get(dashboardDelays.size() - 1) / 1e6);
            System.out.printf("notification delivered over the socket: %,d of %,d replies, p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                    notificationDelays.size(), replyAcks.size(), SearchBenchmark.percentile(notificationDelays, 0.5),
                    SearchBenchmark.percentile(notificationDelays, 0.99),
                    notificationDelays.isEmpty() ? 0 : notificationDelays.get(notificationDelays.size() - 1) / 1e6);
            dashboard.close();
            inbox.close();
            Map<String, Long> entries = LogEntries.since(bootstrap, entriesBefore);
            long events = entries.getOrDefault("input (domain topics)", 0L);
            System.out.printf("log entries written per input event (records and transaction markers), %,d input entries:%n", events);
            entries.forEach((kind, count) -> System.out.printf("  %-28s %6.2f%n", kind, count / (double) Math.max(1, events)));
        }
    }

    /** What happens when Kafka acknowledges an event: a reply (its time) or a post. */
    interface Acked {
        void acked(boolean reply, Instant at, long nanos);
    }

    /**
     * Writes events into the log at {@code rate} per second for {@code seconds}: new posts by ann, every
     * tenth a reply by bob to ann's post. Returns how many were sent.
     */
    static long produce(KafkaConnection bootstrap, UUID annId, UUID bobId, String community, String post, int rate,
                        int seconds, Acked acked) throws Exception {
        Properties props = bootstrap.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        var json = PostBenchmark.json;
        long sent = 0;
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long tick = System.nanoTime();
            int perTick = Math.max(1, rate / 100);
            while (System.nanoTime() < end) {
                for (int k = 0; k < perTick; k++, sent++) {
                    Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS).plusNanos(sent % 1000 * 1000);
                    ProducerRecord<String, String> record;
                    boolean reply = sent % 10 == 0;
                    if (reply) {
                        var data = new PostEvents.CommentCreated(Uuids.v7(), UUID.fromString(post), null, bobId, "reply " + sent);
                        Event event = new Event(Uuids.v7(), PostEvents.COMMENT_CREATED, 1, at, bobId, post, json.valueToTree(data));
                        record = new ProducerRecord<>(Topics.POSTS, null, at.toEpochMilli(), post, json.writeValueAsString(event));
                    } else {
                        UUID id = Uuids.v7();
                        var data = new PostEvents.Created(id, UUID.fromString(community), null, annId, null, "load " + sent,
                                List.of(), List.of(), false);
                        Event event = new Event(Uuids.v7(), PostEvents.CREATED, 1, at, annId, id.toString(), json.valueToTree(data));
                        record = new ProducerRecord<>(Topics.POSTS, null, at.toEpochMilli(), id.toString(), json.writeValueAsString(event));
                    }
                    producer.send(record, (meta, error) -> {
                        if (error == null) {
                            acked.acked(reply, at, System.nanoTime());
                        }
                    });
                }
                tick += 10_000_000L;
                long sleep = tick - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        }
        return sent;
    }

    /**
     * What the log took in, by kind of topic: the growth of every partition's end offset, which
     * counts records and transaction markers alike (each commit writes a marker into every
     * partition its transaction wrote to).
     */
    static final class LogEntries {
        static Map<org.apache.kafka.common.TopicPartition, Long> ends(KafkaConnection kafka) throws Exception {
            try (var admin = kafka.admin(Map.of())) {
                var partitions = admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get().values().stream()
                        .flatMap(topic -> topic.partitions().stream()
                                .map(p -> new org.apache.kafka.common.TopicPartition(topic.name(), p.partition())))
                        .collect(java.util.stream.Collectors.toMap(tp -> tp, tp -> org.apache.kafka.clients.admin.OffsetSpec.latest()));
                Map<org.apache.kafka.common.TopicPartition, Long> ends = new java.util.HashMap<>();
                admin.listOffsets(partitions).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
                return ends;
            }
        }

        static Map<String, Long> since(KafkaConnection kafka, Map<org.apache.kafka.common.TopicPartition, Long> before) throws Exception {
            Map<String, Long> byKind = new java.util.TreeMap<>();
            ends(kafka).forEach((tp, end) -> byKind.merge(kind(tp.topic()), end - before.getOrDefault(tp, 0L), Long::sum));
            return byKind;
        }

        static String kind(String topic) {
            if (topic.endsWith("-repartition")) {
                return "repartition";
            }
            if (topic.endsWith("-changelog")) {
                return "changelog";
            }
            if (topic.equals(Topics.POSTS) || topic.equals(Topics.USERS) || topic.equals(Topics.COMMUNITIES)
                    || topic.equals(Topics.MESSAGES) || topic.equals(Topics.MEDIA)) {
                return "input (domain topics)";
            }
            if (topic.startsWith("__")) {
                return "broker internal (" + topic + ")";
            }
            return "output " + topic;
        }
    }

    /** The totals object of the analytics API. */
    static final class AnalyticsTotals {
        static JsonNode of(Api admin) {
            return admin.get("/api/v1/analytics/totals").body().path("totals");
        }
    }
}
