package org.c18n.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.c18n.client.Api;
import org.c18n.infra.EmbeddedKafkaBroker;
import org.c18n.infra.EmbeddedPostgresServer;
import org.c18n.support.Accounts;
import org.c18n.support.ChildPlatform;
import org.c18n.support.Eventually;
import org.c18n.support.PlatformTest;
import org.c18n.support.Prometheus;
import org.c18n.support.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Scale-out on one machine: a standalone broker, PostgreSQL and three app nodes (separate JVMs on
 * their own ports). The emulator spreads its people over the three; one node is killed (SIGKILL)
 * mid-run and brought back. Then: every write the platform acknowledged is there, chat crosses
 * nodes, every node's speed layer runs again after the rebalances, and the analytics totals
 * equal the views.
 */
class MultiNodeTest {
    final Path dir = Path.of("target", "test-data", "multinode-" + UUID.randomUUID());
    EmbeddedKafkaBroker kafka;
    EmbeddedPostgresServer postgres;
    final List<ChildPlatform> nodes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (ChildPlatform node : nodes) {
            node.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    ChildPlatform node(String name, int port) {
        return new ChildPlatform(dir.resolve(name + ".log"), port, "--c18n.data-dir=" + dir.resolve(name).toAbsolutePath(),
                "--c18n.node-id=" + name, "--c18n.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--c18n.kafka.properties-file=" + kafka.clientPropertiesFile(), "--c18n.db.url=" + postgres.jdbcUrl(),
                "--c18n.db.username=postgres", "--c18n.db.password=" + postgres.password(), "--c18n.admin.username=admin",
                "--c18n.admin.password=multinode-admin");
    }

    @Test
    void threeNodesOneKilledAndBackNothingAcknowledgedIsLostAndTotalsReconcile() throws Exception {
        kafka = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        postgres = EmbeddedPostgresServer.start(dir.resolve("postgres"));
        for (String name : List.of("a", "b", "c")) {
            nodes.add(node(name, ChildPlatform.freePort()));
        }
        // The first node creates the schema and the admin; the other two then start side by side.
        nodes.get(0).start();
        CompletableFuture<?> b = CompletableFuture.runAsync(() -> start(nodes.get(1)));
        start(nodes.get(2));
        b.join();

        Path report = dir.resolve("report.json");
        var printed = new ByteArrayOutputStream();
        var out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        var options = EmulateOptions.parse(new String[] {"--url", String.join(",", nodes.stream().map(ChildPlatform::base).toList()),
                "--users", "18", "--duration", "45s", "--rate", "15", "--seed", "9", "--concurrency", "16",
                "--report", report.toString(), "--max-error-rate", "0.05",
                "--mix", "browse=4,read=3,comment=3,react=3,post=4,join=1,invite=1,chat=8,search=1"});
        Emulator emulator = new Emulator(options, out);
        // On a thread of its own, not the common pool: the JDK's HttpClient completes a WebSocket's
        // opening there, and on 2 cores the pool has one worker, which the emulator would hold.
        var run = new java.util.concurrent.FutureTask<>(emulator::run);
        new Thread(run, "emulator").start();

        Thread.sleep(20_000);
        nodes.get(1).kill(); // mid-run, without warning
        Thread.sleep(8_000);
        nodes.get(1).start(); // back, with its data dir: it resumes its groups and its search index
        int exit = run.get();
        String text = printed.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        assertThat(exit).as(text).isZero(); // errors only around the kill, under 5%
        JsonNode summary = Api.JSON.readTree(Files.readString(report));
        assertThat(summary.path("failovers").asLong()).as("people of the killed node moved on").isPositive();
        assertThat(summary.path("byNode").properties()).hasSize(3);
        summary.path("byNode").properties().forEach(n -> assertThat(n.getValue().asLong()).as(n.getKey()).isPositive());

        // Nothing acknowledged is lost: once the projection has caught up with the log, each
        // acknowledged post and message reads back (half of them through the node that was killed).
        assertThat(Eventually.get(() -> Prometheus.scrape(nodes.get(0).managementBase()), m -> m.contains("c18n_projection_lag{node=\"a\"} 0.0"),
                Duration.ofSeconds(60))).contains("c18n_projection_lag{node=\"a\"} 0.0"); // every series says its node
        var acknowledged = emulator.acknowledged();
        assertThat(acknowledged).extracting(Emulator.Acknowledged::kind).contains("post", "message");
        var onB = new HashMap<String, Api>();
        int i = 0;
        for (var ack : acknowledged) {
            Api reader;
            if (i++ % 2 == 0) {
                reader = ack.by().api;
            } else {
                reader = onB.computeIfAbsent(ack.by().username,
                        name -> new Api(nodes.get(1).base()).login(name, options.password()));
            }
            // A lost write stays lost; a few seconds' grace only covers the lag figure's 5 s refresh.
            var reply = Eventually.get(() -> reader.get(ack.check()), r -> r.status() == 200, Duration.ofSeconds(10));
            assertThat(reply.status()).as(ack.kind() + " " + ack.check()).isEqualTo(200);
        }

        // Chat crosses nodes, the restarted one included.
        Api ann = Accounts.signedUp(nodes.get(0).base(), PlatformTest.unique("mann"));
        Api bob = Accounts.signedUp(nodes.get(1).base(), PlatformTest.unique("mbob"));
        String room = ann.post("/api/v1/rooms/direct", Map.of("userId", bob.id())).text("id");
        Socket bobOnB = Socket.connect(bob);
        bobOnB.await("hello");
        ann.post("/api/v1/rooms/" + room + "/messages", Map.of("body", "from node a"));
        assertThat(bobOnB.await("message").path("body").asString()).isEqualTo("from node a");
        bobOnB.close();

        // Every node's speed layer runs again after the rebalances...
        for (ChildPlatform node : nodes) {
            assertThat(Eventually.get(() -> Prometheus.scrape(node.managementBase()), Prometheus::streamsRunning,
                    Duration.ofSeconds(60))).as(node.base()).containsPattern("c18n_streams_threads\\{[^}]*state=\"RUNNING\"[^}]*\\} [1-9]");
        }
        // ...and its totals equal what the views hold.
        Api admin = new Api(nodes.get(2).base()).login("admin", "multinode-admin");
        List<Map<String, Long>> reconciled = Eventually.get(() -> List.of(totals(admin), counts()),
                both -> both.get(0).equals(both.get(1)), Duration.ofSeconds(90));
        System.out.printf("Reconciled: analytics totals %s, views %s%n", reconciled.get(0), reconciled.get(1));
        assertThat(reconciled.get(0)).isEqualTo(reconciled.get(1));
    }

    private static void start(ChildPlatform node) {
        try {
            node.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Long> totals(Api admin) {
        JsonNode totals = admin.get("/api/v1/analytics/totals").body().path("totals");
        Map<String, Long> picked = new HashMap<>();
        for (String key : List.of("users", "communities", "comments", "messages")) {
            picked.put(key, totals.path(key).asLong(0));
        }
        picked.put("posts", totals.path("posts.text").asLong(0) + totals.path("posts.image").asLong(0)
                + totals.path("posts.video").asLong(0));
        return picked;
    }

    private Map<String, Long> counts() {
        Map<String, Long> counts = new HashMap<>();
        try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password())) {
            for (String table : List.of("users", "communities", "comments", "messages", "posts")) {
                try (var rs = db.createStatement().executeQuery("SELECT count(*) FROM c18n." + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts;
    }
}
