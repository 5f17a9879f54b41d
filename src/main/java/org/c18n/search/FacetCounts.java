package org.c18n.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.CollectionTerminatedException;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.util.BytesRef;

/**
 * Counts the matches by type and by community without scoring them, and how many of them are of
 * the chosen type and community (the total of the results): the tabs and the community list show
 * what the other choices would find. Counting stops after {@code cap} matches ({@link #complete}
 * false: the counts are then lower bounds), so that a word found in most documents costs no more
 * than a rare one.
 */
final class FacetCounts implements Collector {
    private final String type;
    private final String community;
    private final List<Leaf> leaves = new ArrayList<>();
    long selected;
    boolean complete = true;
    private final int cap;
    private int counted;

    FacetCounts(String type, String community, int cap) {
        this.type = type;
        this.community = community;
        this.cap = cap;
    }

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
        if (counted >= cap) {
            complete = false;
            throw new CollectionTerminatedException();
        }
        SortedDocValues types = DocValues.getSorted(context.reader(), SearchDoc.F_TYPE);
        SortedDocValues communities = DocValues.getSorted(context.reader(), SearchDoc.F_COMMUNITY);
        long[] typeCounts = new long[types.getValueCount()];
        long[] communityCounts = new long[communities.getValueCount()];
        leaves.add(new Leaf(types, typeCounts, communities, communityCounts));
        int wantedType = type == null ? -1 : types.lookupTerm(new BytesRef(type));
        int wantedCommunity = community == null ? -1 : communities.lookupTerm(new BytesRef(community));
        return new LeafCollector() {
            @Override
            public void setScorer(Scorable scorer) {
                // counts only
            }

            @Override
            public void collect(int doc) throws IOException {
                if (counted >= cap) {
                    complete = false;
                    throw new CollectionTerminatedException();
                }
                counted++;
                int typeOrd = types.advanceExact(doc) ? types.ordValue() : -1;
                int communityOrd = communities.advanceExact(doc) ? communities.ordValue() : -1;
                if (typeOrd >= 0) {
                    typeCounts[typeOrd]++;
                }
                if (communityOrd >= 0) {
                    communityCounts[communityOrd]++;
                }
                if ((type == null || (wantedType >= 0 && typeOrd == wantedType))
                    && (community == null || (wantedCommunity >= 0 && communityOrd == wantedCommunity))) {
                    selected++;
                }
            }
        };
    }

    /** Counts per ordinal of each segment; turned into values once counting is over. */
    private record Leaf(SortedDocValues types, long[] typeCounts, SortedDocValues communities, long[] communityCounts) {}

    Map<String, Long> byType() throws IOException {
        Map<String, Long> counts = new HashMap<>();
        for (Leaf leaf : leaves) {
            add(counts, leaf.types(), leaf.typeCounts());
        }
        return counts;
    }

    Map<String, Long> byCommunity() throws IOException {
        Map<String, Long> counts = new HashMap<>();
        for (Leaf leaf : leaves) {
            add(counts, leaf.communities(), leaf.communityCounts());
        }
        return counts;
    }

    private static void add(Map<String, Long> counts, SortedDocValues values, long[] perOrd) throws IOException {
        for (int ord = 0; ord < perOrd.length; ord++) {
            if (perOrd[ord] > 0) {
                counts.merge(values.lookupOrd(ord).utf8ToString(), perOrd[ord], Long::sum);
            }
        }
    }

    @Override
    public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
    }
}
