package org.c18n.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.c18n.support.Problems.assertProblem;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.c18n.client.Api;
import org.c18n.support.Eventually;
import org.c18n.support.LatePort;
import org.c18n.support.OpenSearchNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every case of {@link SearchTest} against the OpenSearch backend: a platform of its own (its own
 * data dir, so its own embedded Kafka and PostgreSQL) with {@code C18N_SEARCH=opensearch} on a real
 * OpenSearch node. The platform starts while nothing answers at OpenSearch's address; the first
 * case then lets OpenSearch answer there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenSearchSearchTest extends SearchTest {
    static final LatePort OPENSEARCH = new LatePort();

    @Autowired
    OpenSearchIndexer openSearchIndexer;
    @Autowired
    OpenSearchSearch openSearch;
    @Autowired
    OpenSearchIndex openSearchIndex;

    @DynamicPropertySource
    static void openSearch(DynamicPropertyRegistry registry) {
        registry.add(DATA_DIR_SUFFIX, () -> "-opensearch");
        registry.add("c18n.search.backend", () -> "opensearch");
        registry.add("c18n.search.opensearch.url", () -> "http://127.0.0.1:" + OPENSEARCH.port());
        registry.add("c18n.search.opensearch.index-prefix", () -> "c18n-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @Test
    @Order(1)
    void aNodeStartedWhileOpenSearchWasAwayIndexesWhatWasWrittenOnceItAnswers() throws Exception {
        Api ann;
        String c;
        String p;
        try {
            ann = signedUp("away");
            c = community(ann, unique("Away "), Map.of());
            p = post(ann, c, "Written while search was away", "Kept in the log meanwhile.");
            assertProblem(ann.get("/api/v1/search?q=away&community=" + c), 503, "search-unavailable", "try again");
        } finally {
            OPENSEARCH.forwardTo(URI.create(OpenSearchNode.get().url()).getPort());
        }
        var found = Eventually.get(() -> ann.get("/api/v1/search?q=away&community=" + c),
                r -> r.status() == 200 && r.body().path("items").size() == 1, Duration.ofSeconds(30));
        assertThat(ids(found.body())).containsExactly(p);
    }

    @Test
    @Override
    void anIndexRebuiltFromTheLogFindsWhatTheLiveIndexFinds(@org.junit.jupiter.api.io.TempDir Path unused) {
        RebuildCase rebuild = rebuildCase("Narwhals are whales", "whale");
        sleep(500); // the live index refreshes at most every 250 ms
        String rebuilt = openSearchIndexer.rebuildInto(n -> {});
        assertThat(openSearchIndex.count(rebuilt)).isGreaterThan(0);
        rebuild.assertSameAnswers((request, user) -> openSearch.search(openSearchIndex.alias(), request, user, new ServerTiming()),
                (request, user) -> openSearch.search(rebuilt, request, user, new ServerTiming()));

        // The alias moves to the rebuilt index in one step; searches through the API then read it.
        openSearchIndex.swap(rebuilt);
        assertThat(ids(searchUntil(rebuild.ann(), "q=narwhal&community=" + rebuild.community(), 2))).contains(rebuild.post());
        assertThat(openSearchIndex.positions(rebuilt)).isNotEmpty();
    }
}
