package org.c18n.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.c18n.C18nApplication;
import org.c18n.client.Api;
import org.c18n.infra.EmbeddedKafkaBroker;
import org.c18n.infra.EmbeddedPostgresServer;
import org.c18n.infra.KafkaConnection;
import org.c18n.post.PostEvents;
import org.c18n.support.Accounts;
import org.c18n.support.Eventually;
import org.c18n.support.OpenSearchNode;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Two app nodes in OpenSearch mode on a shared Kafka and PostgreSQL: the nodes share the indexing
 * (each event indexed once per cluster: every document's version stays 1), a post written on
 * either is found through both, and a node restarted resumes from the positions stored in the
 * index rather than indexing again what the cluster already indexed.
 */
class OpenSearchClusterTest {
    static final Path DIR = Path.of("target", "test-data", "opensearch-cluster-" + UUID.randomUUID());
    static final String PREFIX = "cluster-" + UUID.randomUUID().toString().substring(0, 8);
    static final ObjectMapper JSON = new ObjectMapper();
    static EmbeddedKafkaBroker kafka;
    static EmbeddedPostgresServer postgres;
    static ConfigurableApplicationContext nodeA;
    static ConfigurableApplicationContext nodeB;

    @BeforeAll
    static void startCluster() throws Exception {
        OpenSearchNode.get();
        kafka = EmbeddedKafkaBroker.start(DIR.resolve("external-kafka"), 0);
        postgres = EmbeddedPostgresServer.start(DIR.resolve("external-postgres"));
        nodeA = node("a");
        nodeB = node("b");
    }

    static ConfigurableApplicationContext node(String name) {
        return new SpringApplicationBuilder(C18nApplication.class).run(
                "--server.port=0",
                "--management.server.port=0",
                "--c18n.hub.port=0",
                "--c18n.node-id=node-" + name,
                "--c18n.data-dir=" + DIR.resolve("node-" + name),
                "--c18n.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--c18n.kafka.properties-file=" + kafka.clientPropertiesFile(),
                "--c18n.db.url=" + postgres.jdbcUrl(),
                "--c18n.db.username=postgres",
                "--c18n.db.password=" + postgres.password(),
                "--c18n.admin.username=admin",
                "--c18n.admin.password=cluster-admin-password",
                "--c18n.search.backend=opensearch",
                "--c18n.search.opensearch.url=" + OpenSearchNode.get().url(),
                "--c18n.search.opensearch.index-prefix=" + PREFIX);
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
    void eachEventIsIndexedOncePerClusterAndARestartedNodeDoesNotIndexAgain() throws Exception {
        awaitBothIndexing();
        Api onA = Accounts.signedUp(url(nodeA), PlatformTest.unique("osa"));
        Api onB = new Api(url(nodeB)).token(onA.token());
        String word = "quokka" + UUID.randomUUID().toString().substring(0, 6).replaceAll("[0-9-]", "z");
        var community = onA.post("/api/v1/communities", Map.of("name", PlatformTest.unique("Quokkas ")));
        assertThat(community.status()).isEqualTo(201);
        String c = community.text("id");
        List<String> posts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            var created = (i % 2 == 0 ? onA : onB).post("/api/v1/communities/" + c + "/posts",
                    Map.of("title", "Post " + i + " about " + word, "body", "Seen on the island."));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            posts.add(created.text("id"));
        }
        // Whichever node indexed a post, both find all of them.
        for (Api node : List.of(onA, onB)) {
            JsonNode found = Eventually.get(() -> node.get("/api/v1/search?q=" + word + "&limit=50").body(),
                    r -> r.path("items").size() == posts.size(), Duration.ofSeconds(20));
            assertThat(found.path("items").valueStream().map(i -> i.path("id").asString()).toList())
                    .containsExactlyInAnyOrderElementsOf(posts);
        }
        for (String post : posts) {
            assertThat(version(post)).as("times post " + post + " was written to OpenSearch").isEqualTo(1);
        }
        // Every post's event is in the day's events index, once.
        assertThat(Eventually.get(() -> createdEvents(c), n -> n == posts.size(), Duration.ofSeconds(10))).isEqualTo(posts.size());

        // Node b stops (node a takes all partitions), then comes back (they are shared again).
        nodeB.close();
        nodeB = node("b");
        awaitBothIndexing();
        var later = onA.post("/api/v1/communities/" + c + "/posts", Map.of("title", "Later " + word, "body", "After the restart."));
        assertThat(later.status()).isEqualTo(201);
        Api onBAgain = new Api(url(nodeB)).token(onA.token());
        assertThat(Eventually.get(() -> onBAgain.get("/api/v1/search?q=" + word + "&limit=50").body(),
                r -> r.path("items").size() == posts.size() + 1, Duration.ofSeconds(20)).path("items")).hasSize(posts.size() + 1);
        for (String post : posts) {
            assertThat(version(post)).as("times post " + post + " was written after the restart").isEqualTo(1);
        }
        assertThat(version(later.text("id"))).isEqualTo(1);
    }

    /** Both nodes hold partitions of the shared search group. */
    static void awaitBothIndexing() throws Exception {
        try (Admin admin = nodeA.getBean(KafkaConnection.class).admin(Map.of())) {
            long deadline = System.currentTimeMillis() + 60_000;
            var group = admin.describeConsumerGroups(List.of(OpenSearchIndexer.GROUP)).all().get().get(OpenSearchIndexer.GROUP);
            while ((group.members().size() < 2 || group.members().stream().anyMatch(m -> m.assignment().topicPartitions().isEmpty()))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
                group = admin.describeConsumerGroups(List.of(OpenSearchIndexer.GROUP)).all().get().get(OpenSearchIndexer.GROUP);
            }
            assertThat(group.members()).hasSize(2);
            assertThat(group.members()).allSatisfy(m -> assertThat(m.assignment().topicPartitions()).isNotEmpty());
        }
    }

    /** How many times OpenSearch was told to write the document (its version). */
    static long version(String id) throws Exception {
        return get("/" + PREFIX + "-search/_doc/" + id).path("_version").asLong();
    }

    static long createdEvents(String community) {
        try {
            String query = JSON.writeValueAsString(Map.of("query", Map.of("bool", Map.of("filter", List.of(
                    Map.of("term", Map.of("type", PostEvents.CREATED)), Map.of("term", Map.of("community", community)))))));
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(OpenSearchNode.get().url() + "/" + PREFIX + "-events-*/_count"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(query)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body()).path("count").asLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(OpenSearchNode.get().url() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
