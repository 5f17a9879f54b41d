package org.c18n.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;
import org.c18n.client.Api;

/**
 * The WebSocket benchmark of bench/README.md: C connections over R rooms, M messages per second
 * for D seconds, against c18n (every message through Kafka first) and against a plain Socket.IO 4
 * server on Node, side by side. Prints connections held, deliveries/s, loss, send-to-receive
 * latency, server CPU per delivery and server memory per idle connection.
 */
public final class WsBenchmark {
    static final int LATENCY_SLOTS = 4_000_000;

    /** A chat server under test. */
    interface Target {
        String name();

        void prepare(int rooms) throws Exception;

        String url(int room, int connection, int rooms) throws Exception;

        String sendFrame(int room, String body);

        /** First frames the client must send after opening (Engine.IO's connect). */
        String greeting();

        long cpuTicks() throws IOException;

        long rssKb() throws IOException;

        void close() throws Exception;
    }

    record Result(int held, double deliveriesPerSecond, long expected, long delivered, double p50, double p99,
                  double max, double cpuMicrosPerDelivery) {}

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(System.getProperty("bench.seconds", "10"));
        String jar = System.getProperty("bench.jar", "target/c18n.jar");
        Path socketIo = Path.of(System.getProperty("bench.socketio", "bench/socketio"));
        System.out.println("WebSocket benchmark: c18n (through Kafka) and Socket.IO 4 (in-memory rooms), "
                + Runtime.getRuntime().availableProcessors() + " cores, client on the same machine");
        boolean quick = Boolean.getBoolean("bench.quick");
        List<Target> targets = quick ? List.of(new C18n(jar)) : List.of(new C18n(jar), new SocketIo(socketIo));
        for (Target target : targets) {
            try {
                target.prepare(50);
                System.out.printf("%n== %s ==%n", target.name());
                System.out.println("profile              held   deliveries/s   loss    p50 ms   p99 ms   max ms   server CPU µs/delivery");
                print("1000 conn/10 rooms/500 msg/s", run(target, 1000, 10, 500, seconds, true));
                if (quick) {
                    continue;
                }
                print("5000 conn/50 rooms/1000 msg/s", run(target, 5000, 50, 1000, seconds, false));
                int best = 0;
                for (int rate : new int[] {100, 250, 500, 750, 1000, 1500, 2000, 4000}) {
                    Result r = run(target, 1000, 10, rate, 5, false);
                    print("1000/10 at " + rate + " msg/s", r);
                    if (r.p99() >= 100 || r.delivered() < r.expected()) {
                        break;
                    }
                    best = rate;
                }
                System.out.printf("highest rate with p99 < 100 ms and no loss at 1000 conn/10 rooms: %d msg/s%n", best);
                Result held = run(target, 10_000, 50, 0, 5, false);
                System.out.printf("connections held: %,d of 10,000%n", held.held());
            } finally {
                target.close();
            }
        }
    }

    static void print(String profile, Result r) {
        long lost = r.expected() - r.delivered();
        System.out.printf("%-30s %5d   %12.0f   %5.2f%%  %7.1f  %7.1f  %7.1f   %6.1f%n", profile, r.held(),
                r.deliveriesPerSecond(), r.expected() == 0 ? 0.0 : 100.0 * lost / r.expected(), r.p50(), r.p99(), r.max(),
                r.cpuMicrosPerDelivery());
    }

    /** Opens the connections, measures idle memory, sends for {@code seconds}, drains, closes. */
    static Result run(Target target, int connections, int rooms, int rate, int seconds, boolean reportMemory)
            throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        AtomicLong delivered = new AtomicLong();
        AtomicLongArray latencies = new AtomicLongArray(LATENCY_SLOTS);
        AtomicInteger latencyCount = new AtomicInteger();
        AtomicLong maxLatency = new AtomicLong();
        long rssBefore = target.rssKb();
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(HttpClient.newHttpClient());
        }
        List<WebSocket> sockets = new ArrayList<>();
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        String marker = "t=";
        for (int c = 0; c < connections; c++) {
            int room = c % rooms;
            WebSocket.Listener listener = new WebSocket.Listener() {
                final StringBuilder partial = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        String text = partial.toString();
                        partial.setLength(0);
                        if (text.equals("2")) {
                            ws.sendText("3", true); // Engine.IO ping
                        }
                        int at = text.indexOf(marker);
                        if (at >= 0) {
                            int colon = text.indexOf(':', at);
                            int end = text.indexOf('"', colon);
                            if (colon > 0 && end > colon && text.regionMatches(colon + 1, run, 0, run.length())) {
                                long latency = System.nanoTime() - Long.parseLong(text.substring(at + 2, colon));
                                delivered.incrementAndGet();
                                int slot = latencyCount.getAndIncrement();
                                if (slot < LATENCY_SLOTS) {
                                    latencies.set(slot, latency);
                                }
                                maxLatency.accumulateAndGet(latency, Math::max);
                            }
                        }
                    }
                    ws.request(1);
                    return null;
                }
            };
            String url;
            try {
                url = target.url(room, c, rooms);
            } catch (RuntimeException refused) {
                continue; // counted as not held
            }
            opening.add(clients.get(c % clients.size()).newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                    .buildAsync(URI.create(url), listener));
            if (opening.size() >= 200) {
                collect(opening, sockets, target);
            }
        }
        collect(opening, sockets, target);
        int held = sockets.size();
        Thread.sleep(3000);
        long rssAfter = target.rssKb();
        if (reportMemory) {
            System.out.printf("server memory per idle connection: %.1f KB (RSS %,d KB → %,d KB for %,d connections)%n",
                    (rssAfter - rssBefore) / (double) Math.max(1, held), rssBefore, rssAfter, held);
        }
        // One sender connection per room (the first of each room), at rate/rooms messages per second each.
        long cpuBefore = target.cpuTicks();
        long sent = 0;
        long started = System.nanoTime();
        if (rate > 0) {
            long interval = 1_000_000_000L * rooms / rate;
            long next = System.nanoTime();
            long end = started + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                for (int room = 0; room < rooms && room < sockets.size(); room++) {
                    String body = marker + System.nanoTime() + ":" + run;
                    sockets.get(room).sendText(target.sendFrame(room, body), true);
                    sent++;
                }
                next += interval;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        Thread.sleep(3000); // drain
        long cpu = target.cpuTicks() - cpuBefore;
        for (WebSocket ws : sockets) {
            ws.abort();
        }
        long perRoom = connections / rooms;
        long expected = sent * perRoom;
        int n = Math.min(latencyCount.get(), LATENCY_SLOTS);
        long[] sorted = new long[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = latencies.get(i);
        }
        Arrays.sort(sorted);
        double cpuMicros = delivered.get() == 0 ? 0 : cpu * 10_000.0 / delivered.get();
        Thread.sleep(2000);
        return new Result(held, delivered.get() / elapsed, expected, delivered.get(),
                WriteBenchmark.percentile(sorted, 0.50), WriteBenchmark.percentile(sorted, 0.99), maxLatency.get() / 1e6,
                cpuMicros);
    }

    private static void collect(List<CompletableFuture<WebSocket>> opening, List<WebSocket> sockets, Target target) {
        for (CompletableFuture<WebSocket> f : opening) {
            try {
                WebSocket ws = f.get(60, TimeUnit.SECONDS);
                if (!target.greeting().isEmpty()) {
                    ws.sendText(target.greeting(), true);
                }
                sockets.add(ws);
            } catch (Exception failed) {
                // counted as not held
            }
        }
        opening.clear();
    }

    /** utime + stime of a process and its descendants (clock ticks, 100 per second). */
    static long cpuTicks(ProcessHandle process) throws IOException {
        long ticks = ticks(process.pid());
        for (ProcessHandle child : process.descendants().toList()) {
            ticks += ticks(child.pid());
        }
        return ticks;
    }

    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** c18n started from its jar, embedded default; rooms are user-groups of two users. */
    static final class C18n implements Target {
        private final String jar;
        private Process platform;
        private Path dataDir;
        private String base;
        private Api admin;
        private final List<String> roomIds = new ArrayList<>();
        private final List<Api> users = new ArrayList<>();

        C18n(String jar) {
            this.jar = jar;
        }

        @Override
        public String name() {
            return "c18n";
        }

        @Override
        public void prepare(int rooms) throws Exception {
            dataDir = Files.createTempDirectory("c18n-ws-bench");
            int port = org.c18n.support.ChildPlatform.freePort();
            base = "http://localhost:" + port;
            List<String> command = new ArrayList<>(List.of("java", "-Xmx2g"));
            String javaOpts = System.getProperty("bench.javaOpts", "");
            if (!javaOpts.isBlank()) {
                command.addAll(List.of(javaOpts.trim().split("\\s+")));
            }
            command.addAll(List.of("-jar", jar, "--c18n.data-dir=" + dataDir,
                    "--server.port=" + port, "--c18n.admin.username=admin", "--c18n.admin.password=bench-admin-password",
                    "--c18n.chat.messages-per-second=100000", "--c18n.chat.connection-queue=100000",
                    "--c18n.chat.sockets-per-user=100000",
                    "--server.tomcat.max-connections=20000", "--server.tomcat.threads.max=400"));
            platform = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile())
                    .start();
            admin = WriteBenchmark.awaitReady(base, platform);
            users.addAll(WriteBenchmark.clients(base, admin, rooms * 2));
            for (int r = 0; r < rooms; r++) {
                roomIds.add(users.get(2 * r).post("/api/v1/usergroups", Map.of("name", "bench " + r,
                        "memberIds", List.of(users.get(2 * r + 1).id()))).text("id"));
            }
        }

        @Override
        public String url(int room, int connection, int rooms) {
            Api user = users.get(2 * room + (connection / rooms) % 2);
            return base.replace("http", "ws") + "/ws?ticket=" + user.post("/api/v1/ws/ticket", null).text("ticket");
        }

        @Override
        public String sendFrame(int room, String body) {
            return "{\"type\":\"send\",\"room\":\"" + roomIds.get(room) + "\",\"body\":\"" + body + "\"}";
        }

        @Override
        public String greeting() {
            return "";
        }

        @Override
        public long cpuTicks() throws IOException {
            return WsBenchmark.cpuTicks(platform.toHandle()) + postgres(WsBenchmark::cpuTicks);
        }

        @Override
        public long rssKb() throws IOException {
            return WriteBenchmark.rssMb(platform.toHandle()) * 1024;
        }

        /** The embedded PostgreSQL runs detached (pg_ctl): found by its pid file. */
        private long postgres(ProcessMeasure measure) throws IOException {
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
            return ProcessHandle.of(pid).map(p -> {
                try {
                    return measure.of(p);
                } catch (IOException e) {
                    return 0L;
                }
            }).orElse(0L);
        }

        @Override
        public void close() throws Exception {
            if (platform != null) {
                platform.destroy();
                platform.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    interface ProcessMeasure {
        long of(ProcessHandle process) throws IOException;
    }

    /** A plain Socket.IO 4 server on Node (bench/socketio/server.js). */
    static final class SocketIo implements Target {
        private final Path dir;
        private Process server;
        private int port;

        SocketIo(Path dir) {
            this.dir = dir;
        }

        @Override
        public String name() {
            return "Socket.IO 4 (Node " + version() + ")";
        }

        private static String version() {
            try {
                Process p = new ProcessBuilder("node", "--version").start();
                return new String(p.getInputStream().readAllBytes()).trim();
            } catch (IOException e) {
                return "?";
            }
        }

        @Override
        public void prepare(int rooms) throws Exception {
            port = org.c18n.support.ChildPlatform.freePort();
            server = new ProcessBuilder("node", "server.js", String.valueOf(port)).directory(dir.toFile())
                    .redirectErrorStream(true).start();
            byte[] line = new byte[64];
            int read = server.getInputStream().read(line);
            if (read <= 0) {
                throw new IllegalStateException("socket.io server did not start");
            }
        }

        @Override
        public String url(int room, int connection, int rooms) {
            return "ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket&room=r" + room;
        }

        @Override
        public String sendFrame(int room, String body) {
            return "42[\"send\",{\"body\":\"" + body + "\"}]";
        }

        @Override
        public String greeting() {
            return "40";
        }

        @Override
        public long cpuTicks() throws IOException {
            return WsBenchmark.cpuTicks(server.toHandle());
        }

        @Override
        public long rssKb() throws IOException {
            try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(server.pid()), "status"))) {
                return lines.filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", ""))
                        .mapToLong(Long::parseLong).sum();
            }
        }

        @Override
        public void close() throws Exception {
            if (server != null) {
                server.destroy();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
