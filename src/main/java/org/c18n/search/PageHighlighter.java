package org.c18n.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.uhighlight.DefaultPassageFormatter;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;

/**
 * Marks the title and text of the page shown, from the word offsets the index keeps for them,
 * and from the documents the search already read: Lucene's highlighter on its own reads every
 * hit's stored fields again and merges the index's field descriptions on each call.
 */
final class PageHighlighter extends UnifiedHighlighter {
    static final String[] FIELDS = {SearchDoc.F_TITLE, SearchDoc.F_BODY};

    private final Map<Integer, SearchDoc> page;

    /** {@code page}: the page's documents by Lucene document number. */
    PageHighlighter(IndexSearcher searcher, Map<Integer, SearchDoc> page) {
        super(UnifiedHighlighter.builder(searcher, SearchIndex.ANALYZER)
                .withFormatter(new DefaultPassageFormatter("<mark>", "</mark>", " … ", true))
                .withMaxLength(20_000));
        this.page = page;
    }

    /** Title and text are indexed with offsets in every segment (index schema 3 on). */
    @Override
    protected OffsetSource getOffsetSource(String field) {
        return OffsetSource.POSTINGS;
    }

    @Override
    protected List<CharSequence[]> loadFieldValues(String[] fields, DocIdSetIterator docs, int cacheCharsThreshold)
            throws IOException {
        List<CharSequence[]> values = new ArrayList<>();
        for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
            SearchDoc read = page.get(doc);
            CharSequence[] texts = new CharSequence[fields.length];
            for (int i = 0; i < fields.length; i++) {
                texts[i] = read == null ? null : switch (fields[i]) {
                    case SearchDoc.F_TITLE -> read.title();
                    case SearchDoc.F_BODY -> read.body();
                    default -> throw new IllegalArgumentException("not highlighted: " + fields[i]);
                };
            }
            values.add(texts);
        }
        return values;
    }
}
