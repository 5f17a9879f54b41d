package org.c18n.search;

import java.io.IOException;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.DoubleValues;
import org.apache.lucene.search.DoubleValuesSource;
import org.apache.lucene.search.IndexSearcher;

/**
 * A gentle preference for what was said recently: a factor of {@code 1 + 0.25 × 2^(-age / 30 days)}
 * on the relevance of posts, comments and messages (at most a quarter more for something said
 * now, an eighth for a month ago); users and communities, which carry no time, keep a factor of 1.
 */
final class RecencyBoost extends DoubleValuesSource {
    private static final double MAX_EXTRA = 0.25;
    private static final double HALF_LIFE_MILLIS = 30 * 24 * 3600 * 1000.0;
    private final long now;

    RecencyBoost(long now) {
        this.now = now;
    }

    @Override
    public DoubleValues getValues(LeafReaderContext context, DoubleValues scores) throws IOException {
        NumericDocValues times = DocValues.getNumeric(context.reader(), SearchDoc.F_TIME);
        return new DoubleValues() {
            private double value;

            @Override
            public double doubleValue() {
                return value;
            }

            @Override
            public boolean advanceExact(int doc) throws IOException {
                value = times.advanceExact(doc)
                        ? 1 + MAX_EXTRA * Math.pow(2, -Math.max(0, now - times.longValue()) / HALF_LIFE_MILLIS)
                        : 1;
                return true;
            }
        };
    }

    @Override
    public boolean needsScores() {
        return false;
    }

    @Override
    public DoubleValuesSource rewrite(IndexSearcher searcher) {
        return this;
    }

    @Override
    public boolean isCacheable(LeafReaderContext context) {
        return false;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(now);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecencyBoost boost && boost.now == now;
    }

    @Override
    public String toString() {
        return "recency(" + now + ")";
    }
}
