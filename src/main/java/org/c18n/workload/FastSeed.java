package org.c18n.workload;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;
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
import tools.jackson.databind.JsonNode;

/**
 * {@code seed --fast}: the same kind of people, communities and text posts, written straight into
 * the log as the events the API would write (same envelopes, keys and payloads), batched and
 * compressed, for millions of posts. The platform's projector, search indexer and speed layer then
 * take them in like any other events. The platform must answer at {@code --url}: each kind is
 * written once it has applied the kinds that kind depends on, and the run waits until the last post
 * can be read through the API and reports how fast the platform caught up.
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

    private record Member(UUID id, FakeContent.Person person) {
        String username() {
            return person.username();
        }
    }

    private record Place(UUID id, String tag) {}

    /**
     * Each kind is written once the platform has applied what it depends on: the log's topics and partitions are read
     * independently, and a membership applied before its community (or a profile before its account) would be refused.
     */
    private int write() {
        Api api = new Api(Api.newHttp(), options.url().toString());
        if (api.get("/api/v1/auth/providers").status() == 0) {
            System.err.println("seed --fast: the platform does not answer at " + options.url()
                    + "; start it first (each kind of event is written once the platform has applied those it depends on)");
            return 3;
        }
        out.printf("Writing %,d users, %,d communities and %,d posts straight into the log (seed %d)%n", options.users(),
                options.communities(), options.posts(), options.seed());
        long started = System.nanoTime();
        String hash = new BCryptPasswordEncoder().encode(options.password());
        String runTag = Long.toString(Math.abs(options.seed()) % 46656, 36);

        List<Member> members = new ArrayList<>();
        for (int i = 0; i < options.users(); i++) {
            members.add(new Member(Uuids.v7(), fake.person("-" + runTag + Integer.toString(i, 36))));
        }
        if (!members.isEmpty() && api.staySignedIn(members.get(0).username(), options.password()).ok()) {
            System.err.println("seed --fast: " + members.get(0).username() + " already exists: this --seed ran before; choose another");
            return 2;
        }
        try (Progress progress = new Progress("users", options.users(), out)) {
            for (Member member : members) {
                var person = member.person();
                UUID id = member.id();
                append(Topics.USERS, UserEvents.REGISTERED, id, UserEvents.usernameClaim(person.username()),
                        new UserEvents.Registered(id, person.username(), person.email(), hash, person.displayName(), "user",
                                null, null), progress);
            }
        }
        if (members.isEmpty()
                || !applied("users", members.get(0), api, readable(members.stream().map(m -> "/api/v1/users/" + m.id())))) {
            return finished(started, members.isEmpty() ? 0 : 1);
        }
        for (Member member : members) {
            append(Topics.USERS, UserEvents.PROFILE_UPDATED, member.id(), member.id().toString(),
                    new UserEvents.ProfileUpdated(member.id(), null, member.person().bio(), member.person().interests()), null);
        }
        List<Place> places = new ArrayList<>();
        List<List<Member>> placeMembers = new ArrayList<>();
        try (Progress progress = new Progress("communities", options.communities(), out)) {
            for (int i = 0; i < options.communities(); i++) {
                Member owner = fake.pick(members);
                var topic = FakeContent.topic(fake.pick(owner.person().interests()));
                var community = fake.community(topic, runTag + "-" + (i + 1));
                UUID id = Uuids.v7();
                append(Topics.COMMUNITIES, CommunityEvents.CREATED, owner.id(), "community-name:" + community.name().toLowerCase(),
                        new CommunityEvents.Created(id, community.name(), community.description(), community.tags(), "public",
                                "open", owner.id(), false), progress);
                places.add(new Place(id, topic.tag()));
                placeMembers.add(new ArrayList<>(List.of(owner)));
            }
        }
        if (places.isEmpty() || !applied("communities", members.get(0), api,
                readable(places.stream().map(p -> "/api/v1/communities/" + p.id())))) {
            return finished(started, places.isEmpty() ? 0 : 1);
        }
        try (Progress progress = new Progress("memberships", (long) members.size() * 3, out)) {
            for (Member member : members) {
                for (int j = 0; j < 3; j++) {
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
        Map<String, Predicate<JsonNode>> joined = new LinkedHashMap<>();
        for (int i = 0; i < places.size(); i++) {
            int expected = placeMembers.get(i).size();
            joined.put("/api/v1/communities/" + places.get(i).id(), community -> community.path("memberCount").asInt() >= expected);
        }
        if (!applied("memberships", members.get(0), api, joined)) {
            return finished(started, 1);
        }
        UUID last = null;
        try (Progress progress = new Progress("posts", options.posts(), out)) {
            for (long i = 0; i < options.posts(); i++) {
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
        if (last != null && !applied("posts", members.get(0), api, readable(Stream.of("/api/v1/posts/" + last)))) {
            return finished(started, 1);
        }
        return finished(started, 0);
    }

    private int finished(long started, int exit) {
        if (exit == 0) {
            double seconds = (System.nanoTime() - started) / 1e9;
            out.printf("Applied: all %,d events readable %.1f s after the first was written (%,.0f events/s end to end)%n",
                    events, seconds, events / seconds);
        }
        out.printf("Seed %d; every generated user's password is the one given with --password (default %s).%n",
                options.seed(), SeedOptions.DEFAULT_PASSWORD);
        return exit;
    }

    private static Map<String, Predicate<JsonNode>> readable(Stream<String> paths) {
        Map<String, Predicate<JsonNode>> checks = new LinkedHashMap<>();
        paths.forEach(path -> checks.put(path, body -> true));
        return checks;
    }

    /**
     * Flushes what was written, then waits until each path answers, as {@code someone} reads it, what its check accepts
     * (30 minutes at most), saying how far it is every 10 s; false when the platform stopped answering, the log refused
     * an event, or the time ran out.
     */
    private boolean applied(String what, Member someone, Api api, Map<String, Predicate<JsonNode>> checks) {
        List<String> paths = new ArrayList<>(checks.keySet());
        producer.flush();
        if (failure.get() != null) {
            System.err.println("seed --fast: the log refused an event: " + failure.get().getMessage());
            return false;
        }
        long began = System.nanoTime();
        long deadline = began + 30L * 60 * 1_000_000_000L;
        long lastReport = began;
        long pause = 200;
        int next = 0;
        while (next < paths.size() && System.nanoTime() < deadline) {
            // Until their account is applied, signing in fails, and failures spend the sign-in budget: those are spaced out.
            boolean signingIn = api.token() == null;
            Api.Response reply = signingIn ? api.staySignedIn(someone.username(), options.password()) : api.get(paths.get(next));
            if (reply.status() == 0) {
                System.err.println("seed --fast: the platform stopped answering at " + options.url() + " while applying the "
                        + what + "; what was written is in the log");
                return false;
            }
            if (!signingIn && reply.ok() && checks.get(paths.get(next)).test(reply.body())) {
                next++;
                continue;
            }
            if (signingIn && reply.ok()) {
                continue;
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                out.printf("  ... waiting for the platform to apply the %s (%,d of %,d readable, %.0f s)%n", what, next,
                        paths.size(), (lastReport - began) / 1e9);
            }
            try {
                Thread.sleep(signingIn ? pause : 200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pause = signingIn ? Math.min(pause * 2, 10_000) : pause;
        }
        if (next < paths.size()) {
            System.err.println("seed --fast: the " + what + " were not all applied after 30 minutes; what was written is in the log");
            return false;
        }
        return true;
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
