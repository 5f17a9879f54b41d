package org.c18n.search;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;

/**
 * A gentle preference for what was said recently, applied to the best matches by relevance: a
 * factor of {@code 1 + 0.25 × 2^(-age / 30 days)} on posts, comments and messages (at most a
 * quarter more for something said now, an eighth for a month ago); users and communities, which
 * carry no time, keep a factor of 1. Applied after the search, so that the search itself can skip
 * what cannot make the top (a factor inside the query would force scoring every match).
 */
final class RecencyBoost {
    private static final double MAX_EXTRA = 0.25;
    private static final double HALF_LIFE_MILLIS = 30 * 24 * 3600 * 1000.0;

    private RecencyBoost() {}

    static ScoreDoc[] rerank(IndexSearcher searcher, ScoreDoc[] hits, long now) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        ScoreDoc[] boosted = new ScoreDoc[hits.length];
        for (int i = 0; i < hits.length; i++) {
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(hits[i].doc, leaves));
            NumericDocValues times = DocValues.getNumeric(leaf.reader(), SearchDoc.F_TIME);
            double factor = times.advanceExact(hits[i].doc - leaf.docBase) ? factor(times.longValue(), now) : 1;
            boosted[i] = new ScoreDoc(hits[i].doc, (float) (hits[i].score * factor));
        }
        Arrays.sort(boosted, Comparator.comparingDouble((ScoreDoc d) -> -d.score).thenComparingInt(d -> d.doc));
        return boosted;
    }

    /** The factor of something said at {@code time} (epoch milliseconds). */
    static double factor(long time, long now) {
        return 1 + MAX_EXTRA * Math.pow(2, -Math.max(0, now - time) / HALF_LIFE_MILLIS);
    }
}
