package org.c18n.eventlog;

import org.c18n.client.Api;
import org.c18n.infra.EmbeddedKafkaBroker;
import org.c18n.infra.EmbeddedPostgresServer;
import org.c18n.infra.KafkaConnection;
import org.c18n.projection.Projector;
import org.c18n.speedlayer.SpeedLayer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.c18n.C18nApplication;
import org.c18n.support.Accounts;
import org.c18n.support.PlatformTest;
import org.c18n.support.Socket;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two app nodes configured with a Kafka broker and a PostgreSQL that they did not start (the
 * test starts them, as an operator would run a cluster): they start neither themselves and
 * serve the same data, with read-your-writes across nodes.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ClusterModeTest {
    static final Path DIR = Path.of("target", "test-data", "cluster-" + UUID.randomUUID());
    static EmbeddedKafkaBroker kafka;
    static EmbeddedPostgresServer postgres;
    static ConfigurableApplicationContext nodeA;
    static ConfigurableApplicationContext nodeB;

    @BeforeAll
    static void startCluster() throws Exception {
        kafka = EmbeddedKafkaBroker.start(DIR.resolve("external-kafka"), 0);
        postgres = EmbeddedPostgresServer.start(DIR.resolve("external-postgres"));
        nodeA = node("a");
        nodeB = node("b");
    }

    static ConfigurableApplicationContext node(String name) {
        // The broker asks for a login: node a is given a client properties file, node b the named settings.
        String password = kafka.clientSecurity().get("sasl.jaas.config").replaceAll(".*password=\"([^\"]+)\".*", "$1");
        String[] login = name.equals("a") ? new String[] {"--c18n.kafka.properties-file=" + kafka.clientPropertiesFile()}
                : new String[] {"--c18n.kafka.security-protocol=SASL_PLAINTEXT", "--c18n.kafka.sasl-mechanism=PLAIN",
                        "--c18n.kafka.sasl-username=" + EmbeddedKafkaBroker.USERNAME, "--c18n.kafka.sasl-password=" + password};
        return new SpringApplicationBuilder(C18nApplication.class).run(Stream.concat(Stream.of(
                "--server.port=0",
                "--management.server.port=0",
                "--c18n.data-dir=" + DIR.resolve("node-" + name),
                "--c18n.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--c18n.db.url=" + postgres.jdbcUrl(),
                "--c18n.db.username=postgres",
                "--c18n.db.password=" + postgres.password(),
                "--c18n.admin.username=admin",
                "--c18n.admin.password=cluster-admin-password"), Stream.of(login)).toArray(String[]::new));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] {nodeA, nodeB}) {
            if (node != null && node.isActive()) {
                node.close();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    static String url(ConfigurableApplicationContext node) {
        return "http://localhost:" + ((WebServerApplicationContext) node).getWebServer().getPort();
    }

    @Test
    void nodesStartNoBrokerOrDatabaseOfTheirOwn() {
        for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
            assertThat(node.getBeanProvider(EmbeddedKafkaBroker.class).getIfAvailable()).isNull();
            assertThat(node.getBeanProvider(EmbeddedPostgresServer.class).getIfAvailable()).isNull();
            assertThat(node.getBean(KafkaConnection.class).bootstrapServers()).isEqualTo(kafka.bootstrapServers());
        }
        assertThat(Files.exists(DIR.resolve("node-a").resolve("kafka"))).isFalse();
        assertThat(Files.exists(DIR.resolve("node-a").resolve("postgres"))).isFalse();
    }

    @Test
    void aWriteOnOneNodeIsReadOnTheOther() {
        Api onA = Accounts.signedUp(url(nodeA), PlatformTest.unique("nodea"));
        String username = onA.get("/api/v1/users/me").text("username");
        // Tokens signed by node A are good on node B: the key is shared through the database.
        Api onB = new Api(url(nodeB)).token(onA.token());
        assertThat(onB.get("/api/v1/users/me").text("username")).isEqualTo(username);
        new Api(url(nodeB)).login(username, "password-" + username);

        var created = onB.post("/api/v1/communities", Map.of("name", PlatformTest.unique("Cluster ")));
        assertThat(created.status()).isEqualTo(201);
        var readOnA = onA.get("/api/v1/communities/" + created.text("id"));
        assertThat(readOnA.status()).isEqualTo(200);
        assertThat(readOnA.text("name")).isEqualTo(created.text("name"));
    }

    @Test
    void writesOnBothNodesReadTheirOwnWritesWhereverTheyAreProjected() throws Exception {
        try (Admin admin = nodeA.getBean(KafkaConnection.class).admin(Map.of())) {
            // Both nodes project: the group spreads the partitions over them once it has rebalanced.
            long deadline = System.currentTimeMillis() + 30_000;
            var group = admin.describeConsumerGroups(List.of(Projector.GROUP)).all().get().get(Projector.GROUP);
            while (group.members().stream().anyMatch(m -> m.assignment().topicPartitions().isEmpty())
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
                group = admin.describeConsumerGroups(List.of(Projector.GROUP)).all().get().get(Projector.GROUP);
            }
            assertThat(group.members()).hasSize(2);
            assertThat(group.members()).allSatisfy(m -> assertThat(m.assignment().topicPartitions()).isNotEmpty());
        }
        Api onA = Accounts.signedUp(url(nodeA), PlatformTest.unique("ryw"));
        Api onB = new Api(url(nodeB)).token(onA.token());
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            Api node = i % 2 == 0 ? onA : onB;
            var created = node.post("/api/v1/communities", Map.of("name", PlatformTest.unique("Spread " + i + " ")));
            statuses.add(created.status());
            if (created.status() == 201) {
                assertThat(created.text("name")).startsWith("Spread " + i + " ");
            }
        }
        // Each node's projector applies only its share of the partitions, so about half of these
        // writes were projected on the other node: they still answer 201 with the resource.
        assertThat(statuses).containsOnly(201);
        assertThat(onA.get("/api/v1/communities?mine=true&limit=100").body().path("items").size()).isEqualTo(24);
    }

    static long total(String nodeUrl, String counter) {
        return new Api(nodeUrl).login("admin", "cluster-admin-password").get("/api/v1/analytics/totals").body()
                .path("totals").path(counter).asLong(0);
    }

    /** Waits until {@code check} holds (the speed layer is asynchronous), failing after a minute. */
    static void eventually(String what, java.util.function.BooleanSupplier check) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!check.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within a minute: " + what);
            }
            Thread.sleep(200);
        }
    }

    /** The reply notifications in the inbox (replies to one post are one entry: its {@code ids}). */
    static long replies(Api api) {
        JsonNode inbox = api.get("/api/v1/notifications?limit=100").body();
        List<String> ids = inbox.path("items").valueStream().flatMap(n -> n.path("ids").valueStream())
                .map(JsonNode::asString).toList();
        assertThat(ids).doesNotHaveDuplicates();
        return inbox.path("items").valueStream().filter(n -> n.path("kind").asString().equals("reply"))
                .mapToLong(n -> n.path("ids").size()).sum();
    }

    /**
     * The speed layer runs on both nodes as one Kafka Streams application: each counts its share,
     * every node serves the same totals, and every notification exists exactly once. Then node A
     * stops (in the last test) and node B carries on alone with exact counts.
     */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE - 1)
    void theSpeedLayerCountsEveryEventOnceAcrossNodes() throws Exception {
        try (Admin admin = nodeA.getBean(KafkaConnection.class).admin(Map.of())) {
            eventually("both nodes run stream tasks", () -> {
                try {
                    var group = admin.describeConsumerGroups(List.of(SpeedLayer.APPLICATION_ID)).all().get()
                            .get(SpeedLayer.APPLICATION_ID);
                    return group.members().size() == 2
                           && group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
                } catch (Exception e) {
                    return false;
                }
            });
        }
        long before = total(url(nodeB), "comments");
        Api annOnA = Accounts.signedUp(url(nodeA), PlatformTest.unique("sann"));
        Api bobOnB = Accounts.signedUp(url(nodeB), PlatformTest.unique("sbob"));
        Api bobOnA = new Api(url(nodeA)).token(bobOnB.token());
        String community = annOnA.post("/api/v1/communities", Map.of("name", PlatformTest.unique("Speed "))).text("id");
        bobOnB.post("/api/v1/communities/" + community + "/join", null);
        speedPost = annOnA.post("/api/v1/communities/" + community + "/posts", Map.of("body", "Reply to me")).text("id");
        for (int i = 0; i < 20; i++) {
            assertThat((i % 2 == 0 ? bobOnA : bobOnB).post("/api/v1/posts/" + speedPost + "/comments",
                    Map.of("body", "reply " + i)).status()).isIn(201, 202);
        }
        eventually("20 comments counted on both nodes", () -> total(url(nodeA), "comments") == before + 20
                                                              && total(url(nodeB), "comments") == before + 20);
        eventually("20 reply notifications", () -> replies(annOnA) == 20);
        Thread.sleep(1000);
        assertThat(replies(annOnA)).isEqualTo(20);
        assertThat(total(url(nodeB), "comments")).isEqualTo(before + 20);
        speedAuthor = new Api(url(nodeB)).token(annOnA.token());
        speedReplier = bobOnB;
        speedBefore = before;
    }

    static String speedPost;
    static Api speedAuthor;
    static Api speedReplier;
    static long speedBefore;

    /** Runs last: it stops node A. */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void chatCrossesNodesAndClientsOfAStoppedNodeRecoverOnTheOther() throws Exception {
        Api annOnA = Accounts.signedUp(url(nodeA), PlatformTest.unique("xann"));
        Api bobOnB = Accounts.signedUp(url(nodeB), PlatformTest.unique("xbob"));
        String room = annOnA.post("/api/v1/usergroups", Map.of("name", "across", "memberIds", List.of(bobOnB.id())))
                .text("id");
        Socket ann = Socket.connect(annOnA);
        Socket bob = Socket.connect(bobOnB);
        ann.await("hello");
        bob.await("hello");
        assertThat(ann.await("presence", f -> f.path("user").asString().equals(bobOnB.id())).path("status").asString())
                .isEqualTo("online");

        ann.send(Map.of("type", "send", "room", room, "body", "from A", "clientMsgId", "a1"));
        assertThat(bob.await("message").path("body").asString()).isEqualTo("from A");
        bob.send(Map.of("type", "send", "room", room, "body", "from B", "clientMsgId", "b1"));
        assertThat(ann.await("message", f -> f.path("body").asString().equals("from B"))).isNotNull();
        bob.send(Map.of("type", "typing", "room", room));
        assertThat(ann.await("typing").path("user").asString()).isEqualTo(bobOnB.id());

        List<Long> acked = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            ann.send(Map.of("type", "send", "room", room, "body", "burst " + i, "clientMsgId", "burst" + i));
            acked.add(ann.await("ack", f -> f.path("clientMsgId").asString().startsWith("burst")).path("seq").asLong());
        }
        // Say the client had seen up to "burst 4" when its node went away.
        long lastSeen = acked.get(4);
        nodeA.close();
        assertThat(ann.closed.get(20, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();

        // Ann's client reconnects to node B and asks for what came after the last message it saw.
        Api annOnB = new Api(url(nodeB)).token(annOnA.token());
        Socket annAgain = Socket.connect(annOnB);
        annAgain.await("hello");
        annAgain.send(Map.of("type", "sync", "room", room, "after", lastSeen));
        List<Long> recovered = new ArrayList<>();
        JsonNode frame;
        do {
            frame = annAgain.await("message");
            recovered.add(frame.path("seq").asLong());
        } while (!frame.path("body").asString().equals("burst 14"));
        assertThat(recovered).containsExactlyElementsOf(acked.subList(5, 15));
        var history = bobOnB.get("/api/v1/rooms/" + room + "/messages?limit=100");
        assertThat(history.body().valueStream().map(m -> m.path("seq").asLong()).toList()).containsAll(acked);
        annAgain.close();
        bob.close();

        // Node B's stream threads took over node A's tasks: counts and notifications stay exact.
        if (speedPost != null) {
            for (int i = 0; i < 10; i++) {
                assertThat(speedReplier.post("/api/v1/posts/" + speedPost + "/comments", Map.of("body", "after " + i))
                        .status()).isIn(201, 202);
            }
            eventually("30 comments counted by the node left", () -> total(url(nodeB), "comments") == speedBefore + 30);
            eventually("30 reply notifications", () -> replies(speedAuthor) == 30);
            Thread.sleep(1000);
            assertThat(total(url(nodeB), "comments")).isEqualTo(speedBefore + 30);
            assertThat(replies(speedAuthor)).isEqualTo(30);
        }
    }
}
