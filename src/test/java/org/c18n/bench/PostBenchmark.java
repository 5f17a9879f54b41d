package org.c18n.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
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
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.c18n.client.Api;
import org.c18n.infra.EmbeddedKafkaBroker;
import org.c18n.eventlog.Event;
import org.c18n.infra.KafkaConnection;
import org.c18n.eventlog.Topics;
import org.c18n.eventlog.Uuids;
import org.c18n.post.PostEvents;
import tools.jackson.databind.json.JsonMapper;

/**
 * The posts benchmark of bench/README.md: post creation with read-your-writes for 64 clients;
 * feed reads for a community of 100,000 posts and for a home feed over 50 communities (the posts
 * are written straight into the log, as the data generator's fast path would, and projected by
 * the platform); upload throughput of 5 MB images.
 */
public final class PostBenchmark {
    static final JsonMapper json = JsonMapper.builder().build();

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(System.getProperty("bench.seconds", "15"));
        int bigCommunityPosts = Integer.parseInt(System.getProperty("bench.posts", "100000"));
        String jar = System.getProperty("bench.jar", "target/c18n.jar");
        Path dataDir = Files.createTempDirectory("c18n-post-bench");
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        int port = org.c18n.support.ChildPlatform.freePort();
        String base = "http://localhost:" + port;
        // Scrolls per second of each feed run: the rates of issue 14's figures (0 = as fast as the clients go).
        double communityRate = Double.parseDouble(System.getProperty("bench.communityRate", "406"));
        double homeRate = Double.parseDouble(System.getProperty("bench.homeRate", "133"));
        List<String> command = new ArrayList<>(List.of("java", "-Xmx1g"));
        command.addAll(org.c18n.support.ChildPlatform.JDK_OPTIONS);
        command.addAll(WriteBenchmark.options(System.getProperty("bench.javaOpts", "")));
        command.addAll(List.of("-jar", jar, "--c18n.data-dir=" + dataDir, "--server.port=" + port,
                "--c18n.admin.username=admin", "--c18n.admin.password=bench-admin-password"));
        Process platform = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Api admin = WriteBenchmark.awaitReady(base, platform);
            List<Api> clients = WriteBenchmark.clients(base, admin, 64);
            String authorId = clients.get(0).id();
            System.out.println("c18n posts benchmark (embedded default, " + Runtime.getRuntime().availableProcessors()
                    + " cores, " + seconds + " s per run)");

            // 1. Post creation, acknowledged and projected (201 with the post).
            String busy = clients.get(0).post("/api/v1/communities", Map.of("name", "Busy")).text("id");
            for (Api c : clients.subList(1, 64)) {
                c.post("/api/v1/communities/" + busy + "/join", null);
            }
            WriteBenchmark.run(clients.subList(0, 16), 3, (api, client, n, random) -> api.post(
                    "/api/v1/communities/" + busy + "/posts", Map.of("title", "Warm-up", "body", "Warm-up " + n)), null);
            System.out.println();
            System.out.println("post creation     clients  per s    p50 ms   p99 ms   201s     202s   errors");
            run("", clients, seconds, 0, null, (api, page) -> api.post("/api/v1/communities/" + busy + "/posts",
                    Map.of("title", "Benchmark", "body", "A post body of ordinary length, with *some* Markdown.")).status());

            // 2. Feeds: one community of N posts, and a home feed over 50 communities.
            String big = clients.get(0).post("/api/v1/communities", Map.of("name", "Big")).text("id");
            List<String> fifty = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String id = clients.get(0).post("/api/v1/communities", Map.of("name", "Home " + i)).text("id");
                fifty.add(id);
                for (Api c : clients.subList(1, 64)) {
                    c.post("/api/v1/communities/" + id + "/join", null);
                }
            }
            KafkaConnection bootstrap = new KafkaConnection(brokerAddress(dataDir), 6, (short) 1,
                    KafkaConnection.readProperties(EmbeddedKafkaBroker.clientPropertiesFile(dataDir.resolve("kafka"))));
            long started = System.nanoTime();
            Map<Integer, String> lastPerPartition = new java.util.HashMap<>();
            lastPerPartition.putAll(seed(bootstrap, UUID.fromString(authorId), List.of(big), bigCommunityPosts));
            lastPerPartition.putAll(seed(bootstrap, UUID.fromString(authorId), fifty, 50 * 400));
            for (String last : lastPerPartition.values()) {
                awaitPost(clients.get(0), last);
            }
            System.out.printf("%nseeded %,d posts straight into the log; projected in %.1f s%n",
                    bigCommunityPosts + 50 * 400, (System.nanoTime() - started) / 1e9);
            // The other readers (speed layer, search indexer) take in the seeded posts after the projector:
            // the feeds are measured once the node is quiet, not while it catches up.
            var cpu = new WriteBenchmark.Cpu(platform.toHandle(), dataDir);
            long settling = System.nanoTime();
            double settledAt = settle(cpu);
            System.out.printf("then the node settled (JVM + PostgreSQL below 25 %% of a core) in %.1f s (%.0f %% at the end)%n",
                    (System.nanoTime() - settling) / 1e9, settledAt);
            Random random = new Random(1);
            Scroll community = (api, page) -> pageThrough(api, "/api/v1/communities/" + big + "/posts?limit=20", random, page);
            Scroll home = (api, page) -> pageThrough(api, "/api/v1/feed?limit=20", random, page);
            // Warm-up (not measured): the JIT and PostgreSQL's caches meet the feed queries first here.
            run(null, clients.subList(0, 16), 5, 0, null, community);
            run(null, clients.subList(1, 17), 5, 0, null, home);
            System.out.println();
            System.out.println("feed reads        clients  per s    p50 ms   p99 ms   200s     errors"
                    + "   pages/s  page p50  page p99  server CPU µs/page (JVM + PostgreSQL)");
            run("community (" + bigCommunityPosts / 1000 + "k) ", clients, seconds, communityRate, cpu, community);
            run("home (50 comms)   ", clients.subList(1, 64), seconds, homeRate, cpu, home);
            System.out.println("(per s: scrolls, each a first page and 0-3 more by cursor; p50/p99 of a scroll and of a page,"
                    + " timed from when it was due" + (communityRate > 0 ? ", at a fixed rate)" : ")"));

            // 3. Uploads of 5 MB images (distinct content, so each is hashed, stored and thumbnailed).
            List<byte[]> images = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                images.add(noiseImage(i));
            }
            long bytes = images.stream().mapToLong(b -> b.length).sum();
            started = System.nanoTime();
            CountDownLatch done = new CountDownLatch(4);
            AtomicLong failed = new AtomicLong();
            for (int t = 0; t < 4; t++) {
                int from = t;
                WriteBenchmark.start(() -> {
                    for (int i = from; i < images.size(); i += 4) {
                        if (clients.get(from).upload("/api/v1/media", "photo.png", "image/png", images.get(i)).status() != 201) {
                            failed.incrementAndGet();
                        }
                    }
                    done.countDown();
                });
            }
            done.await();
            double secondsTaken = (System.nanoTime() - started) / 1e9;
            System.out.printf("%nuploads: %d images of %.1f MB on average, 4 clients: %.1f MB/s (%.1f uploads/s), %d failed%n",
                    images.size(), bytes / 1e6 / images.size(), bytes / 1e6 / secondsTaken, images.size() / secondsTaken,
                    failed.get());
        } finally {
            platform.destroy();
            platform.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** One unit of load; {@code page} is told how long each page request took, in ns. */
    interface Scroll {
        int read(Api api, java.util.function.LongConsumer page);
    }

    /** Reads a first page and follows the cursor a few pages deep, like a person scrolling. */
    static int pageThrough(Api api, String first, Random random, java.util.function.LongConsumer pageNanos) {
        long t0 = System.nanoTime();
        var page = api.get(first);
        pageNanos.accept(System.nanoTime() - t0);
        int depth = random.nextInt(4);
        for (int i = 0; i < depth && page.status() == 200 && !page.body().path("nextCursor").isNull(); i++) {
            t0 = System.nanoTime();
            page = api.get(first + "&cursor=" + page.body().path("nextCursor").asString());
            pageNanos.accept(System.nanoTime() - t0);
        }
        return page.status();
    }

    /**
     * Runs the clients for {@code seconds}. At a {@code rate} (per second, over all clients) each
     * client starts its requests on a fixed schedule and a request's time counts from when it was
     * due, so a server that falls behind shows as latency; at rate 0 each client sends its next
     * request when the last is answered. A null label is a warm-up: nothing printed.
     */
    static void run(String label, List<Api> clients, int seconds, double rate, WriteBenchmark.Cpu cpu, Scroll request)
            throws InterruptedException {
        List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
        List<long[]> pageLatencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong ok = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long[] cpuBefore = cpu == null ? null : cpu.now();
        long machineBefore = machineBusyTicks();
        long begin = System.nanoTime();
        long end = begin + seconds * 1_000_000_000L;
        long interval = rate > 0 ? (long) (clients.size() * 1e9 / rate) : 0;
        CountDownLatch done = new CountDownLatch(clients.size());
        for (int c = 0; c < clients.size(); c++) {
            Api api = clients.get(c);
            long firstDue = begin + interval * c / clients.size();
            WriteBenchmark.start(() -> {
                long[] mine = new long[1_000_000];
                long[] pages = new long[4_000_000];
                int[] p = {0};
                int n = 0;
                long due = firstDue;
                while (n < mine.length) {
                    long now = System.nanoTime();
                    if (interval > 0) {
                        if (due >= end) {
                            break;
                        }
                        if (due > now) {
                            java.util.concurrent.locks.LockSupport.parkNanos(due - now);
                        }
                    } else if (now >= end) {
                        break;
                    }
                    long t0 = interval > 0 ? due : System.nanoTime();
                    int status = request.read(api, ns -> {
                        if (p[0] < pages.length) {
                            pages[p[0]++] = ns;
                        }
                    });
                    mine[n++] = System.nanoTime() - t0;
                    due += interval;
                    if (status == 200 || status == 201) {
                        ok.incrementAndGet();
                    } else if (status == 202) {
                        accepted.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                    }
                }
                latencies.add(Arrays.copyOf(mine, n));
                pageLatencies.add(Arrays.copyOf(pages, p[0]));
                done.countDown();
            });
        }
        done.await();
        if (label == null) {
            return;
        }
        double elapsed = Math.max(seconds, (System.nanoTime() - begin) / 1e9);
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("%-18s%7d  %7.0f  %7.1f  %7.1f  %6d  %7s  %6d", label, clients.size(),
                all.length / elapsed, WriteBenchmark.percentile(all, 0.50), WriteBenchmark.percentile(all, 0.99),
                ok.get(), label.isEmpty() ? String.valueOf(accepted.get()) : "", errors.get());
        if (cpu != null) {
            long[] cpuAfter = cpu.now();
            long[] pages = pageLatencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            double tickMicros = 1e6 / 100; // USER_HZ
            double jvm = (cpuAfter[0] - cpuBefore[0]) * tickMicros / Math.max(1, pages.length);
            double pg = (cpuAfter[1] - cpuBefore[1]) * tickMicros / Math.max(1, pages.length);
            // The whole machine's busy time shows what else ran (the load generator, other work).
            double machine = (machineBusyTicks() - machineBefore) / elapsed;
            double platform = (cpuAfter[0] - cpuBefore[0] + cpuAfter[1] - cpuBefore[1]) / elapsed;
            System.out.printf("  %8.0f  %8.1f  %8.1f  %7.0f (%.0f + %.0f)   machine %.0f %%, platform %.0f %% of a core",
                    pages.length / elapsed, WriteBenchmark.percentile(pages, 0.50), WriteBenchmark.percentile(pages, 0.99),
                    jvm + pg, jvm, pg, machine, platform);
        }
        System.out.println();
    }

    /**
     * Writes {@code count} post.created events round-robin over the communities; returns the last
     * post's id in each partition (all are projected once each of these is).
     */
    static Map<Integer, String> seed(KafkaConnection bootstrap, UUID author, List<String> communities, int count) throws Exception {
        return seed(bootstrap, author, communities, count, i -> new String[] {"Seeded post " + i,
                "Body of seeded post " + i + ", long enough to look like a real one in a feed."});
    }

    /** Writes {@code count} posts straight into the log; {@code text} gives post i's title and body. */
    static Map<Integer, String> seed(KafkaConnection bootstrap, UUID author, List<String> communities, int count,
                                     java.util.function.IntFunction<String[]> text) throws Exception {
        Properties props = bootstrap.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        Map<Integer, String> last = new java.util.HashMap<>();
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                UUID id = Uuids.v7();
                UUID community = UUID.fromString(communities.get(i % communities.size()));
                String[] titleAndBody = text.apply(i);
                var data = new PostEvents.Created(id, community, null, author, titleAndBody[0], titleAndBody[1],
                        List.of("seed"), List.of(), false);
                Event event = new Event(Uuids.v7(), PostEvents.CREATED, 1, Instant.now().truncatedTo(ChronoUnit.MICROS),
                        author, id.toString(), json.valueToTree(data));
                producer.send(new ProducerRecord<>(Topics.POSTS, null, event.at().toEpochMilli(), id.toString(),
                        json.writeValueAsString(event)));
                last.put(org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                        id.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))) % 6, id.toString());
            }
            producer.flush();
        }
        return last;
    }

    static void awaitPost(Api api, String id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 600_000;
        while (api.get("/api/v1/posts/" + id).status() != 200) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("seeded posts not projected within 10 minutes");
            }
            Thread.sleep(500);
        }
    }

    /** Waits (at most 3 minutes) until the platform uses under 25 % of a core over 2 s; answers its last share. */
    static double settle(WriteBenchmark.Cpu cpu) throws InterruptedException {
        long deadline = System.nanoTime() + 180_000_000_000L;
        double percent;
        do {
            long[] before = cpu.now();
            Thread.sleep(2000);
            long[] after = cpu.now();
            percent = (after[0] - before[0] + after[1] - before[1]) / 2.0; // ticks of 10 ms over 2 s
        } while (percent >= 25 && System.nanoTime() < deadline);
        return percent;
    }

    /** Busy clock ticks of all cores since boot (/proc/stat: user, nice, system, irq, softirq, steal). */
    static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + Long.parseLong(f[8]);
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The embedded broker writes its address beside its data (its log goes to the platform's log file). */
    static String brokerAddress(Path dataDir) throws Exception {
        return Files.readString(EmbeddedKafkaBroker.addressFile(dataDir.resolve("kafka"))).strip();
    }

    /** A PNG of random pixels: it does not compress, so 1,290 × 1,290 is about 5 MB. */
    static byte[] noiseImage(int seed) throws Exception {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(1290, 1290, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
