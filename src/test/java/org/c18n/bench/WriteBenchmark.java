package org.c18n.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.c18n.client.Api;

/**
 * The write benchmark of bench/README.md: starts the platform as a user would (embedded default,
 * fresh data dir, its own JVM, default settings), then measures the writes people make most —
 * posts, comments and reactions by distinct users into shared communities — each answered with
 * read-your-writes (201/200 once projected), at 1, 16 and 64 concurrent clients after a warm-up:
 * acknowledged writes per second, latency percentiles, and the server CPU (the JVM and every
 * PostgreSQL process, from /proc) per acknowledged write, which does not depend on the load
 * generator. Then replays the log just written to time the projector alone.
 */
public final class WriteBenchmark {
    static final int COMMUNITIES = 4;
    static final int USERS = 64;

    /** One kind of write: what a client sends, given its number and a sequence number. */
    interface Write {
        Api.Response send(Api api, int client, int n, ThreadLocalRandom random);
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(System.getProperty("bench.seconds", "10"));
        // The optimising compiler takes the first minutes after a start (bench/README.md, "A warm-up, and Java 25").
        int warmUp = Integer.parseInt(System.getProperty("bench.warmup", "40"));
        String jar = System.getProperty("bench.jar", "target/c18n.jar");
        Path dataDir = Files.createTempDirectory("c18n-bench");
        int port = org.c18n.support.ChildPlatform.freePort();
        String base = "http://localhost:" + port;

        long started = System.nanoTime();
        List<String> command = new ArrayList<>(List.of("java", "-Xmx1g"));
        command.addAll(org.c18n.support.ChildPlatform.JDK_OPTIONS);
        command.addAll(options(System.getProperty("bench.javaOpts", "")));
        command.addAll(List.of("-jar", jar, "--c18n.data-dir=" + dataDir, "--server.port=" + port,
                "--c18n.admin.username=admin", "--c18n.admin.password=bench-admin-password"));
        Process platform = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile())
                .start();
        try {
            Api admin = awaitReady(base, platform);
            double startup = (System.nanoTime() - started) / 1e9;
            Thread.sleep(5000);
            System.out.println("c18n write benchmark (embedded default, " + Runtime.getRuntime().availableProcessors()
                    + " cores, " + jar + ")");
            System.out.printf("startup to ready (first start, fresh data dir): %.1f s%n", startup);
            System.out.printf("idle RSS: JVM %d MB, PostgreSQL processes %d MB%n", rssMb(platform.toHandle()),
                    postgresRssMb(dataDir));

            List<Api> clients = clients(base, admin, USERS);
            List<UUID> communities = new ArrayList<>();
            for (int c = 0; c < COMMUNITIES; c++) {
                var created = admin.post("/api/v1/communities", Map.of("name", "Bench community " + c));
                communities.add(created.id());
            }
            for (int i = 0; i < clients.size(); i++) {
                var joined = clients.get(i).post("/api/v1/communities/" + communities.get(i % COMMUNITIES) + "/join", null);
                if (joined.status() != 200) {
                    throw new IllegalStateException("joining: " + joined);
                }
            }
            // Posts each community's members comment on and react to: filled by the posts' warm-up and runs.
            List<List<UUID>> postsOf = new ArrayList<>();
            for (int c = 0; c < COMMUNITIES; c++) {
                postsOf.add(new java.util.concurrent.CopyOnWriteArrayList<>());
            }
            Write post = (api, client, n, random) -> {
                int community = client % COMMUNITIES;
                var response = api.post("/api/v1/communities/" + communities.get(community) + "/posts",
                        Map.of("title", "Post " + n + " of member " + client, "body", BODY));
                if (response.status() == 201 && postsOf.get(community).size() < 2000) {
                    postsOf.get(community).add(response.id());
                }
                return response;
            };
            Write comment = (api, client, n, random) -> {
                List<UUID> candidates = postsOf.get(client % COMMUNITIES);
                return api.post("/api/v1/posts/" + candidates.get(random.nextInt(candidates.size())) + "/comments",
                        Map.of("body", "Comment " + n + " of member " + client + ": " + BODY.substring(0, 80)));
            };
            // Every reaction changes the member's reaction to that post (like <-> dislike): no no-op writes.
            List<Map<UUID, String>> reactionsOf = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                reactionsOf.add(new java.util.HashMap<>());
            }
            Write reaction = (api, client, n, random) -> {
                List<UUID> candidates = postsOf.get(client % COMMUNITIES);
                UUID target = candidates.get(random.nextInt(candidates.size()));
                String kind = reactionsOf.get(client).merge(target, "like", (old, x) -> old.equals("like") ? "dislike" : "like");
                return api.put("/api/v1/posts/" + target + "/reaction", Map.of("kind", kind));
            };

            ProcessHandle jvm = platform.toHandle();
            System.out.println();
            System.out.println("warm-up: " + warmUp + " s of each kind at 16 clients (not measured)");
            for (Write write : List.of(post, comment, reaction)) {
                run(clients.subList(0, 16), warmUp, write, null);
            }
            System.out.println();
            System.out.println("write     clients  writes/s   p50 ms   p99 ms     ok    202s  errors   server CPU µs/write (JVM + PostgreSQL)");
            for (var kind : List.of(Map.entry("post", post), Map.entry("comment", comment), Map.entry("reaction", reaction))) {
                for (int concurrency : new int[] {1, 16, 64}) {
                    System.out.printf("%-9s", kind.getKey());
                    run(clients.subList(0, concurrency), seconds, kind.getValue(), new Cpu(jvm, dataDir));
                }
            }
            System.out.printf("after the runs: JVM RSS %d MB, PostgreSQL %d MB%n", rssMb(platform.toHandle()),
                    postgresRssMb(dataDir));
        } finally {
            platform.destroy();
            platform.waitFor(30, TimeUnit.SECONDS);
        }
        // Where the time goes: the projector alone, fed the same log by replay (no HTTP, no waiting).
        System.out.println();
        System.out.println("projection capacity (c18n replay of the log just written):");
        List<String> replayCommand = new ArrayList<>(List.of("java", "-Xmx1g"));
        replayCommand.addAll(org.c18n.support.ChildPlatform.JDK_OPTIONS);
        replayCommand.addAll(options(System.getProperty("bench.replayJavaOpts", "")));
        replayCommand.addAll(List.of("-jar", jar, "replay", "--c18n.data-dir=" + dataDir));
        Process replay = new ProcessBuilder(replayCommand).redirectErrorStream(true).start();
        try (var output = new java.io.BufferedReader(new java.io.InputStreamReader(replay.getInputStream()))) {
            output.lines().filter(l -> l.startsWith("Replayed")).forEach(l -> System.out.println("  " + l));
        }
        replay.waitFor();
    }

    static final String BODY = "A post of a realistic length, a few sentences about what the member saw today and "
            + "what they think of it, with a question at the end for the others in the community to answer?";

    static List<String> options(String javaOpts) {
        return javaOpts.isBlank() ? List.of() : List.of(javaOpts.trim().split("\\s+"));
    }

    /** CPU time (user + system) of the platform's JVM and of every PostgreSQL process, in clock ticks. */
    record Cpu(ProcessHandle jvm, Path dataDir) {
        long[] now() {
            long pg = 0;
            try {
                long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
                ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
                // Exited backends are counted in the postmaster's cutime/cstime once it has reaped them.
                pg = ticks(pid, true) + postmaster.descendants().mapToLong(p -> ticks(p.pid(), false)).sum();
            } catch (IOException | RuntimeException e) {
                pg = -1;
            }
            return new long[] {ticks(jvm.pid(), false), pg};
        }

        static long ticks(long pid, boolean withChildren) {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                return withChildren ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
            } catch (IOException | RuntimeException gone) {
                return 0;
            }
        }
    }

    static void run(List<Api> clients, int seconds, Write write, Cpu cpu) throws InterruptedException {
        List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong ok = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long[] cpuBefore = cpu == null ? null : cpu.now();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(clients.size());
        for (int c = 0; c < clients.size(); c++) {
            Api api = clients.get(c);
            int client = c;
            start(() -> {
                long[] mine = new long[2_000_000];
                int n = 0;
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < end && n < mine.length) {
                    long t0 = System.nanoTime();
                    var response = write.send(api, client, n, random);
                    mine[n++] = System.nanoTime() - t0;
                    switch (response.status()) {
                        case 200, 201 -> ok.incrementAndGet();
                        case 202 -> accepted.incrementAndGet();
                        default -> errors.incrementAndGet();
                    }
                }
                latencies.add(java.util.Arrays.copyOf(mine, n));
                done.countDown();
            });
        }
        done.await();
        if (cpu == null) {
            return;
        }
        long[] cpuAfter = cpu.now();
        long[] all = latencies.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
        double tickMicros = 1e6 / 100; // USER_HZ
        long acknowledged = Math.max(1, ok.get());
        double jvmMicros = (cpuAfter[0] - cpuBefore[0]) * tickMicros / acknowledged;
        double pgMicros = (cpuAfter[1] - cpuBefore[1]) * tickMicros / acknowledged;
        System.out.printf("%7d  %8.0f  %7.1f  %7.1f  %6d  %6d  %6d   %7.0f (%.0f + %.0f)%n", clients.size(),
                all.length / (double) seconds, percentile(all, 0.50), percentile(all, 0.99), ok.get(), accepted.get(),
                errors.get(), jvmMicros + pgMicros, jvmMicros, pgMicros);
    }

    static Thread start(Runnable work) {
        Thread thread = new Thread(work);
        thread.start();
        return thread;
    }

    static List<Api> clients(String base, Api admin, int count) {
        List<Map<String, String>> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            users.add(Map.of("username", "bench" + i, "email", "bench" + i + "@example.org", "password", "bench-password"));
        }
        var bulk = admin.post("/api/v1/admin/users", Map.of("users", users));
        if (bulk.status() != 201) {
            throw new IllegalStateException("creating bench users: " + bulk);
        }
        List<Api> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // Minted tokens: the login rate limit is not what this benchmark measures.
            String id = bulk.body().path("results").get(i).path("id").asString();
            clients.add(new Api(base).token(admin.post("/api/v1/admin/users/" + id + "/token", null).text("accessToken")));
        }
        return clients;
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    static Api awaitReady(String base, Process platform) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            if (!platform.isAlive()) {
                throw new IllegalStateException("the platform exited during startup");
            }
            try {
                Api admin = new Api(base);
                if (admin.post("/api/v1/auth/login", Map.of("username", "admin", "password", "bench-admin-password"))
                        .status() == 200) {
                    return admin.login("admin", "bench-admin-password");
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("not ready in 180 s");
    }

    static long rssMb(ProcessHandle process) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", ""))
                    .mapToLong(Long::parseLong).sum() / 1024;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The embedded PostgreSQL runs detached from the JVM (pg_ctl): find it by its pid file. */
    static long postgresRssMb(Path dataDir) {
        try {
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
            return ProcessHandle.of(pid).map(p -> rssMb(p) + p.descendants().mapToLong(WriteBenchmark::rssMb)
                    .filter(v -> v > 0).sum()).orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
