package org.c18n.search;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.FilterLeafCollector;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.ScoreMode;

/**
 * Counts every match by type and by community, and passes on to {@code results} only the matches
 * of the chosen type and community: the tabs and the community list show what the other choices
 * would find, computed in the same pass as the page of results.
 */
final class FacetCounts implements Collector {
    private final Collector results;
    private final String type;
    private final String community;
    final Map<String, Long> byType = new HashMap<>();
    final Map<String, Long> byCommunity = new HashMap<>();

    FacetCounts(Collector results, String type, String community) {
        this.results = results;
        this.type = type;
        this.community = community;
    }

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
        SortedDocValues types = DocValues.getSorted(context.reader(), SearchDoc.F_TYPE);
        SortedDocValues communities = DocValues.getSorted(context.reader(), SearchDoc.F_COMMUNITY);
        long[] typeCounts = new long[types.getValueCount()];
        long[] communityCounts = new long[communities.getValueCount()];
        LeafCollector delegate = results.getLeafCollector(context);
        int wantedType = type == null ? -1 : types.lookupTerm(new org.apache.lucene.util.BytesRef(type));
        int wantedCommunity = community == null ? -1 : communities.lookupTerm(new org.apache.lucene.util.BytesRef(community));
        return new FilterLeafCollector(delegate) {
            @Override
            public void collect(int doc) throws IOException {
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
                    in.collect(doc);
                }
            }

            @Override
            public org.apache.lucene.search.DocIdSetIterator competitiveIterator() {
                return null; // every match must be counted, none skipped
            }

            @Override
            public void finish() throws IOException {
                super.finish();
                for (int ord = 0; ord < typeCounts.length; ord++) {
                    if (typeCounts[ord] > 0) {
                        byType.merge(types.lookupOrd(ord).utf8ToString(), typeCounts[ord], Long::sum);
                    }
                }
                for (int ord = 0; ord < communityCounts.length; ord++) {
                    if (communityCounts[ord] > 0) {
                        byCommunity.merge(communities.lookupOrd(ord).utf8ToString(), communityCounts[ord], Long::sum);
                    }
                }
            }
        };
    }

    @Override
    public ScoreMode scoreMode() {
        return results.scoreMode();
    }
}
