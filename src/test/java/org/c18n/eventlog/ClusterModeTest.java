package org.c18n.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.c18n.C18nApplication;
import org.c18n.support.Api;
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
        return new SpringApplicationBuilder(C18nApplication.class).run(
                "--server.port=0",
                "--c18n.data-dir=" + DIR.resolve("node-" + name),
                "--c18n.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--c18n.db.url=" + postgres.jdbcUrl(),
                "--c18n.db.username=postgres",
                "--c18n.admin.username=admin",
                "--c18n.admin.password=cluster-admin-password");
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
        Api onA = Api.signedUp(url(nodeA), PlatformTest.unique("nodea"));
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
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
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
        Api onA = Api.signedUp(url(nodeA), PlatformTest.unique("ryw"));
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

    /** Runs last: it stops node A. */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void chatCrossesNodesAndClientsOfAStoppedNodeRecoverOnTheOther() throws Exception {
        Api annOnA = Api.signedUp(url(nodeA), PlatformTest.unique("xann"));
        Api bobOnB = Api.signedUp(url(nodeB), PlatformTest.unique("xbob"));
        String room = annOnA.post("/api/v1/usergroups", Map.of("name", "across", "memberIds", List.of(bobOnB.id())))
                .text("id");
        Socket ann = Socket.connect(url(nodeA), annOnA);
        Socket bob = Socket.connect(url(nodeB), bobOnB);
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
        Socket annAgain = Socket.connect(url(nodeB), annOnB);
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
    }
}
