package org.c18n.search;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where searches run: {@code lucene} (default), an index on each node's disk fed by that node;
 * {@code opensearch}, one index in an OpenSearch cluster fed once for all nodes. Every index
 * name starts with {@code opensearch.indexPrefix}, so several platforms may share a cluster.
 */
@ConfigurationProperties("c18n.search")
public record SearchProperties(String backend, OpenSearch opensearch) {
    public static final String BACKEND = "c18n.search.backend";

    public record OpenSearch(URI url, String username, String password, String indexPrefix) {}
}
