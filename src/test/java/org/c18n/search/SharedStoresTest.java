package org.c18n.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
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
import org.c18n.client.Api;
import org.c18n.infra.KafkaConnection;
import org.c18n.post.PostEvents;
import org.c18n.support.Accounts;
import org.c18n.support.ChildPlatform;
import org.c18n.support.Eventually;
import org.c18n.support.NodeCluster;
import org.c18n.support.OpenSearchNode;
import org.c18n.support.PlatformTest;
import org.c18n.support.S3Server;
import org.c18n.support.TestMedia;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Three app nodes on a shared Kafka and PostgreSQL, with media in one S3 bucket (S3Proxy) and
 * search in one OpenSearch index, no volume shared: a picture uploaded through one node is served
 * by the others; the nodes share the indexing (each event indexed once per cluster: every
 * document's version stays 1), a post written on any is found through all three; a node killed
 * (SIGKILL: node b runs in a JVM of its own) and started again resumes from the positions stored
 * in the index rather than indexing again what the cluster already indexed.
 */
class SharedStoresTest {
    static final Path DIR = Path.of("target", "test-data", "opensearch-cluster-" + UUID.randomUUID());
    static final String PREFIX = "cluster-" + UUID.randomUUID().toString().substring(0, 8);
    static final ObjectMapper JSON = new ObjectMapper();
    static NodeCluster cluster;
    static final String BUCKET = "c18n-shared";
    static final int NODES = 3;
    static S3Server s3;
    static ConfigurableApplicationContext nodeA;
    static ChildPlatform nodeB;
    static ConfigurableApplicationContext nodeC;

    @BeforeAll
    static void startCluster() throws Exception {
        OpenSearchNode.get();
        s3 = S3Server.start(DIR.resolve("s3"));
        cluster = NodeCluster.start(DIR);
        nodeA = node("a");
        nodeB = cluster.child("b", settings()).start();
        nodeC = node("c");
    }

    static ConfigurableApplicationContext node(String name) {
        return cluster.node(name, settings());
    }

    static List<String> settings() {
        List<String> settings = new ArrayList<>(List.of("--c18n.admin.username=admin",
                "--c18n.admin.password=cluster-admin-password",
                "--c18n.search.backend=opensearch",
                "--c18n.search.opensearch.url=" + OpenSearchNode.get().url(),
                "--c18n.search.opensearch.index-prefix=" + PREFIX));
        settings.addAll(s3.platformArgs(BUCKET));
        return settings;
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (nodeB != null) {
            nodeB.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    static String url(ConfigurableApplicationContext node) {
        return NodeCluster.url(node);
    }

    @Test
    void aPictureUploadedThroughOneNodeIsServedByEveryNode() throws Exception {
        Api onA = Accounts.signedUp(url(nodeA), PlatformTest.unique("s3a"));
        byte[] png = TestMedia.image("png", 640, 480, Color.CYAN);
        var uploaded = onA.upload("/api/v1/media", "shared.png", "image/png", png);
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        String id = uploaded.text("id");
        for (String node : List.of(nodeB.base(), url(nodeC))) {
            Api elsewhere = new Api(node).token(onA.token());
            var served = elsewhere.getBytes("/api/v1/media/" + id);
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).isEqualTo(png);
            assertThat(elsewhere.getBytes("/api/v1/media/" + id + "/thumbnail").statusCode()).isEqualTo(200);
        }
        // No node keeps the file (stored under its SHA-256): it is in the bucket only.
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(png));
        for (String name : List.of("a", "b", "c")) {
            assertThat(filesNamed(DIR.resolve("node-" + name), sha)).isEmpty();
        }
    }

    /** The files under {@code dir} whose name starts so; the engines' temporary files may vanish while it looks. */
    static List<Path> filesNamed(Path dir, String start) throws java.io.IOException {
        List<Path> found = new java.util.ArrayList<>();
        java.nio.file.Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attributes) {
                if (file.getFileName().toString().startsWith(start)) {
                    found.add(file);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, java.io.IOException e) throws java.io.IOException {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return found;
    }

    @Test
    void eachEventIsIndexedOncePerClusterAndARestartedNodeDoesNotIndexAgain() throws Exception {
        awaitAllIndexing();
        Api onA = Accounts.signedUp(url(nodeA), PlatformTest.unique("osa"));
        Api onB = new Api(nodeB.base()).token(onA.token());
        Api onC = new Api(url(nodeC)).token(onA.token());
        String word = "quokka" + UUID.randomUUID().toString().substring(0, 6).replaceAll("[0-9-]", "z");
        var community = onA.post("/api/v1/communities", Map.of("name", PlatformTest.unique("Quokkas ")));
        assertThat(community.status()).isEqualTo(201);
        String c = community.text("id");
        List<String> posts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            var created = List.of(onA, onB, onC).get(i % NODES).post("/api/v1/communities/" + c + "/posts",
                    Map.of("title", "Post " + i + " about " + word, "body", "Seen on the island."));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            posts.add(created.text("id"));
        }
        // Whichever node indexed a post, every node finds all of them.
        for (Api node : List.of(onA, onB, onC)) {
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

        // Node b is killed without warning, then comes back as the same member of the group, with its partitions.
        nodeB.kill();
        nodeB.start();
        awaitAllIndexing();
        var later = onA.post("/api/v1/communities/" + c + "/posts", Map.of("title", "Later " + word, "body", "After the restart."));
        assertThat(later.status()).isEqualTo(201);
        Api onBAgain = new Api(nodeB.base()).token(onA.token());
        assertThat(Eventually.get(() -> onBAgain.get("/api/v1/search?q=" + word + "&limit=50").body(),
                r -> r.path("items").size() == posts.size() + 1, Duration.ofSeconds(20)).path("items")).hasSize(posts.size() + 1);
        for (String post : posts) {
            assertThat(version(post)).as("times post " + post + " was written after the restart").isEqualTo(1);
        }
        assertThat(version(later.text("id"))).isEqualTo(1);
    }

    /** Every node holds partitions of the shared search group. */
    static void awaitAllIndexing() throws Exception {
        try (Admin admin = nodeA.getBean(KafkaConnection.class).admin(Map.of())) {
            long deadline = System.currentTimeMillis() + 60_000;
            var group = admin.describeConsumerGroups(List.of(OpenSearchIndexer.GROUP)).all().get().get(OpenSearchIndexer.GROUP);
            while ((group.members().size() < NODES || group.members().stream().anyMatch(m -> m.assignment().topicPartitions().isEmpty()))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
                group = admin.describeConsumerGroups(List.of(OpenSearchIndexer.GROUP)).all().get().get(OpenSearchIndexer.GROUP);
            }
            assertThat(group.members()).hasSize(NODES);
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
