package org.c18n.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.c18n.client.Api;
import org.c18n.support.OpenSearchNode;
import org.c18n.web.CurrentUser;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every case of {@link SearchTest} against the OpenSearch backend: a platform of its own (its own
 * data dir, so its own embedded Kafka and PostgreSQL) with {@code C18N_SEARCH=opensearch} on a real
 * OpenSearch node.
 */
class OpenSearchSearchTest extends SearchTest {
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
        registry.add("c18n.search.opensearch.url", () -> OpenSearchNode.get().url());
        registry.add("c18n.search.opensearch.index-prefix", () -> "c18n-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @Test
    @Override
    void anIndexRebuiltFromTheLogFindsWhatTheLiveIndexFinds(@org.junit.jupiter.api.io.TempDir Path unused) {
        Api ann = signedUp("rann");
        Api bob = signedUp("rbob");
        String c = community(ann, unique("Rebuild "), Map.of("visibility", "private"));
        String p = post(ann, c, "Narwhal tusks", "Long spiral teeth.");
        ann.patch("/api/v1/posts/" + p, Map.of("title", "Narwhal tusks explained", "body", "Long spiral teeth, edited."));
        String gone = post(ann, c, "Narwhal myths", "Unicorns.");
        ann.delete("/api/v1/posts/" + gone);
        ann.post("/api/v1/posts/" + p + "/comments", Map.of("body", "A narwhal is a whale"));
        searchUntil(ann, "q=narwhal&community=" + c, 2);

        List<String> queries = List.of("narwhal", "\"spiral teeth\"", "narwh*", "narwhall", "whale", "unicorns", "sourdough",
                "fermentation", "ocelot", "lynx");
        CurrentUser annUser = new CurrentUser(UUID.fromString(ann.id()), "ann", false);
        CurrentUser bobUser = new CurrentUser(UUID.fromString(bob.id()), "bob", false);
        sleep(500); // the live index refreshes at most every 250 ms
        String rebuilt = openSearchIndexer.rebuildInto(n -> {});
        assertThat(openSearchIndex.count(rebuilt)).isGreaterThan(0);
        for (String text : queries) {
            for (CurrentUser user : List.of(annUser, bobUser)) {
                var request = new Search.Request(text, null, null, null, null, null, null, 0, 50);
                var live = openSearch.search(openSearchIndex.alias(), request, user, new ServerTiming());
                var fromLog = openSearch.search(rebuilt, request, user, new ServerTiming());
                assertThat(fromLog.items().stream().map(Search.Hit::id).toList()).as(text + " as " + user.id())
                        .isEqualTo(live.items().stream().map(Search.Hit::id).toList());
                assertThat(fromLog.facets()).isEqualTo(live.facets());
            }
        }
        assertThat(openSearch.search(rebuilt, new Search.Request("narwhal", null, null, null, null, null, null, 0, 10), annUser,
                new ServerTiming()).items()).hasSize(2);

        // The alias moves to the rebuilt index in one step; searches through the API then read it.
        openSearchIndex.swap(rebuilt);
        assertThat(ids(searchUntil(ann, "q=narwhal&community=" + c, 2))).contains(p);
        assertThat(openSearchIndex.positions(rebuilt)).isNotEmpty();
    }
}
