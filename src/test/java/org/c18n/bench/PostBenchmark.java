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
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        Process platform = new ProcessBuilder("java", "-Xmx1g", "-jar", jar, "--c18n.data-dir=" + dataDir,
                "--server.port=" + port, "--c18n.admin.username=admin", "--c18n.admin.password=bench-admin-password")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
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
            run("", clients, seconds, (api) -> api.post("/api/v1/communities/" + busy + "/posts",
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
            KafkaConnection bootstrap = new KafkaConnection(brokerAddress(log), 6, (short) 1,
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
            System.out.println();
            System.out.println("feed reads        clients  per s    p50 ms   p99 ms   200s     errors");
            Random random = new Random(1);
            run("community (" + bigCommunityPosts / 1000 + "k) ", clients, seconds, (api) ->
                    pageThrough(api, "/api/v1/communities/" + big + "/posts?limit=20", random));
            run("home (50 comms)   ", clients.subList(1, 64), seconds, (api) ->
                    pageThrough(api, "/api/v1/feed?limit=20", random));

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

    /** Reads a first page and follows the cursor a few pages deep, like a person scrolling. */
    static int pageThrough(Api api, String first, Random random) {
        var page = api.get(first);
        int depth = random.nextInt(4);
        for (int i = 0; i < depth && page.status() == 200 && !page.body().path("nextCursor").isNull(); i++) {
            page = api.get(first + "&cursor=" + page.body().path("nextCursor").asString());
        }
        return page.status();
    }

    static void run(String label, List<Api> clients, int seconds, Function<Api, Integer> request)
            throws InterruptedException {
        List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong ok = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(clients.size());
        for (Api api : clients) {
            WriteBenchmark.start(() -> {
                long[] mine = new long[1_000_000];
                int n = 0;
                while (System.nanoTime() < end && n < mine.length) {
                    long t0 = System.nanoTime();
                    int status = request.apply(api);
                    mine[n++] = System.nanoTime() - t0;
                    if (status == 200 || status == 201) {
                        ok.incrementAndGet();
                    } else if (status == 202) {
                        accepted.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                    }
                }
                latencies.add(Arrays.copyOf(mine, n));
                done.countDown();
            });
        }
        done.await();
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("%-18s%7d  %7.0f  %7.1f  %7.1f  %6d  %7s  %6d%n", label, clients.size(),
                all.length / (double) seconds, WriteBenchmark.percentile(all, 0.50), WriteBenchmark.percentile(all, 0.99),
                ok.get(), label.isEmpty() ? String.valueOf(accepted.get()) : "", errors.get());
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

    static String brokerAddress(Path log) throws Exception {
        Matcher m = Pattern.compile("Kafka broker ready at (\\S+)").matcher(Files.readString(log));
        if (!m.find()) {
            throw new IllegalStateException("broker address not in " + log);
        }
        return m.group(1);
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
