package org.c18n.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;
import org.c18n.support.OpenSearchNode;
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
