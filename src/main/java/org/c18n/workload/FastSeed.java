package org.c18n.workload;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.c18n.client.Api;
import org.c18n.community.CommunityEvents;
import org.c18n.infra.EmbeddedKafkaBroker;
import org.c18n.eventlog.Event;
import org.c18n.infra.KafkaConnection;
import org.c18n.eventlog.Topics;
import org.c18n.eventlog.Uuids;
import org.c18n.identity.UserEvents;
import org.c18n.post.PostEvents;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * {@code seed --fast}: the same kind of people, communities and text posts, written straight into
 * the log as the events the API would write (same envelopes, keys and payloads), batched and
 * compressed, for millions of posts. The platform's projector, search indexer and speed layer then
 * take them in like any other events; when the platform answers at {@code --url}, the run waits
 * until the last post can be read through the API and reports how fast the platform caught up.
 */
final class FastSeed {
    private final SeedOptions options;
    private final PrintStream out;
    private final FakeContent fake;
    private final KafkaProducer<String, String> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private long events;

    private FastSeed(SeedOptions options, PrintStream out, KafkaConnection kafka) {
        this.options = options;
        this.out = out;
        this.fake = new FakeContent(options.seed());
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "c18n-fast-seed");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        this.producer = new KafkaProducer<>(props);
    }

    static int run(SeedOptions options, PrintStream out) {
        String bootstrap = options.bootstrap();
        // The embedded broker's login (or an external cluster's client settings) comes from this file.
        String propertiesFile = options.kafkaProperties();
        if (bootstrap == null || bootstrap.isBlank()) {
            Path dir = Path.of(System.getenv().getOrDefault("C18N_DATA_DIR", "./data"), "kafka");
            Path address = EmbeddedKafkaBroker.addressFile(dir);
            if (!Files.isRegularFile(address)) {
                System.err.println("seed --fast: no broker named (--bootstrap or C18N_KAFKA_BOOTSTRAP_SERVERS) and no embedded one"
                        + " has written " + address + "; start the platform first");
                return 3;
            }
            try {
                bootstrap = Files.readString(address).strip();
            } catch (java.io.IOException e) {
                System.err.println("seed --fast: cannot read " + address + ": " + e.getMessage());
                return 3;
            }
            if (propertiesFile == null || propertiesFile.isBlank()) {
                propertiesFile = EmbeddedKafkaBroker.clientPropertiesFile(dir).toString();
            }
        }
        Map<String, String> security = Map.of();
        if (propertiesFile != null && !propertiesFile.isBlank()) {
            try {
                security = KafkaConnection.readProperties(Path.of(propertiesFile));
            } catch (java.io.IOException e) {
                System.err.println("seed --fast: cannot read the Kafka client settings " + propertiesFile + ": " + e.getMessage());
                return 3;
            }
        }
        FastSeed seed = new FastSeed(options, out, new KafkaConnection(bootstrap, 1, (short) 1, security));
        try {
            return seed.write();
        } finally {
            seed.producer.close();
        }
    }

    private record Member(UUID id, String username, List<String> interests) {}

    private record Place(UUID id, String tag) {}

    private int write() {
        out.printf("Writing %,d users, %,d communities and %,d posts straight into the log (seed %d)%n", options.users(),
                options.communities(), options.posts(), options.seed());
        long started = System.nanoTime();
        String hash = new BCryptPasswordEncoder().encode(options.password());
        String runTag = Long.toString(Math.abs(options.seed()) % 46656, 36);

        List<Member> members = new ArrayList<>();
        try (Progress progress = new Progress("users", options.users(), out)) {
            for (int i = 0; i < options.users(); i++) {
                var person = fake.person("-" + runTag + Integer.toString(i, 36));
                UUID id = Uuids.v7();
                append(Topics.USERS, UserEvents.REGISTERED, id, UserEvents.usernameClaim(person.username()),
                        new UserEvents.Registered(id, person.username(), person.email(), hash, person.displayName(), "user",
                                null, null), progress);
                append(Topics.USERS, UserEvents.PROFILE_UPDATED, id, id.toString(),
                        new UserEvents.ProfileUpdated(id, null, person.bio(), person.interests()), null);
                members.add(new Member(id, person.username(), person.interests()));
            }
        }
        List<Place> places = new ArrayList<>();
        List<List<Member>> placeMembers = new ArrayList<>();
        try (Progress progress = new Progress("communities", options.communities(), out)) {
            for (int i = 0; i < options.communities() && !members.isEmpty(); i++) {
                Member owner = fake.pick(members);
                var topic = FakeContent.topic(fake.pick(owner.interests()));
                var community = fake.community(topic, runTag + "-" + (i + 1));
                UUID id = Uuids.v7();
                append(Topics.COMMUNITIES, CommunityEvents.CREATED, owner.id(), "community-name:" + community.name().toLowerCase(),
                        new CommunityEvents.Created(id, community.name(), community.description(), community.tags(), "public",
                                "open", owner.id(), false), progress);
                places.add(new Place(id, topic.tag()));
                placeMembers.add(new ArrayList<>(List.of(owner)));
            }
        }
        try (Progress progress = new Progress("memberships", (long) members.size() * 3, out)) {
            for (Member member : members) {
                for (int j = 0; j < 3 && !places.isEmpty(); j++) {
                    int at = fake.random().nextInt(places.size());
                    if (placeMembers.get(at).contains(member)) {
                        progress.succeeded();
                        continue;
                    }
                    placeMembers.get(at).add(member);
                    append(Topics.COMMUNITIES, CommunityEvents.MEMBER_JOINED, member.id(), places.get(at).id().toString(),
                            new CommunityEvents.MemberJoined(places.get(at).id(), member.id()), progress);
                }
            }
        }
        UUID last = null;
        try (Progress progress = new Progress("posts", options.posts(), out)) {
            for (long i = 0; i < options.posts() && !places.isEmpty(); i++) {
                int at = fake.random().nextInt(places.size());
                Member author = fake.pick(placeMembers.get(at));
                var post = fake.post(FakeContent.topic(places.get(at).tag()));
                UUID id = Uuids.v7();
                append(Topics.POSTS, PostEvents.CREATED, author.id(), id.toString(), new PostEvents.Created(id, places.get(at).id(),
                        null, author.id(), post.title(), post.body(), post.tags(), List.of(), false), progress);
                last = id;
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (failure.get() != null) {
            System.err.println("seed --fast: the log refused an event: " + failure.get().getMessage());
            return 1;
        }
        out.printf("%nWrote %,d events in %.1f s: %,.0f events/s (%,d posts, %,.0f posts/s)%n", events, seconds,
                events / seconds, options.posts(), options.posts() / seconds);
        if (last != null && !members.isEmpty()) {
            awaitProjection(members.get(0), last, started);
        }
        out.printf("Seed %d; every generated user's password is the one given with --password (default %s).%n",
                options.seed(), SeedOptions.DEFAULT_PASSWORD);
        return 0;
    }

    /** Waits (while the platform answers) until the last post can be read, and says how long the platform took. */
    private void awaitProjection(Member someone, UUID lastPost, long started) {
        Api api = new Api(Api.newHttp(), options.url().toString());
        long deadline = System.nanoTime() + 30L * 60 * 1_000_000_000L;
        out.printf("Waiting for %s to apply them (the last post readable through the API)...%n", options.url());
        long lastReport = 0;
        while (System.nanoTime() < deadline) {
            Api.Response reply = api.token() == null ? api.staySignedIn(someone.username(), options.password())
                    : api.get("/api/v1/posts/" + lastPost);
            if (reply.status() == 0) {
                out.println("The platform does not answer at " + options.url() + "; the events are in the log and will be applied when it runs.");
                return;
            }
            if (api.token() != null && reply.ok() && reply.body().path("id").asString().equals(lastPost.toString())) {
                double seconds = (System.nanoTime() - started) / 1e9;
                out.printf("Applied: all %,d events readable %.1f s after the first was written (%,.0f events/s end to end)%n",
                        events, seconds, events / seconds);
                return;
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                out.printf("  ... still applying (%.0f s)%n", (lastReport - started) / 1e9);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        out.println("Gave up waiting after 30 minutes; the events are in the log.");
    }

    private void append(String topic, String type, UUID actor, String key, Object data, Progress progress) {
        Event event = new Event(Uuids.v7(), type, 1, Instant.now().truncatedTo(ChronoUnit.MICROS), actor, key,
                Api.JSON.valueToTree(data));
        producer.send(new ProducerRecord<>(topic, null, event.at().toEpochMilli(), key, Api.JSON.writeValueAsString(event)),
                (meta, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
        events++;
        if (progress != null) {
            progress.succeeded();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the log refused an event", failure.get());
        }
    }
}
