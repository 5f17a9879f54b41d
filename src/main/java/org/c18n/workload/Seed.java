package org.c18n.workload;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.c18n.client.Api;

/**
 * Fills a running platform with fake people and what they do, through its public REST API like
 * real clients: people sign up and describe themselves, found communities about their interests,
 * join the ones that match, invite others into private ones, gather in user-groups, post text,
 * images and videos where they are members, answer each other in threads, like what matches their
 * interests, share, and write to each other. One progress bar per kind of thing, then a summary.
 */
public final class Seed {
    private final SeedOptions options;
    private final PrintStream out;
    private final FakeContent fake;
    private final java.net.http.HttpClient http = Api.newHttp();
    private final ExecutorService pool;
    private final Map<String, AtomicInteger> reasons = new ConcurrentHashMap<>();
    private final List<Progress> finished = new ArrayList<>();
    private final byte[] video = SeedOptions.clip();
    private final byte[] videoPoster = SeedOptions.clipPoster();

    private final List<Person> people = new ArrayList<>();
    private final List<Community> communities = new ArrayList<>();
    private final List<Group> groups = new CopyOnWriteArrayList<>();
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final Map<String, UUID> directRooms = new ConcurrentHashMap<>();

    /** People and communities refer to each other, so they are equal by id (not by their lists). */
    record Person(UUID id, String username, List<String> interests, Api api, List<Community> communities) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Person p && p.id.equals(id);
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }
    }

    record Community(UUID id, List<String> tags, boolean open, Person owner, List<Person> members) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Community c && c.id.equals(id);
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }
    }

    record Group(UUID id, FakeContent.Topic topic, List<Person> members) {}

    record Post(UUID id, Community community, List<String> tags, List<UUID> comments) {}

    public Seed(SeedOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.fake = new FakeContent(options.seed());
        this.pool = Executors.newFixedThreadPool(options.concurrency());
    }

    /** Runs every phase; answers the number of failed requests. */
    public long run() {
        out.printf("Seeding %s with %,d users, %,d communities, %,d groups and %,d items (seed %d, %d clients)%n",
                options.url(), options.users(), options.communities(), options.groups(), options.items(), options.seed(),
                options.concurrency());
        long started = System.nanoTime();
        try {
            users();
            communities();
            memberships();
            groups();
            Map<String, Long> counts = options.counts();
            posts("posts", counts.get("posts"), () -> List.of());
            posts("images", counts.get("images"), this::images);
            posts("videos", counts.get("videos"), this::videos);
            comments(counts.get("comments"));
            reactions(counts.get("reactions"));
            shares(counts.get("shares"));
            messages(counts.get("messages"));
        } finally {
            pool.shutdownNow();
        }
        return summary((System.nanoTime() - started) / 1e9);
    }

    private void users() {
        String runTag = Long.toString(Math.abs(options.seed()) % 46656, 36);
        List<FakeContent.Person> planned = new ArrayList<>();
        for (int i = 0; i < options.users(); i++) {
            planned.add(fake.person("-" + runTag + Integer.toString(i, 36)));
        }
        List<Person> made = phase("users", planned, person -> {
            Api api = new Api(http, options.url().toString());
            var registered = api.register(person.username(), person.email(), options.password(), person.displayName());
            if (!registered.ok()) {
                return failure(registered);
            }
            var login = api.staySignedIn(person.username(), options.password());
            if (!login.ok()) {
                return failure(login);
            }
            var profile = api.patch("/api/v1/users/me", Map.of("bio", person.bio(), "interests", person.interests()));
            return profile.ok() ? new Person(UUID.fromString(login.body().path("user").path("id").asString()), person.username(),
                    person.interests(), api, new CopyOnWriteArrayList<>()) : failure(profile);
        });
        people.addAll(made);
    }

    private void communities() {
        record Plan(Person owner, FakeContent.Community community, boolean open) {}
        List<Plan> planned = new ArrayList<>();
        for (int i = 0; i < options.communities() && !people.isEmpty(); i++) {
            Person owner = fake.pick(people);
            var topic = FakeContent.topic(fake.pick(owner.interests()));
            planned.add(new Plan(owner, fake.community(topic, Integer.toString(i + 1)), !fake.chance(0.15)));
        }
        communities.addAll(phase("communities", planned, plan -> {
            var reply = plan.owner().api().post("/api/v1/communities", Map.of("name", plan.community().name(),
                    "description", plan.community().description(), "tags", plan.community().tags(),
                    "visibility", plan.open() ? "public" : "private", "joinPolicy", plan.open() ? "open" : "invite"));
            if (!reply.ok()) {
                return failure(reply);
            }
            var community = new Community(createdId(reply), plan.community().tags(), plan.open(), plan.owner(),
                    new CopyOnWriteArrayList<>(List.of(plan.owner())));
            plan.owner().communities().add(community);
            return community;
        }));
    }

    /** People join open communities about their interests (and one other now and then); private ones invite. */
    private void memberships() {
        record Plan(Person person, Community community) {}
        List<Plan> planned = new ArrayList<>();
        for (Person person : people) {
            List<Community> matching = communities.stream().filter(c -> c.owner() != person
                    && c.tags().stream().anyMatch(person.interests()::contains)).toList();
            List<Community> chosen = new ArrayList<>(matching);
            Collections.shuffle(chosen, fake.random());
            chosen = new ArrayList<>(chosen.subList(0, Math.min(chosen.size(), fake.between(2, 5))));
            if (fake.chance(0.3) && !communities.isEmpty()) {
                Community other = fake.pick(communities);
                if (other.owner() != person && !chosen.contains(other)) {
                    chosen.add(other);
                }
            }
            chosen.forEach(c -> planned.add(new Plan(person, c)));
        }
        phase("memberships", planned, plan -> {
            Community community = plan.community();
            Api.Response reply;
            if (community.open()) {
                reply = plan.person().api().post("/api/v1/communities/" + community.id() + "/join", null);
            } else {
                reply = community.owner().api().post("/api/v1/communities/" + community.id() + "/invites",
                        Map.of("userId", plan.person().id()));
                if (reply.ok()) {
                    reply = plan.person().api().post("/api/v1/invites/" + createdId(reply) + "/accept", null);
                }
            }
            if (!reply.ok()) {
                return failure(reply);
            }
            community.members().add(plan.person());
            plan.person().communities().add(community);
            return plan;
        });
    }

    /** User-groups inside communities among their members, and a few ad hoc ones among anyone. */
    private void groups() {
        record Plan(Person creator, Community community, List<Person> others, FakeContent.Topic topic) {}
        List<Plan> planned = new ArrayList<>();
        List<Community> lively = communities.stream().filter(c -> c.members().size() >= 3).toList();
        for (int i = 0; i < options.groups() && people.size() >= 3; i++) {
            Community community = lively.isEmpty() || fake.chance(0.2) ? null : fake.pick(lively);
            List<Person> pool = new ArrayList<>(community == null ? people : community.members());
            Collections.shuffle(pool, fake.random());
            Person creator = pool.get(0);
            List<Person> others = pool.subList(1, Math.min(pool.size(), 1 + fake.between(2, 7)));
            var topic = FakeContent.topic(community == null ? fake.pick(creator.interests()) : community.tags().get(0));
            planned.add(new Plan(creator, community, new ArrayList<>(others), topic));
        }
        phase("groups", planned, plan -> {
            String path = plan.community() == null ? "/api/v1/usergroups"
                    : "/api/v1/communities/" + plan.community().id() + "/usergroups";
            var reply = plan.creator().api().post(path, Map.of("name", fake.groupName(plan.topic()),
                    "memberIds", plan.others().stream().map(Person::id).toList()));
            if (!reply.ok()) {
                return failure(reply);
            }
            List<Person> members = new ArrayList<>(plan.others());
            members.add(plan.creator());
            groups.add(new Group(createdId(reply), plan.topic(), members));
            return plan;
        });
    }

    /** Posts of one kind; {@code media} uploads what a post carries (as its author), or nothing. */
    private void posts(String label, long count, Supplier<List<GeneratedMedia>> media) {
        record Plan(Person author, Community community, FakeContent.Post post, List<GeneratedMedia> media) {}
        List<Person> members = people.stream().filter(p -> !p.communities().isEmpty()).toList();
        List<Plan> planned = new ArrayList<>();
        for (long i = 0; i < count && !members.isEmpty(); i++) {
            Person author = fake.pick(members);
            Community community = fake.pick(author.communities());
            planned.add(new Plan(author, community, fake.post(FakeContent.topic(community.tags().get(0))), media.get()));
        }
        phase(label, planned, plan -> {
            List<UUID> mediaIds = new ArrayList<>();
            for (GeneratedMedia file : plan.media()) {
                var uploaded = plan.author().api().upload("/api/v1/media", file.filename(), file.contentType(), file.bytes());
                if (!uploaded.ok()) {
                    return failure(uploaded);
                }
                mediaIds.add(uploaded.id());
                if (file.poster() != null) {
                    var poster = plan.author().api().upload("/api/v1/media?poster=" + uploaded.id(), "poster.jpg",
                            "image/jpeg", file.poster());
                    if (!poster.ok()) {
                        return failure(poster);
                    }
                }
            }
            Map<String, Object> body = new HashMap<>(Map.of("title", plan.post().title(), "body", plan.post().body(),
                    "tags", plan.post().tags()));
            if (!mediaIds.isEmpty()) {
                body.put("mediaIds", mediaIds);
            }
            var reply = plan.author().api().post("/api/v1/communities/" + plan.community().id() + "/posts", body);
            if (!reply.ok()) {
                return failure(reply);
            }
            posts.add(new Post(createdId(reply), plan.community(), plan.post().tags(), new CopyOnWriteArrayList<>()));
            return plan;
        });
    }

    /** {@code poster}: the image a video shows before it plays (null for an image). */
    record GeneratedMedia(byte[] bytes, String filename, String contentType, byte[] poster) {}

    private List<GeneratedMedia> images() {
        List<GeneratedMedia> images = new ArrayList<>();
        for (int i = fake.between(1, 3); i > 0; i--) {
            var image = GeneratedImages.draw(fake.random());
            images.add(new GeneratedMedia(image.bytes(), image.filename(), image.contentType(), null));
        }
        return images;
    }

    private List<GeneratedMedia> videos() {
        return List.of(new GeneratedMedia(video, "clip.webm", "video/webm", videoPoster));
    }

    /** Threads: most comments answer the post, the rest answer an earlier comment (a second wave). */
    private void comments(long count) {
        record Plan(Person author, Post post, String body, boolean reply) {}
        List<Plan> planned = new ArrayList<>();
        for (long i = 0; i < count && !posts.isEmpty(); i++) {
            Post post = fake.pick(posts);
            planned.add(new Plan(fake.pick(post.community().members()), post,
                    fake.comment(FakeContent.topic(post.tags().get(0))), fake.chance(0.4)));
        }
        Function<Plan, Object> comment = plan -> {
            List<UUID> earlier = plan.post().comments();
            Map<String, Object> body = new HashMap<>(Map.of("body", plan.body()));
            if (plan.reply() && !earlier.isEmpty()) {
                body.put("parentId", earlier.get(Math.floorMod(plan.body().hashCode(), earlier.size())));
            }
            var reply = plan.author().api().post("/api/v1/posts/" + plan.post().id() + "/comments", body);
            if (!reply.ok()) {
                return failure(reply);
            }
            earlier.add(createdId(reply));
            return plan;
        };
        List<Plan> first = planned.stream().filter(p -> !p.reply()).toList();
        List<Plan> second = planned.stream().filter(Plan::reply).toList();
        try (Progress progress = new Progress("comments", planned.size(), out)) {
            run(first, comment, progress);
            run(second, comment, progress);
            finished.add(progress);
        }
    }

    /** People like what matches their interests, and dislike some of what does not. */
    private void reactions(long count) {
        record Plan(Person person, Post post, String kind) {}
        List<Plan> planned = new ArrayList<>();
        for (long i = 0; i < count && !posts.isEmpty(); i++) {
            Post post = fake.pick(posts);
            Person person = fake.pick(post.community().members());
            boolean matches = post.tags().stream().anyMatch(person.interests()::contains);
            planned.add(new Plan(person, post, fake.chance(matches ? 0.92 : 0.65) ? "like" : "dislike"));
        }
        phase("reactions", planned, plan -> {
            var reply = plan.person().api().put("/api/v1/posts/" + plan.post().id() + "/reaction", Map.of("kind", plan.kind()));
            return reply.ok() ? plan : failure(reply);
        });
    }

    /** Public posts shared into another community of the sharer's. */
    private void shares(long count) {
        record Plan(Person person, Post post, Community into) {}
        List<Plan> planned = new ArrayList<>();
        List<Post> shareable = posts.stream().filter(p -> p.community().open()).toList();
        for (long i = 0; i < count * 4 && planned.size() < count && !shareable.isEmpty(); i++) {
            Post post = fake.pick(shareable);
            Person person = fake.pick(post.community().members());
            List<Community> elsewhere = person.communities().stream().filter(c -> c != post.community()).toList();
            if (!elsewhere.isEmpty()) {
                planned.add(new Plan(person, post, fake.pick(elsewhere)));
            }
        }
        phase("shares", planned, plan -> {
            var reply = plan.person().api().post("/api/v1/posts/" + plan.post().id() + "/shares",
                    Map.of("communityId", plan.into().id(), "comment", "Worth a read"));
            return reply.ok() ? plan : failure(reply);
        });
    }

    /** Half in user-groups, half direct between people who share a community. */
    private void messages(long count) {
        record Plan(Person sender, Group group, Person to, String body) {}
        List<Plan> planned = new ArrayList<>();
        List<Community> shared = communities.stream().filter(c -> c.members().size() >= 2).toList();
        for (long i = 0; i < count && (!groups.isEmpty() || !shared.isEmpty()); i++) {
            if (!groups.isEmpty() && (shared.isEmpty() || fake.chance(0.5))) {
                Group group = fake.pick(groups);
                planned.add(new Plan(fake.pick(group.members()), group, null, fake.message(group.topic())));
            } else {
                Community community = fake.pick(shared);
                Person sender = fake.pick(community.members());
                Person to = fake.pick(community.members());
                if (to != sender) {
                    planned.add(new Plan(sender, null, to, fake.message(FakeContent.topic(community.tags().get(0)))));
                }
            }
        }
        phase("messages", planned, plan -> {
            UUID room;
            if (plan.group() != null) {
                room = plan.group().id();
            } else {
                String pair = plan.sender().id().compareTo(plan.to().id()) < 0 ? plan.sender().id() + ":" + plan.to().id()
                        : plan.to().id() + ":" + plan.sender().id();
                room = directRooms.get(pair);
                if (room == null) {
                    var opened = plan.sender().api().post("/api/v1/rooms/direct", Map.of("userId", plan.to().id()));
                    if (!opened.ok()) {
                        return failure(opened);
                    }
                    room = opened.id();
                    directRooms.put(pair, room);
                }
            }
            var reply = plan.sender().api().post("/api/v1/rooms/" + room + "/messages", Map.of("body", plan.body()));
            return reply.ok() ? plan : failure(reply);
        });
    }

    /** The communities made, in the order planned. */
    public List<UUID> communityIds() {
        return communities.stream().map(Community::id).toList();
    }

    /** The people who signed up. */
    public List<String> usernames() {
        return people.stream().map(Person::username).toList();
    }

    /** A failed request: counted by its reason for the summary. */
    private Object failure(Api.Response reply) {
        reasons.computeIfAbsent(reply.problem(), k -> new AtomicInteger()).incrementAndGet();
        return FAILED;
    }

    private static final Object FAILED = new Object();

    /** The id of what a write created: in the body when applied (201), at the end of its location when accepted (202). */
    static UUID createdId(Api.Response reply) {
        if (reply.body().path("id").isString()) {
            return UUID.fromString(reply.body().path("id").asString());
        }
        String location = reply.body().path("location").asString();
        return UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
    }

    /** Runs the work on the pool with a progress bar; answers what succeeded, in plan order. */
    @SuppressWarnings("unchecked")
    private <P, R> List<R> phase(String label, List<P> planned, Function<P, Object> action) {
        try (Progress progress = new Progress(label, planned.size(), out)) {
            List<R> done = (List<R>) run(planned, action, progress);
            finished.add(progress);
            return done;
        }
    }

    private <P> List<Object> run(List<P> planned, Function<P, Object> action, Progress progress) {
        List<Future<Object>> futures = new ArrayList<>();
        for (P plan : planned) {
            futures.add(pool.submit(() -> {
                Object result;
                try {
                    result = action.apply(plan);
                } catch (RuntimeException e) {
                    reasons.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
                    result = FAILED;
                }
                if (result == FAILED) {
                    progress.failed();
                } else {
                    progress.succeeded();
                }
                return result;
            }));
        }
        List<Object> done = new ArrayList<>();
        for (Future<Object> future : futures) {
            try {
                Object result = future.get();
                if (result != FAILED) {
                    done.add(result);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return done;
    }

    private long summary(double seconds) {
        out.println();
        out.printf("%-12s %10s %8s %9s %9s%n", "kind", "created", "failed", "seconds", "per s");
        long created = 0;
        long failed = 0;
        for (Progress p : finished) {
            out.printf("%-12s %,10d %,8d %9.1f %,9.0f%n", p.label(), p.ok(), p.failures(), p.seconds(), p.ok() / Math.max(p.seconds(), 1e-3));
            created += p.ok();
            failed += p.failures();
        }
        out.printf("%-12s %,10d %,8d %9.1f %,9.0f%n", "total", created, failed, seconds, created / Math.max(seconds, 1e-3));
        if (!reasons.isEmpty()) {
            Map<String, Integer> sorted = new LinkedHashMap<>();
            reasons.entrySet().stream().sorted((a, b) -> b.getValue().get() - a.getValue().get())
                    .forEach(e -> sorted.put(e.getKey(), e.getValue().get()));
            out.println("failures by cause: " + sorted);
        }
        out.printf("Seed %d; every generated user's password is the one given with --password (default %s).%n",
                options.seed(), SeedOptions.DEFAULT_PASSWORD);
        return failed;
    }
}
