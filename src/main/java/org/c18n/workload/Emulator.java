package org.c18n.workload;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.c18n.client.Api;
import tools.jackson.databind.JsonNode;

/**
 * Drives a running platform like its users would: N people sign up, open their WebSocket, join
 * communities, then for the whole duration act at the given rate, each action chosen by the mix:
 * browse their feed, read a post and its thread, comment, react, share, post text or an image,
 * join a community, invite someone (who accepts), chat in direct conversations over the socket,
 * search. Every few seconds a line of live figures; at the end a report per action (text and
 * JSON). The answer is non-zero when the share of failed actions is above the threshold.
 */
public final class Emulator {
    private final EmulateOptions options;
    private final PrintStream out;
    private final Random random;
    private final FakeContent fake;
    private final HttpClient http = Api.newHttp();
    private final ActionStats stats = new ActionStats();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failovers = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong skipped = new AtomicLong();
    private final List<EmulatedUser> people = new ArrayList<>();
    private final java.util.Queue<Acknowledged> acknowledged = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> byNode = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A write the platform acknowledged (a post answered 201/202, a message acked on the socket):
     * {@code check} is a path that must answer 200 to {@code by} from then on.
     */
    record Acknowledged(String kind, String check, EmulatedUser by) {}
    private final List<String> actions;
    private final int[] cumulative;

    public Emulator(EmulateOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.random = new Random(options.seed());
        this.fake = new FakeContent(options.seed());
        this.actions = new ArrayList<>(options.mix().keySet());
        this.cumulative = new int[actions.size()];
        int sum = 0;
        for (int i = 0; i < actions.size(); i++) {
            sum += options.mix().get(actions.get(i));
            cumulative[i] = sum;
        }
    }

    /** Runs the emulation; answers the process exit code. */
    public int run() {
        out.printf("Emulating %,d users on %s for %d s at %.1f actions/s (seed %d)%n", options.users(), options.urls(),
                options.duration().toSeconds(), options.rate(), options.seed());
        ExecutorService pool = Executors.newFixedThreadPool(options.concurrency());
        try {
            if (!signUp(pool)) {
                return 1;
            }
            drive(pool);
        } finally {
            pool.shutdownNow();
            people.forEach(EmulatedUser::close);
        }
        return report();
    }

    /** Everyone signs up, signs in, opens their socket and joins a few communities (founding some if there are none). */
    private boolean signUp(ExecutorService pool) {
        String run = Long.toString(options.seed() % 46656, 36);
        for (int i = 0; i < options.users(); i++) {
            people.add(new EmulatedUser("emu-" + run + "-" + i, options.urls(), i % options.urls().size(), http, delivered,
                    failovers));
        }
        List<JsonNode> open = openCommunities(people.get(0));
        try (Progress progress = new Progress("sign-up", people.size(), out)) {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (EmulatedUser person : people) {
                futures.add(pool.submit(() -> {
                    try {
                        setUp(person, open);
                        progress.succeeded();
                    } catch (RuntimeException e) {
                        stats.failed("sign-up", String.valueOf(e.getMessage()));
                        progress.failed();
                    }
                }));
            }
            for (var future : futures) {
                future.get();
            }
            if (progress.failures() > 0) {
                out.println("Sign-up failed for " + progress.failures() + " people: " + stats.causes());
                return false;
            }
            formGroups();
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return true;
    }

    /** One person in six starts a user-group with the next four: they chat there as well as directly. */
    private void formGroups() {
        for (int first = 0; first + 4 < people.size(); first += 6) {
            EmulatedUser creator = people.get(first);
            List<UUID> members = people.subList(first + 1, first + 5).stream().map(p -> p.id).toList();
            var created = creator.api.post("/api/v1/usergroups", Map.of("name", "Crew " + creator.username, "memberIds", members));
            if (!created.ok()) {
                throw new IllegalStateException("cannot form a group: " + created.problem());
            }
            UUID group = Seed.createdId(created);
            creator.groups.add(group);
            people.subList(first + 1, first + 5).forEach(p -> p.groups.add(group));
        }
    }

    private List<JsonNode> openCommunities(EmulatedUser founder) {
        register(founder);
        var listed = founder.api.get("/api/v1/communities?limit=100");
        List<JsonNode> open = new ArrayList<>();
        listed.body().path("items").forEach(c -> {
            if (c.path("visibility").asString().equals("public") && c.path("joinPolicy").asString().equals("open")) {
                open.add(c);
            }
        });
        for (int i = open.size(); i < 5; i++) {
            var topic = FakeContent.TOPICS.get(random.nextInt(FakeContent.TOPICS.size()));
            var community = fake.community(topic, founder.username.substring(4) + "-" + i);
            var created = founder.api.post("/api/v1/communities", Map.of("name", community.name(),
                    "description", community.description(), "tags", community.tags()));
            if (!created.ok()) {
                throw new IllegalStateException("cannot found a community: " + created.problem());
            }
            open.add(founder.api.get("/api/v1/communities/" + Seed.createdId(created)).body());
        }
        return open;
    }

    private void register(EmulatedUser person) {
        if (person.id != null) {
            return;
        }
        var registered = person.api.register(person.username, person.username + "@example.org", options.password(), null);
        if (!registered.ok()) {
            throw new IllegalStateException("register " + registered.problem());
        }
        var login = person.api.staySignedIn(person.username, options.password());
        if (!login.ok()) {
            throw new IllegalStateException("login " + login.problem());
        }
        person.id = UUID.fromString(login.body().path("user").path("id").asString());
    }

    private void setUp(EmulatedUser person, List<JsonNode> open) {
        register(person);
        person.connect(options.password());
        Random mine = new Random(person.username.hashCode());
        for (int j = 0; j < 3; j++) {
            JsonNode community = open.get(mine.nextInt(open.size()));
            UUID id = UUID.fromString(community.path("id").asString());
            if (person.communities.contains(id) || community.path("ownerId").asString().equals(String.valueOf(person.id))) {
                person.communities.add(id);
                continue;
            }
            var joined = person.api.post("/api/v1/communities/" + id + "/join", null);
            if (!joined.ok() && joined.status() != 409) {
                throw new IllegalStateException("join " + joined.problem());
            }
            person.communities.add(id);
        }
    }

    /** Open loop: actions start at the rate asked, whatever the platform's pace; the live line every 5 s. */
    private void drive(ExecutorService pool) {
        long start = System.nanoTime();
        long end = start + options.duration().toNanos();
        long interval = (long) (1e9 / Math.max(options.rate(), 0.001));
        long next = start;
        long nextReport = start + 5_000_000_000L;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (now >= nextReport) {
                live((now - start) / 1e9);
                nextReport += 5_000_000_000L;
            }
            if (now < next) {
                sleepNanos(Math.min(next - now, nextReport - now));
                continue;
            }
            next += interval;
            if (inFlight.get() >= options.concurrency() * 4) {
                skipped.incrementAndGet();
                continue;
            }
            EmulatedUser person = people.get(random.nextInt(people.size()));
            String action = pickAction();
            long seed = random.nextLong();
            inFlight.incrementAndGet();
            pool.submit(() -> {
                try {
                    perform(person, action, new Random(seed));
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        }
        long drainUntil = System.nanoTime() + 15_000_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() < drainUntil) {
            sleepNanos(50_000_000L);
        }
        live((System.nanoTime() - start) / 1e9);
    }

    private String pickAction() {
        int roll = random.nextInt(cumulative[cumulative.length - 1]);
        for (int i = 0; i < cumulative.length; i++) {
            if (roll < cumulative[i]) {
                return actions.get(i);
            }
        }
        return actions.get(actions.size() - 1);
    }

    private long lastDelivered;

    private void live(double seconds) {
        var window = stats.drain();
        long deliveredNow = delivered.get();
        out.printf("[%4.0f s] %6.1f actions/s  errors %d  p50 %.0f ms  p99 %.0f ms  socket deliveries %,.0f/s  in flight %d%s%n",
                seconds, window.done() / 5.0, window.errors(), window.p50(), window.p99(), (deliveredNow - lastDelivered) / 5.0,
                inFlight.get(), failovers.get() == 0 ? "" : "  failovers " + failovers.get());
        StringBuilder byAction = new StringBuilder("         p50/p99 ms:");
        window.byAction().forEach((action, p) -> byAction.append(String.format(" %s %.0f/%.0f", action, p[0], p[1])));
        out.println(byAction);
        lastDelivered = deliveredNow;
    }

    private void perform(EmulatedUser person, String action, Random rnd) {
        long started = System.nanoTime();
        String failure;
        try {
            failure = new Actions(person, rnd).run(action);
        } catch (RuntimeException e) {
            failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        }
        byNode.computeIfAbsent(person.base().toString(), k -> new AtomicLong()).incrementAndGet();
        if (failure == null) {
            stats.record(action, System.nanoTime() - started);
        } else {
            stats.failed(action, failure.length() > 80 ? failure.substring(0, 80) : failure);
        }
    }

    /** The actions of one person, each answering null when it worked or what went wrong. */
    private final class Actions {
        private final EmulatedUser me;
        private final Random rnd;

        Actions(EmulatedUser me, Random rnd) {
            this.me = me;
            this.rnd = rnd;
        }

        String run(String action) {
            return switch (action) {
                case "browse" -> browse();
                case "read" -> withPost(post -> {
                    var read = call(api -> api.get("/api/v1/posts/" + post.path("id").asString()));
                    return read != null ? read : call(api -> api.get("/api/v1/posts/" + post.path("id").asString()
                            + "/comments?view=tree"));
                });
                case "comment" -> withPost(post -> call(api -> api.post("/api/v1/posts/" + post.path("id").asString()
                        + "/comments", Map.of("body", text()))));
                case "react" -> withPost(post -> call(api -> api.put("/api/v1/posts/" + post.path("id").asString() + "/reaction",
                        Map.of("kind", rnd.nextInt(5) == 0 ? "dislike" : "like"))));
                case "share" -> share();
                case "post" -> post();
                case "media" -> media();
                case "join" -> join();
                case "invite" -> invite();
                case "chat" -> chat();
                case "search" -> call(api -> api.get("/api/v1/search?q=" + topic().tag()));
                default -> "unknown action " + action;
            };
        }

        private String post() {
            var reply = me.call(api -> api.post("/api/v1/communities/" + community() + "/posts",
                    Map.of("title", "Thoughts on " + topic().tag(), "body", text(), "tags", List.of(topic().tag()))),
                    options.password());
            if (!reply.ok()) {
                return reply.problem();
            }
            acknowledged.add(new Acknowledged("post", "/api/v1/posts/" + Seed.createdId(reply), me));
            return null;
        }

        private String call(java.util.function.Function<Api, Api.Response> request) {
            var reply = me.call(request, options.password());
            return reply.ok() ? null : reply.problem();
        }

        private String browse() {
            var reply = me.call(api -> rnd.nextBoolean() ? api.get("/api/v1/feed?limit=20")
                    : api.get("/api/v1/communities/" + community() + "/posts?sort=" + (rnd.nextBoolean() ? "top" : "new")
                    + "&limit=20"), options.password());
            if (!reply.ok()) {
                return reply.problem();
            }
            reply.body().path("items").forEach(post -> {
                if (post.path("communityId").isString()) {
                    me.seen.add(post);
                }
            });
            while (me.seen.size() > 60) {
                me.seen.remove(0);
            }
            return null;
        }

        private String withPost(java.util.function.Function<JsonNode, String> act) {
            if (me.seen.isEmpty()) {
                String browsed = browse();
                if (browsed != null || me.seen.isEmpty()) {
                    return browsed;
                }
            }
            return act.apply(me.seen.get(rnd.nextInt(me.seen.size())));
        }

        /** An original post (not a share) from one of my communities, shared into another of mine. */
        private String share() {
            List<JsonNode> originals = me.seen.stream().filter(p -> !p.path("sharedFrom").isObject()).toList();
            if (originals.isEmpty()) {
                return browse();
            }
            JsonNode post = originals.get(rnd.nextInt(originals.size()));
            UUID from = UUID.fromString(post.path("communityId").asString());
            List<UUID> elsewhere = me.communities.stream().filter(c -> !c.equals(from)).toList();
            if (elsewhere.isEmpty() || !me.communities.contains(from)) {
                return join();
            }
            UUID into = elsewhere.get(rnd.nextInt(elsewhere.size()));
            return call(api -> api.post("/api/v1/posts/" + post.path("id").asString() + "/shares",
                    Map.of("communityId", into, "comment", "Have a look")));
        }

        private String media() {
            var image = GeneratedImages.draw(rnd);
            var uploaded = me.call(api -> api.upload("/api/v1/media", image.filename(), image.contentType(), image.bytes()),
                    options.password());
            if (!uploaded.ok()) {
                return uploaded.problem();
            }
            return call(api -> api.post("/api/v1/communities/" + community() + "/posts", Map.of("title", "A picture",
                    "body", text(), "mediaIds", List.of(uploaded.id()))));
        }

        private String join() {
            var listed = me.call(api -> api.get("/api/v1/communities?limit=50"), options.password());
            if (!listed.ok()) {
                return listed.problem();
            }
            List<JsonNode> candidates = new ArrayList<>();
            listed.body().path("items").forEach(c -> {
                if (c.path("joinPolicy").asString().equals("open") && c.path("myRole").isNull()) {
                    candidates.add(c);
                }
            });
            if (candidates.isEmpty()) {
                return browse();
            }
            UUID id = UUID.fromString(candidates.get(rnd.nextInt(candidates.size())).path("id").asString());
            String failed = call(api -> api.post("/api/v1/communities/" + id + "/join", null));
            if (failed == null) {
                me.communities.add(id);
            }
            return failed;
        }

        /** I invite someone who is not in one of my communities yet; they accept (once they see it). */
        private String invite() {
            UUID community = community();
            EmulatedUser other = people.get(rnd.nextInt(people.size()));
            synchronized (other) {
                if (other == me || other.communities.contains(community) || !other.invitedTo.add(community)) {
                    return browse();
                }
            }
            var invited = me.call(api -> api.post("/api/v1/communities/" + community + "/invites", Map.of("userId", other.id)),
                    options.password());
            if (!invited.ok()) {
                return invited.status() == 409 ? browse() : invited.problem();
            }
            UUID invite = Seed.createdId(invited);
            Api.Response accepted = null;
            // An invite answered 202 is in the log but not applied yet (say, while a node's partitions
            // move after a crash): the invitee sees it a little later, and accepts then.
            for (int attempt = 0; attempt < 20; attempt++) {
                accepted = other.call(api -> api.post("/api/v1/invites/" + invite + "/accept", null), options.password());
                if (accepted.status() != 404) {
                    break;
                }
                sleepNanos(1_000_000_000L);
            }
            if (!accepted.ok()) {
                return "accept " + accepted.problem();
            }
            other.communities.add(community);
            return null;
        }

        /** A message over my socket, in one of my groups or directly to someone; done when the log has acknowledged it. */
        private String chat() {
            if (!me.connected()) {
                me.connect(options.password());
            }
            if (!me.groups.isEmpty() && rnd.nextInt(3) == 0) {
                List<UUID> mine = new ArrayList<>(me.groups);
                return sendTo(mine.get(rnd.nextInt(mine.size())));
            }
            EmulatedUser other = people.get(rnd.nextInt(people.size()));
            if (other == me) {
                other = people.get((people.indexOf(me) + 1) % people.size());
            }
            final EmulatedUser to = other;
            UUID room = me.directRooms.get(to.id);
            if (room == null) {
                var opened = me.call(api -> api.post("/api/v1/rooms/direct", Map.of("userId", to.id)), options.password());
                if (!opened.ok()) {
                    return opened.problem();
                }
                room = opened.id();
                me.directRooms.put(to.id, room);
                to.directRooms.put(me.id, room);
            }
            return sendTo(room);
        }

        private String sendTo(UUID room) {
            // Like the web app, send once the socket has been told of the conversation.
            long until = System.nanoTime() + 5_000_000_000L;
            while (!me.rooms.contains(room) && System.nanoTime() < until) {
                sleepNanos(20_000_000L);
            }
            try {
                JsonNode answer = me.send(room, fake().message(topic())).get(15, TimeUnit.SECONDS);
                if (!answer.path("type").asString().equals("ack")) {
                    return "ws " + answer.path("code").asString();
                }
                acknowledged.add(new Acknowledged("message", "/api/v1/rooms/" + room + "/messages/" + answer.path("id").asString(), me));
                return null;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return "ws " + (e.getCause() == null ? e.getClass().getSimpleName() : e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        private UUID community() {
            List<UUID> mine = new ArrayList<>(me.communities);
            return mine.get(rnd.nextInt(mine.size()));
        }

        private FakeContent.Topic topic() {
            return FakeContent.TOPICS.get(rnd.nextInt(FakeContent.TOPICS.size()));
        }

        private FakeContent fake() {
            return new FakeContent(rnd.nextLong());
        }

        private String text() {
            return fake().comment(topic());
        }
    }

    private int report() {
        Map<String, Map<String, Object>> rows = stats.summary(actions);
        long done = stats.total();
        long errors = stats.errorCount();
        double errorRate = done + errors == 0 ? 0 : (double) errors / (done + errors);
        out.println();
        out.printf("%-10s %8s %7s %9s %9s %9s %9s%n", "action", "count", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms");
        rows.forEach((action, row) -> out.printf("%-10s %,8d %,7d %9.1f %9.1f %9.1f %9.1f%n", action, row.get("count"),
                row.get("errors"), row.get("p50Ms"), row.get("p95Ms"), row.get("p99Ms"), row.get("maxMs")));
        double seconds = options.duration().toMillis() / 1000.0;
        out.printf("%,d actions in %.0f s (%.1f/s), %,d errors (%.2f%%), %,d messages delivered over sockets, %,d skipped"
                        + " (client saturated), %,d failovers%n", done + errors, seconds, (done + errors) / seconds, errors,
                errorRate * 100, delivered.get(), skipped.get(), failovers.get());
        if (errors > 0) {
            out.println("errors by cause: " + stats.causes());
        }
        if (options.urls().size() > 1) {
            byNode.forEach((node, count) -> out.printf("  %s: %,d actions (%.1f/s)%n", node, count.get(), count.get() / seconds));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("urls", options.urls().stream().map(Object::toString).toList());
        json.put("users", options.users());
        json.put("durationSeconds", seconds);
        json.put("rate", options.rate());
        json.put("actions", done + errors);
        json.put("errors", errors);
        json.put("errorRate", errorRate);
        json.put("socketDeliveries", delivered.get());
        json.put("skipped", skipped.get());
        json.put("failovers", failovers.get());
        json.put("byAction", rows);
        Map<String, Long> nodes = new java.util.TreeMap<>();
        byNode.forEach((node, count) -> nodes.put(node, count.get()));
        json.put("byNode", nodes);
        json.put("errorCauses", stats.causes());
        try {
            Files.writeString(options.report(), Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
            out.println("Report written to " + options.report().toAbsolutePath());
        } catch (IOException e) {
            out.println("Could not write the report to " + options.report() + ": " + e.getMessage());
        }
        if (errorRate > options.maxErrorRate()) {
            out.printf("FAILED: error rate %.2f%% is above the threshold of %.2f%%%n", errorRate * 100, options.maxErrorRate() * 100);
            return 1;
        }
        return 0;
    }

    /** The writes the platform acknowledged during the run. */
    List<Acknowledged> acknowledged() {
        return List.copyOf(acknowledged);
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(Math.max(nanos, 100_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
