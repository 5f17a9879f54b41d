package org.c18n.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.TermQuery;
import org.c18n.C18nApplication;
import org.c18n.client.Api;
import org.c18n.eventlog.Event;
import org.c18n.infra.KafkaConnection;
import org.c18n.eventlog.Topics;
import org.c18n.eventlog.Uuids;
import org.c18n.post.PostEvents;
import org.c18n.search.SearchIndex;
import org.c18n.search.SearchIndexer;
import org.c18n.support.Accounts;
import org.c18n.support.OpenSearchNode;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The search benchmark of bench/README.md, with the platform in this JVM (embedded default): N
 * generated posts written straight into the log and followed by the node's indexer; a rebuild of
 * the index from the log (the indexing rate); query latency of a term/phrase/prefix mix through
 * the HTTP API with 8 clients; freshness while posts arrive at 2,000/s.
 */
public final class SearchBenchmark {
    static final Random random = new Random(42);
    static final List<String> vocabulary = vocabulary(20_000);
    /** Posts written so far (phrases are taken from them). */
    static volatile int loaded;

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = java.util.Arrays.stream(System.getProperty("bench.posts", "1000000").split(","))
                .map(String::strip).map(Integer::parseInt).toList();
        int seconds = Integer.parseInt(System.getProperty("bench.seconds", "20"));
        Path dataDir = Files.createTempDirectory("c18n-search-bench");
        int port = org.c18n.support.ChildPlatform.freePort();
        System.out.println("c18n search benchmark (embedded default, in one JVM, " + Runtime.getRuntime().availableProcessors()
                + " cores, " + sizes + " posts)");
        boolean openSearch = System.getProperty("bench.backend", "lucene").equals("opensearch");
        List<String> settings = new ArrayList<>(List.of("--server.port=" + port, "--c18n.data-dir=" + dataDir,
                "--c18n.admin.username=admin", "--c18n.admin.password=bench-admin-password", "--logging.level.root=WARN"));
        String openSearchUrl = openSearch ? OpenSearchNode.get().url() : null;
        String prefix = "bench" + UUID.randomUUID().toString().substring(0, 8);
        if (openSearch) {
            settings.addAll(List.of("--c18n.search.backend=opensearch", "--c18n.search.opensearch.url=" + openSearchUrl,
                    "--c18n.search.opensearch.index-prefix=" + prefix));
            System.out.println("search backend: OpenSearch at " + openSearchUrl + " (a node of its own on the same cores)");
        }
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(C18nApplication.class).run(settings.toArray(String[]::new))) {
            String base = "http://localhost:" + port;
            Watched indexer = openSearch ? new OpenSearchAlias(openSearchUrl, prefix + "-search")
                    : new LuceneIndex(app.getBean(SearchIndexer.class));
            KafkaConnection bootstrap = app.getBean(KafkaConnection.class);
            Api client = Accounts.signedUp(base, "searcher" + UUID.randomUUID().toString().substring(0, 6));
            String community = client.post("/api/v1/communities", Map.of("name", "Library")).text("id");
            long before = indexer.size();
            List<Api> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                clients.add(new Api(base).token(client.token()));
            }

            for (int size : sizes) {
                // 1. Posts into the log up to this size; the live node projects them, then indexes them.
                int adding = size - loaded;
                long started = System.nanoTime();
                int first = loaded;
                PostBenchmark.seed(bootstrap, UUID.fromString(client.id()), List.of(community), adding, i -> post(first + i));
                double written = (System.nanoTime() - started) / 1e9;
                while (indexer.size() < before + size) {
                    Thread.sleep(200);
                    System.out.printf("\r  live index: %,d of %,d posts", indexer.size() - before, size);
                }
                loaded = size;
                double live = (System.nanoTime() - started) / 1e9;
                System.out.printf("%n%,d posts written to the log in %.1f s; projected and indexed by the live node in %.1f s "
                        + "(%,.0f posts/s, bounded by the projector it waits for)%n", adding, written, live, adding / live);
                System.out.printf("live index on disk: %,.0f MB%s%n", indexer.bytes() / 1e6, openSearch ? ""
                        : ", " + app.getBean(SearchIndexer.class).index().search(s -> s.getIndexReader().leaves().size()) + " segments");

                // 2. The same log indexed again from the start: the indexer's own rate (largest size only).
                if (size == sizes.get(sizes.size() - 1) && Boolean.parseBoolean(System.getProperty("bench.rebuild", "true"))) {
                    if (openSearch) {
                        rebuildOpenSearch(app.getBean(org.c18n.search.OpenSearchIndexer.class));
                    } else {
                        rebuild(app.getBean(SearchIndexer.class), dataDir);
                    }
                }

                // 3. Queries through the API, 8 clients.
                // Warm-up: the mix from the 8 clients for as long as one measured kind, not counted (the JIT).
                queries(clients, seconds, KINDS.length - 1, false);
                System.out.println();
                System.out.printf("queries at %,d posts (HTTP, 8 clients)   per s    p50 ms   p99 ms   errors%n", size);
                for (int kind = 0; kind < KINDS.length; kind++) {
                    queries(clients, seconds, kind, true);
                }
                if (size == sizes.get(0) && !openSearch) { // it measures this JVM's Lucene threads
                    chat(bootstrap, base, client, seconds);
                }
            }

            // 4. Freshness: posts arriving at 2,000/s; how long until each is searchable.
            freshness(bootstrap, indexer, UUID.fromString(client.id()), community, seconds);
        }
        org.springframework.util.FileSystemUtils.deleteRecursively(dataDir);
        System.exit(0);
    }

    /** The {@code replay} path of the OpenSearch backend: a new index from the whole log, then the alias moved to it. */
    static void rebuildOpenSearch(org.c18n.search.OpenSearchIndexer indexer) {
        long started = System.nanoTime();
        long documents = indexer.rebuild(n -> {
            if (n % 50_000 < 500) {
                System.out.printf("\r  rebuild: %,d events read", n);
            }
        });
        double took = (System.nanoTime() - started) / 1e9;
        System.out.printf("%nrebuild from the log into a new OpenSearch index: %,d documents in %.1f s = %,.0f docs/s%n",
                documents, took, documents / took);
    }

    /** What the benchmark watches of the index being measured: its size, and which documents are searchable. */
    interface Watched {
        long size();

        long bytes();

        java.util.Set<String> searchable(java.util.Collection<String> ids);
    }

    record LuceneIndex(SearchIndexer indexer) implements Watched {
        public long size() {
            return indexer.index().size();
        }

        public long bytes() {
            return indexer.index().sizeOnDisk();
        }

        public java.util.Set<String> searchable(java.util.Collection<String> ids) {
            return indexer.index().search(s -> {
                java.util.Set<String> found = new java.util.HashSet<>();
                for (String id : ids) {
                    try {
                        if (s.count(new TermQuery(new Term("id", id))) > 0) {
                            found.add(id);
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return found;
            });
        }
    }

    /** The OpenSearch alias, asked over HTTP as an operator would ({@code _count} is a search: refreshed documents only). */
    record OpenSearchAlias(String url, String alias) implements Watched {
        static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

        public long size() {
            return PostBenchmark.json.readTree(post("/_count", "{\"query\":{\"match_all\":{}}}")).path("count").asLong();
        }

        public long bytes() {
            String sizes = get("/_cat/indices/" + alias + "?h=store.size&bytes=b");
            return sizes.lines().filter(line -> !line.isBlank()).mapToLong(line -> Long.parseLong(line.strip())).sum();
        }

        /** One search for all the ids asked (a search sees refreshed documents only). */
        public java.util.Set<String> searchable(java.util.Collection<String> ids) {
            java.util.Set<String> found = new java.util.HashSet<>();
            if (ids.isEmpty()) {
                return found;
            }
            String query = PostBenchmark.json.writeValueAsString(Map.of("size", ids.size(), "_source", false,
                    "query", Map.of("ids", Map.of("values", List.copyOf(ids)))));
            PostBenchmark.json.readTree(post("/_search", query)).path("hits").path("hits")
                    .forEach(hit -> found.add(hit.path("_id").asString()));
            return found;
        }

        String post(String path, String body) {
            try {
                var response = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/" + alias + path))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 ? response.body() : "{}";
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "{}";
            }
        }

        String get(String path) {
            try {
                return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + path)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }
    }

    static void rebuild(SearchIndexer indexer, Path dataDir) {
        long started = System.nanoTime();
        try (SearchIndex rebuilt = indexer.rebuildInto(dataDir.resolve("search-rebuilt"), n -> {
            if (n % 50_000 < 500) {
                System.out.printf("\r  rebuild: %,d events read", n);
            }
        })) {
            double took = (System.nanoTime() - started) / 1e9;
            System.out.printf("%nrebuild from the log: %,d documents in %.1f s = %,.0f docs/s; %,.0f MB on disk (%,.0f bytes/doc)%n",
                    rebuilt.size(), took, rebuilt.size() / took, rebuilt.sizeOnDisk() / 1e6,
                    (double) rebuilt.sizeOnDisk() / rebuilt.size());
        }
    }

    static final String[] KINDS = {"term", "phrase", "prefix", "typo", "mix"};

    static void queries(List<Api> clients, int seconds, int kind, boolean report) throws InterruptedException {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        Map<String, java.util.concurrent.atomic.DoubleAdder> parts = new java.util.concurrent.ConcurrentSkipListMap<>();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(clients.size());
        for (int c = 0; c < clients.size(); c++) {
            Api api = clients.get(c);
            Random own = new Random(c);
            WriteBenchmark.start(() -> {
                while (System.nanoTime() < end) {
                    String q = query(kind == 4 ? own.nextInt(4) : kind);
                    long t = System.nanoTime();
                    var response = api.get("/api/v1/search?limit=10&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
                    latencies.add(System.nanoTime() - t);
                    if (response.status() != 200) {
                        errors.incrementAndGet();
                    }
                    String timing = response.header("Server-Timing");
                    for (String part : timing == null ? new String[0] : timing.split(",\\s*")) {
                        String[] nameAndDuration = part.split(";dur=");
                        if (nameAndDuration.length == 2) {
                            parts.computeIfAbsent(nameAndDuration[0], k -> new java.util.concurrent.atomic.DoubleAdder())
                                    .add(Double.parseDouble(nameAndDuration[1]));
                        }
                    }
                }
                done.countDown();
            });
        }
        done.await();
        if (!report) {
            return;
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        double mean = sorted.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
        StringBuilder split = new StringBuilder();
        double server = 0;
        for (var part : parts.entrySet()) {
            double each = part.getValue().sum() / Math.max(1, sorted.size());
            server += each;
            split.append(String.format("  %s %.2f", part.getKey(), each));
        }
        System.out.printf("%-26s %7.0f %8.1f %8.1f %8d   mean %.2f ms:%s  http+json+other %.2f%n", KINDS[kind],
                sorted.size() / (double) seconds, percentile(sorted, 0.50), percentile(sorted, 0.99), errors.get(), mean, split,
                mean - server);
    }

    /**
     * Chat at 100 messages/s for S seconds, written straight into the log: the CPU the search
     * indexer's thread and Lucene's merge threads spend on it (% of one core), from the JVM's
     * per-thread CPU time sampled every 100 ms (a merge thread that ends between samples loses its last part).
     */
    static void chat(KafkaConnection bootstrap, String base, Api client, int seconds) throws Exception {
        Api other = Accounts.signedUp(base, "chatter" + UUID.randomUUID().toString().substring(0, 6));
        UUID room = UUID.fromString(client.post("/api/v1/rooms/direct", Map.of("userId", other.id())).text("id"));
        UUID sender = UUID.fromString(client.id());
        Thread.sleep(1000);
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<Long, Long> startCpu = new java.util.HashMap<>();
        Map<Long, Long> lastCpu = new java.util.HashMap<>();
        Map<Long, String> names = new java.util.HashMap<>();
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        Runnable sample = () -> {
            for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info != null && (info.getThreadName().equals("c18n-search") || info.getThreadName().startsWith("Lucene Merge Thread"))) {
                    long cpu = threads.getThreadCpuTime(info.getThreadId());
                    if (cpu >= 0) {
                        startCpu.putIfAbsent(info.getThreadId(), first.get() ? cpu : 0L); // a thread born since counts whole
                        lastCpu.put(info.getThreadId(), cpu);
                        names.put(info.getThreadId(), info.getThreadName());
                    }
                }
            }
            first.set(false);
        };
        sample.run();
        Properties props = bootstrap.clientProperties();
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        var json = PostBenchmark.json;
        long started = System.nanoTime();
        long end = started + seconds * 1_000_000_000L;
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            long tick = System.nanoTime();
            for (int i = 0; System.nanoTime() < end; i++) {
                UUID id = Uuids.v7();
                var data = new org.c18n.chat.ChatEvents.MessageSent(id, room, sender, "bench", "message " + i + " " + post(i)[0],
                        null, List.of(), null, List.of(), List.of());
                Event event = new Event(Uuids.v7(), org.c18n.chat.ChatEvents.MESSAGE_SENT, 1,
                        Instant.now().truncatedTo(ChronoUnit.MICROS), sender, room.toString(), json.valueToTree(data));
                producer.send(new ProducerRecord<>(Topics.MESSAGES, null, event.at().toEpochMilli(), room.toString(),
                        json.writeValueAsString(event)));
                if (i % 10 == 0) {
                    sample.run();
                }
                tick += 10_000_000L;
                long sleep = tick - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        }
        sample.run();
        double wall = (System.nanoTime() - started) / 1e9;
        long indexer = 0;
        long merges = 0;
        for (var entry : lastCpu.entrySet()) {
            long used = entry.getValue() - startCpu.get(entry.getKey());
            if (names.get(entry.getKey()).equals("c18n-search")) {
                indexer += used;
            } else {
                merges += used;
            }
        }
        System.out.printf("chat at 100 messages/s for %d s: search indexer thread %.1f %% of a core, Lucene merge threads %.1f %%%n",
                seconds, indexer / 1e7 / wall, merges / 1e7 / wall);
    }

    static void freshness(KafkaConnection bootstrap, Watched indexer, UUID author, String community, int seconds)
            throws Exception {
        Properties props = bootstrap.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        Map<String, Long> waiting = new ConcurrentHashMap<>();
        List<Long> delays = Collections.synchronizedList(new ArrayList<>());
        AtomicLong sent = new AtomicLong();
        var json = PostBenchmark.json;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Thread prober = new Thread(() -> {
            while (System.nanoTime() < end + 5_000_000_000L && (System.nanoTime() < end || !waiting.isEmpty())) {
                for (String id : indexer.searchable(List.copyOf(waiting.keySet()))) {
                    Long at = waiting.remove(id);
                    if (at != null) {
                        delays.add(System.nanoTime() - at);
                    }
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        prober.start();
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            long tick = System.nanoTime();
            int i = 0;
            while (System.nanoTime() < end) {
                for (int k = 0; k < 20; k++, i++) {
                    UUID id = Uuids.v7();
                    String[] text = post(i);
                    var data = new PostEvents.Created(id, UUID.fromString(community), null, author, text[0], text[1],
                            List.of("fresh"), List.of(), false);
                    Event event = new Event(Uuids.v7(), PostEvents.CREATED, 1, Instant.now().truncatedTo(ChronoUnit.MICROS),
                            author, id.toString(), json.valueToTree(data));
                    boolean probe = i % 10 == 0;
                    long at = System.nanoTime();
                    producer.send(new ProducerRecord<>(Topics.POSTS, null, event.at().toEpochMilli(), id.toString(),
                            json.writeValueAsString(event)), (meta, error) -> {
                                if (error == null && probe) {
                                    waiting.put(id.toString(), at);
                                }
                            });
                    sent.incrementAndGet();
                }
                tick += 10_000_000L;
                long sleep = tick - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        }
        prober.join();
        List<Long> sorted = new ArrayList<>(delays);
        Collections.sort(sorted);
        System.out.printf("%nfreshness while ingesting %,.0f posts/s for %d s: %,d probes, p50 %.0f ms, p99 %.0f ms, "
                        + "max %.0f ms, %d not found within 5 s%n", sent.get() / (double) seconds, seconds, sorted.size(),
                percentile(sorted, 0.5), percentile(sorted, 0.99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6,
                waiting.size());
    }

    static double percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p))) / 1e6;
    }

    /** Words of 2 to 4 syllables; picked with a skew, so some are common and most are rare, as in real text. */
    static List<String> vocabulary(int size) {
        String[] onsets = {"b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "v", "br", "st", "tr", "pl"};
        String[] vowels = {"a", "e", "i", "o", "u", "ea", "ou"};
        java.util.LinkedHashSet<String> words = new java.util.LinkedHashSet<>();
        Random r = new Random(7);
        while (words.size() < size) {
            StringBuilder word = new StringBuilder();
            for (int s = 2 + r.nextInt(3); s > 0; s--) {
                word.append(onsets[r.nextInt(onsets.length)]).append(vowels[r.nextInt(vowels.length)]);
            }
            if (r.nextBoolean()) {
                word.append(onsets[r.nextInt(onsets.length)]);
            }
            words.add(word.toString());
        }
        return List.copyOf(words);
    }

    static String word(Random r) {
        return vocabulary.get((int) (vocabulary.size() * Math.pow(r.nextDouble(), 3)));
    }

    /** Post i's title (3–7 words) and body (20–80 words), the same for the same i. */
    static String[] post(int i) {
        Random r = new Random(i * 31L + 17);
        StringBuilder title = new StringBuilder();
        for (int n = 3 + r.nextInt(5); n > 0; n--) {
            title.append(title.length() == 0 ? "" : " ").append(word(r));
        }
        StringBuilder body = new StringBuilder();
        for (int n = 20 + r.nextInt(61); n > 0; n--) {
            body.append(body.length() == 0 ? "" : n % 12 == 0 ? ". " : " ").append(word(r));
        }
        return new String[] {title.toString(), body.append('.').toString()};
    }

    /** A query of a kind: 0 one or two words, 1 a phrase of two words from a post, 2 a prefix, 3 a word with a typo. */
    static String query(int kind) {
        Random r = java.util.concurrent.ThreadLocalRandom.current();
        return switch (kind) {
            case 0 -> r.nextBoolean() ? word(r) : word(r) + " " + word(r);
            case 1 -> {
                String[] words = post(r.nextInt(Math.max(1, Math.min(loaded, 100_000))))[1].replace(".", "").split(" ");
                int at = r.nextInt(words.length - 1);
                yield "\"" + words[at] + " " + words[at + 1] + "\"";
            }
            case 2 -> {
                String w = word(r);
                yield w.substring(0, Math.min(w.length(), 3 + r.nextInt(2))) + "*";
            }
            default -> typo(r);
        };
    }

    /** A word of five letters or more with one letter replaced, dropped or doubled (not the first). */
    static String typo(Random r) {
        String w = word(r);
        while (w.length() < 5) {
            w = word(r);
        }
        int at = 1 + r.nextInt(w.length() - 1);
        return switch (r.nextInt(3)) {
            case 0 -> w.substring(0, at) + (char) ('a' + r.nextInt(26)) + w.substring(at + 1);
            case 1 -> w.substring(0, at) + w.substring(at + 1);
            default -> w.substring(0, at) + w.charAt(at) + w.substring(at);
        };
    }
}
