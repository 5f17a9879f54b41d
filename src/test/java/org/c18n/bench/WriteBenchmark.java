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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.c18n.client.Api;

/**
 * The write benchmark of bench/README.md: starts the platform as a user would (embedded default,
 * fresh data dir, its own JVM), then reports startup time to ready, idle memory, and
 * acknowledged writes per second with read-your-writes, with latency percentiles, for 1, 16 and
 * 64 concurrent clients. Each write creates a community (a command through the log, answered 201
 * once projected).
 */
public final class WriteBenchmark {
    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(System.getProperty("bench.seconds", "15"));
        String jar = System.getProperty("bench.jar", "target/c18n.jar");
        Path dataDir = Files.createTempDirectory("c18n-bench");
        int port = org.c18n.support.ChildPlatform.freePort();
        String base = "http://localhost:" + port;

        long started = System.nanoTime();
        List<String> command = new ArrayList<>(List.of("java", "-Xmx1g"));
        String javaOpts = System.getProperty("bench.javaOpts", "");
        if (!javaOpts.isBlank()) {
            command.addAll(List.of(javaOpts.trim().split("\\s+")));
        }
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
                    + " cores)");
            System.out.printf("startup to ready (first start, fresh data dir): %.1f s%n", startup);
            System.out.printf("idle RSS: JVM %d MB, PostgreSQL processes %d MB%n", rssMb(platform.toHandle()),
                    postgresRssMb(dataDir));

            List<Api> clients = clients(base, admin, 64);
            warmUp(clients.subList(0, 16), 3);
            System.out.println();
            System.out.println("clients  writes/s   p50 ms   p99 ms   201s     202s   errors");
            for (int concurrency : new int[] {1, 16, 64}) {
                run(clients.subList(0, concurrency), seconds);
            }
            System.out.printf("after the runs: JVM RSS %d MB, PostgreSQL %d MB%n", rssMb(platform.toHandle()),
                    postgresRssMb(dataDir));
        } finally {
            platform.destroy();
            platform.waitFor(30, TimeUnit.SECONDS);
        }
        // Where the time goes: the projector alone, fed the same log by replay (no HTTP, no waiting).
        System.out.println();
        System.out.println("projection capacity (c18n replay of the log just written, one thread):");
        Process replay = new ProcessBuilder("java", "-Xmx1g", "-jar", jar, "replay", "--c18n.data-dir=" + dataDir)
                .redirectErrorStream(true).start();
        try (var output = new java.io.BufferedReader(new java.io.InputStreamReader(replay.getInputStream()))) {
            output.lines().filter(l -> l.startsWith("Replayed")).forEach(l -> System.out.println("  " + l));
        }
        replay.waitFor();
    }

    static void run(List<Api> clients, int seconds) throws InterruptedException {
        List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong created = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(clients.size());
        String runId = UUID.randomUUID().toString().substring(0, 6);
        for (int c = 0; c < clients.size(); c++) {
            Api api = clients.get(c);
            int client = c;
            start(() -> {
                long[] mine = new long[2_000_000];
                int n = 0;
                while (System.nanoTime() < end && n < mine.length) {
                    long t0 = System.nanoTime();
                    var response = api.post("/api/v1/communities",
                            Map.of("name", "Bench " + runId + " " + client + " " + n));
                    mine[n++] = System.nanoTime() - t0;
                    switch (response.status()) {
                        case 201 -> created.incrementAndGet();
                        case 202 -> accepted.incrementAndGet();
                        default -> errors.incrementAndGet();
                    }
                }
                latencies.add(java.util.Arrays.copyOf(mine, n));
                done.countDown();
            });
        }
        done.await();
        long[] all = latencies.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
        System.out.printf("%7d  %8.0f  %7.1f  %7.1f  %6d  %7d  %7d%n", clients.size(), all.length / (double) seconds,
                percentile(all, 0.50), percentile(all, 0.99), created.get(), accepted.get(), errors.get());
    }

    static void warmUp(List<Api> clients, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients.size(); c++) {
            Api api = clients.get(c);
            int client = c;
            threads.add(start(() -> {
                for (int n = 0; System.nanoTime() < end; n++) {
                    api.post("/api/v1/communities", Map.of("name", "Warmup " + client + " " + n));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
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
