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
import java.util.Set;
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
    /** The people acting now (with a ramp, more arrive as it goes). */
    private final List<EmulatedUser> people = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Map<String, Object>> steps = new ArrayList<>();
    private Map<String, Object> rampOutcome;
    private long startedAt;
    private long nextReport;
    private double runSeconds;
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
        ExecutorService pool = Executors.newFixedThreadPool(options.concurrency());
        try {
            if (options.ramp() != null) {
                ramp(pool);
            } else {
                out.printf("Emulating %,d users on %s for %d s at %.1f actions/s (seed %d)%n", options.users(), options.urls(),
                        options.duration().toSeconds(), options.rate(), options.seed());
                if (!signUp(pool)) {
                    return 1;
                }
                startedAt = System.nanoTime();
                nextReport = startedAt + 5_000_000_000L;
                drive(pool, startedAt + options.duration().toNanos(), options::rate);
                drain();
            }
        } finally {
            pool.shutdownNow();
            people.forEach(EmulatedUser::close);
        }
        return report();
    }

    /** Everyone signs up, signs in, opens their socket and joins a few communities (founding some if there are none). */
    private boolean signUp(ExecutorService pool) {
        people.addAll(newcomers());
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
            formGroups(people);
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return true;
    }

    /** The people to sign up: {@code --users} new accounts named after the run. */
    private List<EmulatedUser> newcomers() {
        String run = Long.toString(options.seed() % 46656, 36);
        List<EmulatedUser> newcomers = new ArrayList<>();
        for (int i = 0; i < options.users(); i++) {
            newcomers.add(new EmulatedUser("emu-" + run + "-" + i, options.urls(), i % options.urls().size(), http, delivered,
                    failovers));
        }
        return newcomers;
    }

    /** One person in six starts a user-group with the next four: they chat there as well as directly. */
    private void formGroups(List<EmulatedUser> among) {
        for (int first = 0; first + 4 < among.size(); first += 6) {
            EmulatedUser creator = among.get(first);
            List<UUID> members = among.subList(first + 1, first + 5).stream().map(p -> p.id).toList();
            var created = creator.api.post("/api/v1/usergroups", Map.of("name", "Crew " + creator.username, "memberIds", members));
            if (!created.ok()) {
                throw new IllegalStateException("cannot form a group: " + created.problem());
            }
            UUID group = Seed.createdId(created);
            creator.groups.add(group);
            among.subList(first + 1, first + 5).forEach(p -> p.groups.add(group));
        }
    }

    /**
     * The accounts already on the platform, found as the members of its public, open, writable communities (the admin
     * lists them), up to {@code --users}, in a shuffled order, erased accounts left out; each knows its communities.
     */
    private List<EmulatedUser> existingAccounts(Api admin) {
        Map<UUID, EmulatedUser> found = new LinkedHashMap<>();
        java.util.Set<UUID> erasedAccounts = new java.util.HashSet<>();
        UUID adminId = UUID.fromString(admin.id());
        List<UUID> communities = new ArrayList<>();
        for (String cursor = null; ; ) {
            var page = admin.get("/api/v1/communities?limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
            if (!page.ok()) {
                throw new IllegalStateException("listing communities: " + page.problem());
            }
            page.body().path("items").forEach(c -> {
                if (openToAll(c)) {
                    communities.add(UUID.fromString(c.path("id").asString()));
                }
            });
            cursor = page.body().path("nextCursor").isString() ? page.body().path("nextCursor").asString() : null;
            if (cursor == null) {
                break;
            }
        }
        for (UUID community : communities) {
            for (String cursor = null; ; ) {
                var page = admin.get("/api/v1/communities/" + community + "/members?limit=100"
                        + (cursor == null ? "" : "&cursor=" + cursor));
                if (!page.ok()) {
                    throw new IllegalStateException("listing members: " + page.problem());
                }
                page.body().path("items").forEach(m -> {
                    UUID id = UUID.fromString(m.path("id").asString());
                    if (erased(id, m)) {
                        erasedAccounts.add(id);
                    } else if (!id.equals(adminId)) {
                        found.computeIfAbsent(id, k -> {
                            EmulatedUser person = new EmulatedUser(m.path("username").asString(), options.urls(),
                                    found.size() % options.urls().size(), http, delivered, failovers);
                            person.id = id;
                            return person;
                        }).communities.add(community);
                    }
                });
                cursor = page.body().path("nextCursor").isString() ? page.body().path("nextCursor").asString() : null;
                if (cursor == null) {
                    break;
                }
            }
        }
        List<EmulatedUser> accounts = new ArrayList<>(found.values());
        java.util.Collections.shuffle(accounts, random);
        out.printf("Found %,d accounts in the platform's communities (%,d erased left out: nobody can sign in as them)%n",
                accounts.size(), erasedAccounts.size());
        return accounts.subList(0, Math.min(accounts.size(), options.users()));
    }

    /** An erased account stays a member, as "Deleted user" named {@code deleted-<id>} (docs/events.md): nobody can act as it. */
    private static boolean erased(UUID id, JsonNode member) {
        return member.path("username").asString().equals("deleted-" + id);
    }

    /** An action's p99 is held against the limit once a step has this many of it (below, it is the slowest few). */
    static final int JUDGED_SAMPLES = 50;

    /**
     * People arrive {@code --ramp} at a time, spread over the first half of the step, while those already here act, each once per
     * {@code --pace} on average; after each step its figures are held against the limits: the
     * p99 of all actions and of each action done at least {@link #JUDGED_SAMPLES} times in the
     * step, and the share of errors. Steps that begin within {@code --warm-up} of the start (the
     * JIT, a node still taking in a seed) are not judged. Two judged steps in a row over a limit
     * end the run (one can be a merge or a collection); the people held are those of the last
     * judged step within the limits.
     */
    private void ramp(ExecutorService pool) {
        EmulateOptions.Ramp ramp = options.ramp();
        Api admin = null;
        java.util.Deque<EmulatedUser> waiting;
        List<JsonNode> open = List.of();
        if (options.admin() != null) {
            String[] nameAndPassword = options.admin().split(":", 2);
            admin = new Api(http, options.urls().get(0).toString());
            admin.staySignedIn(nameAndPassword[0], nameAndPassword[1]);
            if (admin.token() == null) {
                throw new IllegalStateException("the admin " + nameAndPassword[0] + " cannot sign in");
            }
            waiting = new java.util.ArrayDeque<>(existingAccounts(admin));
        } else {
            waiting = new java.util.ArrayDeque<>(newcomers());
            open = openCommunities(waiting.peek());
        }
        double pace = options.pace().toMillis() / 1000.0;
        out.printf("Ramp on %s: %d more people every %d s (up to %,d, for at most %d s), each acting every %.0f s on average;"
                        + " stops when a step's p99 (of all actions, or of one done %d times or more) is above %d ms or its"
                        + " errors above %.1f %%, two steps in a row; steps in the first %d s are not judged (seed %d)%n",
                options.urls(), ramp.users(), ramp.every().toSeconds(), waiting.size(), options.duration().toSeconds(), pace,
                JUDGED_SAMPLES, options.stopP99().toMillis(), options.maxErrorRate() * 100, options.warmUp().toSeconds(),
                options.seed());
        startedAt = System.nanoTime();
        nextReport = startedAt + 5_000_000_000L;
        long end = startedAt + options.duration().toNanos();
        long warmUpEnds = startedAt + options.warmUp().toNanos();
        int breaches = 0;
        int held = 0;
        String limit = null;
        boolean atCeiling = false;
        // Who has arrived and is not in a user-group yet (one arriving late in a step joins the next step's).
        java.util.Queue<EmulatedUser> arrived = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int step = 1; System.nanoTime() < end; step++) {
            List<EmulatedUser> arriving = new ArrayList<>();
            while (arriving.size() < ramp.users() && !waiting.isEmpty()) {
                arriving.add(waiting.poll());
            }
            long stepStarted = System.nanoTime();
            boolean judged = stepStarted >= warmUpEnds;
            Thread arrivals = arriveOverTheStep(pool, arriving, stepStarted, ramp.every().toNanos(), admin, open, arrived);
            drive(pool, Math.min(end, stepStarted + ramp.every().toNanos()), () -> people.size() / pace);
            arrivals.interrupt(); // the run's end may come within a step
            // Their groups form in the background: the next step's actions must not wait for them.
            List<EmulatedUser> newcomers = new ArrayList<>();
            for (EmulatedUser person; (person = arrived.poll()) != null; ) {
                newcomers.add(person);
            }
            pool.submit(() -> {
                try {
                    formGroups(newcomers);
                } catch (RuntimeException e) {
                    stats.failed("sign-up", String.valueOf(e.getMessage()));
                }
            });
            ActionStats.Window window = stats.drainStep();
            double seconds = (System.nanoTime() - stepStarted) / 1e9;
            String over = null;
            String slowest = "";
            double worst = -1;
            for (var entry : window.byAction().entrySet()) {
                double p99 = entry.getValue()[1];
                if (entry.getValue()[2] >= JUDGED_SAMPLES && p99 > worst) {
                    worst = p99;
                    slowest = entry.getKey();
                }
            }
            double errorRate = window.done() + window.errors() == 0 ? 0
                    : (double) window.errors() / (window.done() + window.errors());
            if (worst > options.stopP99().toMillis()) {
                over = String.format("%s p99 %.0f ms", slowest, worst);
            } else if (window.p99() > options.stopP99().toMillis()) {
                over = String.format("p99 %.0f ms", window.p99());
            }
            if (errorRate > options.maxErrorRate()) {
                over = (over == null ? "" : over + ", ") + String.format("errors %.2f %%", errorRate * 100);
            }
            int active = people.size();
            out.printf("== step %d: %,d people, %.1f actions/s, p50 %.0f ms, p99 %.0f ms, slowest %s (p99 %.0f ms), errors %d"
                            + " (%.2f %%)%s%n", step, active, window.done() / seconds, window.p50(), window.p99(),
                    slowest.isEmpty() ? "-" : slowest, Math.max(worst, 0), window.errors(), errorRate * 100,
                    !judged ? "  (warm-up, not judged)" : over == null ? "" : "  OVER: " + over);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("step", step);
            row.put("people", active);
            row.put("actionsPerSecond", Math.round(window.done() / seconds * 10) / 10.0);
            row.put("p99Ms", window.p99());
            row.put("slowest", slowest);
            row.put("slowestP99Ms", worst);
            row.put("errors", window.errors());
            row.put("over", over);
            row.put("judged", judged);
            steps.add(row);
            if (judged && over == null) {
                breaches = 0;
                held = active;
            } else if (judged && ++breaches >= 2) {
                limit = over;
                break;
            }
            if (atCeiling) {
                break;
            }
            atCeiling = waiting.isEmpty();
        }
        drain();
        rampOutcome = new LinkedHashMap<>();
        rampOutcome.put("held", held);
        rampOutcome.put("limit", limit);
        rampOutcome.put("steps", steps);
        out.println();
        if (limit != null) {
            out.printf("Held %,d people (the last step within the limits); the limit: %s, two steps in a row, at %,d people%n",
                    held, limit, people.size());
        } else {
            out.printf("Held %,d people; no limit reached (%s)%n", held,
                    waiting.isEmpty() ? "every account was acting" : "the time ran out");
        }
    }

    /**
     * People come one after another over the first half of the step, as they do, not all in its
     * first second (a burst of sign-ins and socket openings would set the step's p99 by itself); by
     * the step's end all of them are there and acting.
     */
    private Thread arriveOverTheStep(ExecutorService pool, List<EmulatedUser> arriving, long from, long stepNanos,
                                     Api admin, List<JsonNode> open, java.util.Queue<EmulatedUser> arrived) {
        long spacing = stepNanos / 2 / Math.max(1, arriving.size());
        Thread arrivals = new Thread(() -> {
            for (int i = 0; i < arriving.size() && !Thread.currentThread().isInterrupted(); i++) {
                long wait = from + i * spacing - System.nanoTime();
                if (wait > 0) {
                    sleepNanos(wait);
                }
                EmulatedUser person = arriving.get(i);
                try {
                    pool.submit(() -> arrive(person, admin, open, arrived));
                } catch (java.util.concurrent.RejectedExecutionException runOver) {
                    return;
                }
            }
        }, "arrivals");
        arrivals.setDaemon(true);
        arrivals.start();
        return arrivals;
    }

    /** A person arrives: signs up (or is handed a session by the admin), opens their socket, and starts acting. */
    private void arrive(EmulatedUser person, Api admin, List<JsonNode> open, java.util.Queue<EmulatedUser> arrived) {
        try {
            if (admin == null) {
                setUp(person, open);
            } else {
                var token = admin.post("/api/v1/admin/users/" + person.id + "/token", null);
                if (!token.ok()) {
                    throw new IllegalStateException("token " + token.problem());
                }
                person.api.token(token.text("accessToken"));
                person.communities.removeIf(community -> !mayWriteIn(person, community));
                person.connect(options.password());
            }
            people.add(person);
            arrived.add(person);
        } catch (RuntimeException e) {
            stats.failed("sign-up", String.valueOf(e.getMessage()));
        }
    }

    /** Whether the person may post in the community: not archived, not muted or banned there (as they see it themselves). */
    private boolean mayWriteIn(EmulatedUser person, UUID community) {
        var seen = person.call(api -> api.get("/api/v1/communities/" + community), options.password());
        return seen.ok() && writable(seen.body()) && !seen.body().path("myRestriction").isObject();
    }

    /** An archived community is read-only: nobody would join it or write into it, so the emulated people do not either. */
    private static boolean writable(JsonNode community) {
        return !community.path("archivedAt").isString();
    }

    /** Public, open to anyone and writable: where the emulated people act (elsewhere only moderators may invite). */
    private static boolean openToAll(JsonNode community) {
        return community.path("visibility").asString().equals("public") && community.path("joinPolicy").asString().equals("open")
                && writable(community);
    }

    private List<JsonNode> openCommunities(EmulatedUser founder) {
        register(founder);
        var listed = founder.api.get("/api/v1/communities?limit=100");
        List<JsonNode> open = new ArrayList<>();
        listed.body().path("items").forEach(c -> {
            if (openToAll(c)) {
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
        int[] asked = {0};
        var registered = person.call(api -> {
            asked[0]++;
            return api.register(person.username, person.username + "@example.org", options.password(), null);
        }, options.password());
        // Asked again because an attempt got no answer: that attempt may have registered them.
        boolean firstAnswerLost = registered.status() == 409 && asked[0] > 1;
        if (!registered.ok() && !firstAnswerLost) {
            throw new IllegalStateException("register " + registered.problem());
        }
        var login = person.api.staySignedIn(person.username, options.password());
        // Accepted but not applied yet (202): the account signs in a moment later, and the web app tries
        // again after these pauses; so does an emulated person (few tries: a failed sign-in is counted).
        if (registered.status() == 202) {
            for (long pause : SIGN_IN_AGAIN_MILLIS) {
                if (login.status() != 401) {
                    break;
                }
                sleepNanos(TimeUnit.MILLISECONDS.toNanos(pause));
                login = person.api.staySignedIn(person.username, options.password());
            }
        }
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

    /**
     * Open loop until {@code end}: actions start at the rate asked (per second, looked at before
     * each), whatever the platform's pace; the live line every 5 s.
     */
    private void drive(ExecutorService pool, long end, java.util.function.DoubleSupplier rate) {
        long next = System.nanoTime();
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (now >= nextReport) {
                live((now - startedAt) / 1e9);
                nextReport += 5_000_000_000L;
            }
            if (now < next) {
                sleepNanos(Math.min(Math.min(next - now, nextReport - now), end - now));
                continue;
            }
            double perSecond = rate.getAsDouble();
            if (perSecond <= 0 || people.isEmpty()) {
                next = now + 100_000_000L;
                continue;
            }
            next += (long) (1e9 / perSecond);
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
    }

    /** Lets the actions in flight finish (at most 15 s). */
    private void drain() {
        runSeconds = (System.nanoTime() - startedAt) / 1e9;
        long drainUntil = System.nanoTime() + 15_000_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() < drainUntil) {
            sleepNanos(50_000_000L);
        }
        live((System.nanoTime() - startedAt) / 1e9);
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

    /** The actions that take place in one of the person's communities. */
    private static final long[] SIGN_IN_AGAIN_MILLIS = {1_000, 2_000, 4_000, 8_000};
    private static final Set<String> COMMUNITY_ACTIONS = Set.of("read", "comment", "react", "share", "post", "media", "invite");

    /** The actions of one person, each answering null when it worked or what went wrong. */
    private final class Actions {
        private final EmulatedUser me;
        private final Random rnd;

        Actions(EmulatedUser me, Random rnd) {
            this.me = me;
            this.rnd = rnd;
        }

        String run(String action) {
            if (me.communities.isEmpty() && COMMUNITY_ACTIONS.contains(action)) {
                return join(); // nowhere to write yet (or any more): look for a community first
            }
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
            var reply = me.call(api -> me.communities.isEmpty() || rnd.nextBoolean() ? api.get("/api/v1/feed?limit=20")
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
            // Answered 202, the upload is in the log but not applied yet: its id is in the Location, and
            // a post may name it once it can be read (as the web app waits for it).
            UUID mediaId = Seed.createdId(uploaded);
            if (uploaded.status() == 202) {
                String waited = awaitReadable("/api/v1/media/" + mediaId);
                if (waited != null) {
                    return waited;
                }
            }
            return call(api -> api.post("/api/v1/communities/" + community() + "/posts", Map.of("title", "A picture",
                    "body", text(), "mediaIds", List.of(mediaId))));
        }

        /** Null once the path answers 200 (within 10 s), else what it answered last. */
        private String awaitReadable(String path) {
            Api.Response reply = null;
            for (int attempt = 0; attempt < 50; attempt++) {
                reply = me.call(api -> api.get(path), options.password());
                if (reply.ok()) {
                    return null;
                }
                sleepNanos(200_000_000L);
            }
            return "not readable after 202: " + reply.problem();
        }

        private String join() {
            var listed = me.call(api -> api.get("/api/v1/communities?limit=50"), options.password());
            if (!listed.ok()) {
                return listed.problem();
            }
            List<JsonNode> candidates = new ArrayList<>();
            listed.body().path("items").forEach(c -> {
                if (openToAll(c) && c.path("myRole").isNull()) {
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
        double seconds = Math.max(runSeconds, 0.001);
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
        if (rampOutcome != null) {
            json.put("ramp", rampOutcome);
        }
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

    static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(Math.max(nanos, 100_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
