package org.c18n.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.c18n.client.Api;
import org.c18n.eventlog.Event;
import org.c18n.eventlog.Topics;
import org.c18n.eventlog.Uuids;
import org.c18n.identity.UserEvents;
import org.c18n.infra.EmbeddedKafkaBroker;
import org.c18n.infra.KafkaConnection;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The WebSocket benchmark of bench/README.md, in the shape chat is used: every connection its own
 * user, rooms of 100 members, the platform's default limits, each message sent by a different
 * member in turn, a warm-up before anything is measured. Against c18n (every message through Kafka
 * first) and a plain Socket.IO 4 server on Node, in the same run. Prints deliveries/s, loss,
 * send-to-receive latency, server CPU (c18n: the JVM and every PostgreSQL process) and the load
 * client's own CPU per delivery, idle CPU, memory per idle connection, and connections held. The
 * clients are Node processes (bench/socketio/load.mjs), lighter than a JDK client on the same cores.
 */
public final class WsBenchmark {
    static final int ROOM_SIZE = 100;

    /** A chat server under test. */
    interface Target {
        String name();

        /** Starts the server with {@code users} users (user i is connection i) and rooms of users [r·100, r·100+99]. */
        void prepare(int users, int rooms) throws Exception;

        /**
         * User {@code user}'s socket for the load client (bench/socketio/load.mjs), in room
         * {@code user / 100}: how to connect, TAB, the room, TAB, a send frame with BODY for the body.
         */
        String loadLine(int user) throws Exception;

        long cpuTicks();

        /** The part of {@link #cpuTicks} spent by the database (c18n: PostgreSQL). */
        default long databaseTicks() {
            return 0;
        }

        long rssKb() throws IOException;

        /** Waits {@code seconds}, and answers where the server's CPU went meanwhile, by thread (c18n only). */
        default String threads(int seconds) throws InterruptedException {
            Thread.sleep(seconds * 1000L);
            return "";
        }

        /** Keeps what {@link #threads} finds over the next {@code seconds}, for {@link #lastThreads}. */
        default void recordThreads(int seconds) throws InterruptedException {
        }

        /** What {@link #recordThreads} found last. */
        default String lastThreads() {
            return "";
        }

        /** Starts a profile of the next {@code seconds} when asked to ({@code -Dbench.jfr=file}). */
        default void profile(int seconds) throws Exception {
        }

        void close() throws Exception;
    }

    record Result(double deliveriesPerSecond, long expected, long delivered, double p50, double p99, double max,
                  double serverCpuPercent, double databaseCpuPercent, double serverMicrosPerDelivery,
                  double clientMicrosPerDelivery) {
        boolean clean() {
            return p99 < 100 && delivered >= expected;
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(System.getProperty("bench.seconds", "15"));
        int warmup = Integer.parseInt(System.getProperty("bench.warmup", "60"));
        int users = Integer.parseInt(System.getProperty("bench.users", "1000"));
        int idle = Integer.parseInt(System.getProperty("bench.idle", "10000"));
        int hold = Integer.parseInt(System.getProperty("bench.hold", "50000"));
        String jar = System.getProperty("bench.jar", "target/c18n.jar");
        Path socketIo = Path.of(System.getProperty("bench.socketio", "bench/socketio"));
        String only = System.getProperty("bench.only", "");
        System.out.printf("WebSocket benchmark, realistic shape: %,d users, each one connection, %d rooms of %d, default"
                        + " limits, %d s warm-up, %d s per rate; %d cores, client on the same machine%n", users,
                users / ROOM_SIZE, ROOM_SIZE, warmup, seconds, Runtime.getRuntime().availableProcessors());
        List<Target> targets = new ArrayList<>();
        if (!only.equals("socketio")) {
            targets.add(new C18n(jar));
        }
        if (!only.equals("c18n")) {
            targets.add(new SocketIo(socketIo));
        }
        for (Target target : targets) {
            try {
                target.prepare(Math.max(users, Math.max(idle, hold)), users / ROOM_SIZE);
                System.out.printf("%n== %s ==%n", target.name());
                measure(target, users, seconds, warmup, socketIo);
                idleAndHold(target, idle, hold, socketIo);
            } finally {
                target.close();
            }
        }
    }

    static void measure(Target target, int users, int seconds, int warmup, Path socketIo) throws Exception {
        try (Load load = Load.open(target, 0, users, users, socketIo)) {
            System.out.printf("connections held: %,d of %,d%n", load.held, users);
            Thread.sleep(5000);
            long idleBefore = target.cpuTicks();
            String threads = target.threads(10);
            System.out.printf("idle node with %,d connections: %.1f %% of a core%s%n", users,
                    (target.cpuTicks() - idleBefore) / 10.0, threads);
            load.measure(target, 100, warmup); // warm-up, not measured
            Thread.sleep(3000);
            System.out.println("rate msg/s   deliveries/s   loss    p50 ms   p99 ms   max ms   server CPU % (db)   server µs/delivery   client µs/delivery");
            for (int rate : new int[] {50, 100, 500}) {
                if (rate == 100) {
                    target.profile(seconds);
                }
                print(rate, load.measure(target, rate, seconds));
                if (rate == 100) {
                    System.out.println("             threads over the last 10 s of it:" + target.lastThreads());
                }
            }
            int best = 0;
            for (int rate : new int[] {100, 150, 200, 250, 300, 400, 500, 750, 1000, 1500, 2000, 3000}) {
                Result r = load.measure(target, rate, 10);
                print(rate, r);
                if (!r.clean()) {
                    break;
                }
                best = rate;
            }
            System.out.printf("highest rate with p99 < 100 ms and no loss (ramp, 10 s steps): %d msg/s%n", best);
        }
        Thread.sleep(5000);
    }

    static void print(int rate, Result r) {
        long lost = r.expected() - r.delivered();
        System.out.printf("%9d   %12.0f   %5.2f%%  %7.1f  %7.1f  %7.1f   %9.0f (%3.0f)   %18.1f   %18.1f%n", rate,
                r.deliveriesPerSecond(), r.expected() == 0 ? 0.0 : 100.0 * Math.max(0, lost) / r.expected(), r.p50(),
                r.p99(), r.max(), r.serverCpuPercent(), r.databaseCpuPercent(), r.serverMicrosPerDelivery(),
                r.clientMicrosPerDelivery());
    }

    /** Memory per idle connection (RSS growth over {@code idle} connections), then how many of {@code hold} stay open. */
    static void idleAndHold(Target target, int idle, int hold, Path socketIo) throws Exception {
        System.gc();
        long rssBefore = target.rssKb();
        try (Load holders = Load.open(target, 0, idle, 15_000, socketIo)) {
            Thread.sleep(10_000);
            long rssAfter = target.rssKb();
            System.out.printf("memory per idle connection: %.1f KB (RSS %,d KB → %,d KB for %,d connections; asked %,d)%n",
                    (rssAfter - rssBefore) / (double) Math.max(1, holders.held), rssBefore, rssAfter, holders.held, idle);
            long cpu = target.cpuTicks();
            String threads = target.threads(10);
            System.out.printf("idle node with %,d connections: %.1f %% of a core%s%n", holders.held,
                    (target.cpuTicks() - cpu) / 10.0, threads);
        }
        Thread.sleep(5000);
        try (Load holders = Load.open(target, 0, hold, 15_000, socketIo)) {
            Thread.sleep(30_000);
            System.out.printf("connections held: %,d opened of %,d asked, %,d still open after 30 s (RSS %,d KB)%n",
                    holders.held, hold, holders.still(), target.rssKb());
        }
        Thread.sleep(5000);
    }

    /** The load client: processes of bench/socketio/load.mjs on Node, at most {@code per} sockets each. */
    static final class Load implements AutoCloseable {
        final List<Process> processes = new ArrayList<>();
        final List<Writer> inputs = new ArrayList<>();
        final List<BufferedReader> outputs = new ArrayList<>();
        int held;

        static Load open(Target target, int from, int count, int per, Path socketIo) throws Exception {
            Load load = new Load();
            for (int start = from; start < from + count; start += per) {
                Process p = new ProcessBuilder("node", "load.mjs").directory(socketIo.toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                load.processes.add(p);
                Writer w = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
                load.inputs.add(w);
                load.outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
                for (int u = start; u < Math.min(from + count, start + per); u++) {
                    w.write(target.loadLine(u));
                    w.write('\n');
                }
                w.write('\n');
                w.flush();
            }
            for (int i = 0; i < load.processes.size(); i++) {
                load.held += load.ask(i, "").path("held").asInt();
            }
            return load;
        }

        private tools.jackson.databind.JsonNode ask(int process, String command) throws IOException {
            if (!command.isEmpty()) {
                inputs.get(process).write(command + "\n");
                inputs.get(process).flush();
            }
            String line = outputs.get(process).readLine();
            if (line == null) {
                throw new IllegalStateException("the load client stopped");
            }
            return Api.JSON.readTree(line);
        }

        /** How many of the sockets are open now, as the clients count them. */
        int still() throws IOException {
            int open = 0;
            for (int i = 0; i < processes.size(); i++) {
                open += ask(i, "{}").path("open").asInt();
            }
            return open;
        }

        /** {@code rate} messages a second for {@code seconds} (one client process), with the server's and the client's CPU. */
        Result measure(Target target, int rate, int seconds) throws Exception {
            String run = Long.toString(System.nanoTime(), 36);
            long serverBefore = target.cpuTicks();
            long databaseBefore = target.databaseTicks();
            long clientBefore = cpuTicks(processes.get(0).toHandle());
            Thread sampler = new Thread(() -> {
                try {
                    Thread.sleep(Math.max(0, seconds - 10) * 1000L);
                    target.recordThreads(Math.min(10, seconds));
                } catch (InterruptedException ignored) {
                    // the run ended first
                }
            });
            sampler.start();
            long started = System.nanoTime();
            var reply = ask(0, "{\"rate\":" + rate + ",\"seconds\":" + seconds + ",\"run\":\"" + run + "\"}");
            double elapsed = (System.nanoTime() - started) / 1e9;
            sampler.join();
            long server = target.cpuTicks() - serverBefore;
            long database = target.databaseTicks() - databaseBefore;
            long client = cpuTicks(processes.get(0).toHandle()) - clientBefore;
            long got = reply.path("delivered").asLong();
            return new Result(got / (double) seconds, reply.path("sent").asLong() * ROOM_SIZE, got,
                    reply.path("p50").asDouble(Double.NaN), reply.path("p99").asDouble(Double.NaN),
                    reply.path("max").asDouble(), server / elapsed, database / elapsed,
                    got == 0 ? 0 : server * 10_000.0 / got, got == 0 ? 0 : client * 10_000.0 / got);
        }

        @Override
        public void close() {
            processes.forEach(Process::destroy);
            for (Process p : processes) {
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** utime + stime of a process and its descendants (clock ticks, 100 per second). */
    static long cpuTicks(ProcessHandle process) {
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

    static long rssKb(long pid) throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(pid), "status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", ""))
                    .mapToLong(Long::parseLong).sum();
        }
    }

    /**
     * c18n started from its jar, embedded default, default settings (only Tomcat's connection cap
     * raised to the hold plus 500). Users are written straight into the log (as {@code seed --fast}
     * does: one bcrypt hash for all), then signed in with admin-minted tokens; rooms are user-groups.
     */
    static final class C18n implements Target {
        private final String jar;
        private Process platform;
        private Path dataDir;
        private String base;
        private Api admin;
        private final List<UUID> userIds = new ArrayList<>();
        private final Map<Integer, String> tokens = new ConcurrentHashMap<>();
        private final List<String> roomIds = new ArrayList<>();

        C18n(String jar) {
            this.jar = jar;
        }

        @Override
        public String name() {
            return "c18n";
        }

        @Override
        public void prepare(int users, int rooms) throws Exception {
            dataDir = Files.createTempDirectory("c18n-ws-bench");
            int port = org.c18n.support.ChildPlatform.freePort();
            base = "http://localhost:" + port;
            List<String> command = new ArrayList<>(List.of("java", "-Xmx2g"));
            command.addAll(org.c18n.support.ChildPlatform.JDK_OPTIONS);
            String javaOpts = System.getProperty("bench.javaOpts", "");
            if (!javaOpts.isBlank()) {
                command.addAll(List.of(javaOpts.trim().split("\\s+")));
            }
            command.addAll(List.of("-jar", jar, "--c18n.data-dir=" + dataDir, "--server.port=" + port,
                    "--c18n.admin.username=admin", "--c18n.admin.password=bench-admin-password",
                    // The sockets have a listener of their own (no connection cap); the ticket names its port.
                    "--c18n.hub.port=0"));
            Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
            System.out.println("c18n log: " + log);
            platform = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            admin = WriteBenchmark.awaitReady(base, platform);
            long t0 = System.nanoTime();
            seedUsers(users);
            // The last user readable: all are projected.
            while (admin.get("/api/v1/users/" + userIds.get(users - 1)).status() != 200) {
                Thread.sleep(200);
            }
            System.out.printf("c18n: %,d users written to the log and projected in %.1f s%n", users,
                    (System.nanoTime() - t0) / 1e9);
            for (int r = 0; r < rooms; r++) {
                List<UUID> members = userIds.subList(r * ROOM_SIZE + 1, (r + 1) * ROOM_SIZE);
                var created = new Api(base).token(token(r * ROOM_SIZE)).post("/api/v1/usergroups",
                        Map.of("name", "bench " + r, "memberIds", members));
                if (created.status() / 100 != 2) {
                    throw new IllegalStateException("room " + r + ": " + created);
                }
                roomIds.add(created.text("id"));
            }
            mintTokens(users);
            System.out.printf("c18n: %,d tokens minted, %d rooms of %d, %.1f s%n", users, rooms, ROOM_SIZE,
                    (System.nanoTime() - t0) / 1e9);
        }

        private void seedUsers(int users) throws IOException {
            Path kafka = dataDir.resolve("kafka");
            String bootstrap = Files.readString(EmbeddedKafkaBroker.addressFile(kafka)).strip();
            var connection = new KafkaConnection(bootstrap, 1, (short) 1,
                    KafkaConnection.readProperties(EmbeddedKafkaBroker.clientPropertiesFile(kafka)));
            Properties props = connection.clientProperties();
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            String hash = new BCryptPasswordEncoder().encode("bench-password");
            String tag = Long.toString(System.nanoTime() % 46656, 36);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
                for (int i = 0; i < users; i++) {
                    UUID id = Uuids.v7();
                    String name = "wsb" + tag + i;
                    var data = new UserEvents.Registered(id, name, name + "@example.org", hash, name, "user", null, null);
                    Event event = new Event(Uuids.v7(), UserEvents.REGISTERED, 1,
                            Instant.now().truncatedTo(ChronoUnit.MICROS), id, "username:" + name, Api.JSON.valueToTree(data));
                    producer.send(new ProducerRecord<>(Topics.USERS, null, event.at().toEpochMilli(), event.key(),
                            Api.JSON.writeValueAsString(event)));
                    userIds.add(id);
                }
                producer.flush();
            }
        }

        private void mintTokens(int users) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<?>> minted = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                int user = i;
                minted.add(pool.submit(() -> token(user)));
            }
            for (Future<?> f : minted) {
                f.get();
            }
            pool.shutdown();
        }

        private String token(int user) {
            return tokens.computeIfAbsent(user, u -> {
                var reply = admin.post("/api/v1/admin/users/" + userIds.get(u) + "/token", null);
                if (reply.status() != 200) {
                    throw new IllegalStateException("token for user " + u + ": " + reply);
                }
                return reply.text("accessToken");
            });
        }

        @Override
        public String loadLine(int user) {
            int room = user / ROOM_SIZE;
            String send = room < roomIds.size()
                    ? "{\"type\":\"send\",\"room\":\"" + roomIds.get(room) + "\",\"body\":\"BODY\"}" : "";
            return "ticket " + base + " " + token(user) + "\t" + room + "\t" + send;
        }

        @Override
        public long cpuTicks() {
            return WsBenchmark.cpuTicks(platform.toHandle()) + databaseTicks();
        }

        @Override
        public long databaseTicks() {
            return postgres().map(WsBenchmark::cpuTicks).orElse(0L);
        }

        @Override
        public long rssKb() throws IOException {
            return WsBenchmark.rssKb(platform.pid());
        }

        private volatile String lastThreads = "";

        @Override
        public String threads(int seconds) throws InterruptedException {
            Map<String, Long> before = threadTicks(platform.pid());
            Thread.sleep(seconds * 1000L);
            Map<String, Long> after = threadTicks(platform.pid());
            Map<String, Long> used = new java.util.HashMap<>();
            after.forEach((thread, ticks) -> used.merge(thread.substring(thread.indexOf(' ') + 1),
                    ticks - before.getOrDefault(thread, 0L), Long::sum));
            StringBuilder top = new StringBuilder(" —");
            used.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                    .forEach(e -> top.append(String.format(" %s %.0f%%,", e.getKey(), e.getValue() / (double) seconds)));
            return top.substring(0, top.length() - 1);
        }

        @Override
        public void recordThreads(int seconds) throws InterruptedException {
            lastThreads = threads(seconds);
        }

        @Override
        public String lastThreads() {
            return lastThreads;
        }

        /** CPU ticks by thread ("tid name", the name's digits folded), from /proc. */
        private static Map<String, Long> threadTicks(long pid) {
            Map<String, Long> ticks = new java.util.HashMap<>();
            try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
                tasks.forEach(task -> {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks.put(task.getFileName() + " " + name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                    } catch (IOException | RuntimeException gone) {
                        // the thread ended
                    }
                });
            } catch (IOException gone) {
                // the process ended
            }
            return ticks;
        }

        /** A JFR recording of the node (JDK's jcmd) over the 100 msg/s run. */
        @Override
        public void profile(int seconds) throws Exception {
            String file = System.getProperty("bench.jfr", "");
            if (!file.isBlank()) {
                new ProcessBuilder("jcmd", String.valueOf(platform.pid()), "JFR.start", "settings=profile",
                        "duration=" + seconds + "s", "filename=" + Path.of(file).toAbsolutePath()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                System.out.println("JFR recording of the 100 msg/s run: " + file);
            }
        }

        /** The embedded PostgreSQL runs detached (pg_ctl): found by its pid file; its children are the backends. */
        private java.util.Optional<ProcessHandle> postgres() {
            try {
                long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
                return ProcessHandle.of(pid);
            } catch (IOException | RuntimeException e) {
                return java.util.Optional.empty();
            }
        }

        @Override
        public void close() throws Exception {
            if (platform != null) {
                platform.destroy();
                platform.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** A plain Socket.IO 4 server on Node (bench/socketio/server.js): rooms by the handshake's query. */
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
        public void prepare(int users, int rooms) throws Exception {
            port = org.c18n.support.ChildPlatform.freePort();
            server = new ProcessBuilder("node", "server.js", String.valueOf(port)).directory(dir.toFile())
                    .redirectErrorStream(true).start();
            byte[] line = new byte[64];
            if (server.getInputStream().read(line) <= 0) {
                throw new IllegalStateException("socket.io server did not start");
            }
        }

        @Override
        public String loadLine(int user) {
            return "ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket&room=r" + user / ROOM_SIZE + "\t"
                    + user / ROOM_SIZE + "\t42[\"send\",{\"body\":\"BODY\"}]";
        }

        @Override
        public long cpuTicks() {
            return WsBenchmark.cpuTicks(server.toHandle());
        }

        @Override
        public long rssKb() throws IOException {
            return WsBenchmark.rssKb(server.pid());
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
