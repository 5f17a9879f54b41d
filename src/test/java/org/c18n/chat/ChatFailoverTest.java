package org.c18n.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.c18n.client.Api;
import org.c18n.infra.EmbeddedKafkaBroker;
import org.c18n.infra.EmbeddedPostgresServer;
import org.c18n.support.Accounts;
import org.c18n.support.ChildPlatform;
import org.c18n.support.Eventually;
import org.c18n.support.PlatformTest;
import org.c18n.support.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two app processes on one Kafka and one PostgreSQL; one is killed with -9 in the middle of a
 * conversation. Its client reconnects to the other node and gets every acknowledged message it
 * had not seen, once and in order, at once (not only after the dead node's partitions move); the
 * speed layer's totals and notifications stay exact on the surviving node.
 */
class ChatFailoverTest {
    final Path dir = Path.of("target", "test-data", "failover-" + UUID.randomUUID());
    EmbeddedKafkaBroker kafka;
    EmbeddedPostgresServer postgres;
    ChildPlatform nodeA;
    ChildPlatform nodeB;

    @AfterEach
    void stop() throws Exception {
        for (ChildPlatform node : new ChildPlatform[] {nodeA, nodeB}) {
            if (node != null) {
                node.stop();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    ChildPlatform node(String name) throws Exception {
        return new ChildPlatform(dir.resolve(name + ".log"), ChildPlatform.freePort(),
                "--c18n.data-dir=" + dir.resolve(name).toAbsolutePath(), "--c18n.node-id=" + name,
                "--c18n.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--c18n.kafka.properties-file=" + kafka.clientPropertiesFile(), "--c18n.db.url=" + postgres.jdbcUrl(),
                "--c18n.db.username=postgres", "--c18n.db.password=" + postgres.password(), "--c18n.admin.username=admin", "--c18n.admin.password=failover-admin",
                // The test sends faster than a person: lift the per-connection send limit.
                "--c18n.chat.messages-per-second=1000")
                .start();
    }

    @Test
    void aKilledNodesClientsRecoverEveryAcknowledgedMessageOnTheOtherNode() throws Exception {
        kafka = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        postgres = EmbeddedPostgresServer.start(dir.resolve("postgres"));
        nodeA = node("a");
        nodeB = node("b");

        Api annOnA = Accounts.signedUp(nodeA.base(), PlatformTest.unique("fann"));
        Api bobOnB = Accounts.signedUp(nodeB.base(), PlatformTest.unique("fbob"));
        // Several rooms, so that some live in partitions that node A was projecting when it died.
        List<String> rooms = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            rooms.add(annOnA.post("/api/v1/usergroups", Map.of("name", "failover " + r, "memberIds",
                    List.of(bobOnB.id()))).text("id"));
        }
        Socket ann = Socket.connect(annOnA);
        Socket bob = Socket.connect(bobOnB);
        ann.await("hello");
        bob.await("hello");

        // Replies for the speed layer to count and to notify, half of them through the node that dies.
        String community = annOnA.post("/api/v1/communities", Map.of("name", PlatformTest.unique("Failover "))).text("id");
        bobOnB.post("/api/v1/communities/" + community + "/join", null);
        String post = annOnA.post("/api/v1/communities/" + community + "/posts", Map.of("body", "Reply here")).text("id");
        Api bobOnA = new Api(nodeA.base()).token(bobOnB.token());
        for (int i = 0; i < 5; i++) {
            assertThat(bobOnA.post("/api/v1/posts/" + post + "/comments", Map.of("body", "before " + i)).status()).isIn(201, 202);
        }

        Map<String, List<Long>> acked = new java.util.HashMap<>();
        for (String room : rooms) {
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ann.send(Map.of("type", "send", "room", room, "body", "m" + i, "clientMsgId", room + i));
                seqs.add(ann.await("ack").path("seq").asLong());
            }
            acked.put(room, seqs);
        }
        for (int i = 0; i < 60; i++) {
            bob.await("message");
        }
        nodeA.kill();

        // Bob goes on writing on node B; nobody projects node A's partitions until its session
        // expires, but B's gateway has seen these messages in the log.
        for (String room : rooms) {
            for (int i = 0; i < 3; i++) {
                bob.send(Map.of("type", "send", "room", room, "body", "after " + i, "clientMsgId", "after" + room + i));
                acked.get(room).add(bob.await("ack").path("seq").asLong());
            }
        }

        Api annOnB = new Api(nodeB.base()).token(annOnA.token());
        Socket annAgain = Socket.connect(annOnB);
        annAgain.await("hello");
        for (String room : rooms) {
            List<Long> seqs = acked.get(room);
            annAgain.send(Map.of("type", "sync", "room", room, "after", seqs.get(4)));
            List<Long> recovered = new ArrayList<>();
            for (int i = 5; i < 13; i++) {
                recovered.add(annAgain.await("message", f -> f.path("room").asString().equals(room)).path("seq").asLong());
            }
            assertThat(recovered).as("room " + room).containsExactlyElementsOf(seqs.subList(5, 13));
            assertThat(annAgain.await("synced").path("seq").asLong()).isEqualTo(seqs.get(12));
        }

        // The conversation goes on, on the surviving node.
        bob.send(Map.of("type", "send", "room", rooms.get(0), "body", "still here?", "clientMsgId", "b"));
        assertThat(annAgain.await("message").path("body").asString()).isEqualTo("still here?");

        // The speed layer too: node B's stream threads take over the killed node's tasks (after its
        // 10 s session) from their changelogs, and every count and notification stays exact.
        for (int i = 0; i < 5; i++) {
            assertThat(bobOnB.post("/api/v1/posts/" + post + "/comments", Map.of("body", "after " + i)).status()).isIn(201, 202);
        }
        Api admin = new Api(nodeB.base()).login("admin", "failover-admin");
        Map<String, Long> expected = Map.of("users", 3L, "communities", 1L, "usergroups", 6L, "posts.text", 1L,
                "comments", 10L, "messages", 79L);
        Map<String, Long> totals = Eventually.get(() -> {
            Map<String, Long> now = new java.util.HashMap<>();
            admin.get("/api/v1/analytics/totals").body().path("totals").properties()
                    .forEach(e -> now.put(e.getKey(), e.getValue().asLong()));
            return now;
        }, expected::equals, java.time.Duration.ofSeconds(90));
        assertThat(totals).isEqualTo(expected);
        // Replies to one post are one entry of the inbox: its ids are the notifications.
        JsonNode inbox = Eventually.get(() -> annOnB.get("/api/v1/notifications?limit=100").body(),
                body -> body.path("items").valueStream().filter(n -> n.path("kind").asString().equals("reply"))
                        .mapToLong(n -> n.path("ids").size()).sum() >= 10, java.time.Duration.ofSeconds(60));
        assertThat(inbox.path("items").valueStream().filter(n -> n.path("kind").asString().equals("reply"))
                .mapToLong(n -> n.path("ids").size()).sum()).isEqualTo(10);
        assertThat(inbox.path("items").valueStream().flatMap(n -> n.path("ids").valueStream()).map(JsonNode::asString)
                .toList()).doesNotHaveDuplicates();
        annAgain.close();
        bob.close();
    }
}
