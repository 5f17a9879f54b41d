package org.c18n.search;

import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;

/**
 * What the feed does to an index: this node's Lucene index, or a bulk request to the cluster's
 * OpenSearch index. {@link #get} sees what was written before it, even when not yet searchable.
 */
interface SearchWrites {
    void put(SearchDoc doc);

    void delete(UUID id);

    /** Deletes a document so that nothing of it stays on disk (an erased person's profile). */
    void purge(UUID id);

    /** Deletes a post's comments. */
    void deleteComments(UUID postId);

    Optional<SearchDoc> get(UUID id);

    /** The index now reflects the log up to (not including) {@code nextOffset} of {@code partition}. */
    void advance(TopicPartition partition, long nextOffset);
}
