package org.c18n.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.c18n.post.PostJson;
import org.c18n.web.CurrentUser;
import org.c18n.web.Ref;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * Runs searches against an index with the caller's rights applied inside the query, so that
 * what a caller may not see is neither in the hits nor in the counts: a private community's
 * content only for its members (and admins), a user-group's posts and every message only for
 * the members of the group or conversation, a pending post only for its author.
 */
@Component
@ConditionalOnProperty(name = SearchProperties.BACKEND, havingValue = "lucene", matchIfMissing = true)
public class Search implements SearchBackend {
    public static final int MAX_OFFSET = 1000;
    static final int SUGGESTIONS = 8;
    private static final int TOP_COMMUNITIES = 10;
    /** Fewer exact matches than this, and misspelt words are corrected against the index's words. */
    private static final int TYPO_RETRY_BELOW = 5;
    /** How many of the best matches by relevance the recency factor may reorder. */
    private static final int RERANK_WINDOW = 100;
    /** Matches counted for the facets and the total at most ("1,000+" beyond). */
    static final int COUNT_CAP = 1_000;

    private final HitNames hitNames;
    private final AccessFilters access;
    private final SearchIndexer indexer;

    Search(HitNames hitNames, AccessFilters access, SearchIndexer indexer) {
        this.hitNames = hitNames;
        this.access = access;
        this.indexer = indexer;
    }

    @Override
    public Result search(Request request, CurrentUser me, ServerTiming timing) {
        return search(indexer.index(), request, me, timing);
    }

    @Override
    public List<Suggestion> suggest(String q, CurrentUser me) {
        return suggest(indexer.index(), q, me);
    }

    /** {@code q} may be empty when a filter is given: then the newest matches come first. */
    public record Request(String q, String type, UUID community, String tag, UUID author, Instant from, Instant to,
                          int offset, int limit) {}

    /**
     * One hit. {@code titleHtml} and {@code snippet} are HTML: the user's text escaped, the
     * matched words in {@code <mark>}; the other fields are plain text.
     */
    public record Hit(String type, UUID id, String title, String titleHtml, String snippet, String username,
                      List<String> tags, PostJson.Author author, Ref community, Ref post, Ref room, Instant at) {}

    public record CommunityCount(UUID id, String name, long count) {}

    public record Facets(Map<String, Long> type, List<CommunityCount> community) {}

    /**
     * {@code totalExact} false: more matched than were counted, {@code total} and the facets are
     * lower bounds. {@code didYouMean}: the query with its misspelt words corrected, when the words
     * as typed found little and the corrected ones were searched as well; otherwise null.
     */
    public record Result(List<Hit> items, String nextCursor, long total, boolean totalExact, Facets facets,
                         String didYouMean) {}

    public record Suggestion(String type, UUID id, String name, String displayName) {}

    public Result search(SearchIndex index, Request request, CurrentUser me) {
        return search(index, request, me, new ServerTiming());
    }

    /**
     * Two passes: every match counted by type and community (no scoring, up to {@link #COUNT_CAP}),
     * then the best of the chosen type and community by relevance (which lets Lucene skip what cannot
     * make the top), reranked by recency; only the page shown is highlighted. {@code timing} hears
     * what each part took.
     */
    public Result search(SearchIndex index, Request request, CurrentUser me, ServerTiming timing) {
        String q = request.q() == null ? "" : request.q().strip();
        long started = System.nanoTime();
        SearchQuery typed = q.isEmpty() ? null : SearchQuery.parse(q);
        Query rights = access.of(me);
        timing.add("rights", started);
        return index.search(searcher -> {
            try {
                long counting = System.nanoTime();
                SearchQuery text = typed;
                String didYouMean = null;
                FacetCounts facets = count(searcher, text, request, rights);
                if (text != null && facets.selected < TYPO_RETRY_BELOW) {
                    Optional<SearchQuery> corrected = text.corrected(searcher.getIndexReader());
                    if (corrected.isPresent()) {
                        text = corrected.get();
                        didYouMean = text.toString();
                        facets = count(searcher, text, request, rights);
                    }
                }
                timing.add("count", counting);
                long ranking = System.nanoTime();
                BooleanQuery.Builder chosen = filtered(text, request, rights);
                if (request.type() != null) {
                    chosen.add(AccessFilters.type(request.type()), Occur.FILTER);
                }
                if (request.community() != null) {
                    chosen.add(new TermQuery(new Term(SearchDoc.F_COMMUNITY, request.community().toString())), Occur.FILTER);
                }
                int wanted = request.offset() + request.limit() + 1;
                ScoreDoc[] ranked = text == null
                        ? searcher.search(chosen.build(), wanted, new Sort(new SortField(SearchDoc.F_TIME, SortField.Type.LONG, true))).scoreDocs
                        : RecencyBoost.rerank(searcher, searcher.search(chosen.build(), Math.max(wanted, RERANK_WINDOW)).scoreDocs,
                                System.currentTimeMillis());
                ScoreDoc[] page = Arrays.copyOfRange(ranked, Math.min(request.offset(), ranked.length),
                        Math.min(request.offset() + request.limit(), ranked.length));
                boolean more = ranked.length > request.offset() + request.limit() && request.offset() + request.limit() <= MAX_OFFSET;
                List<SearchDoc> docs = new ArrayList<>(page.length);
                for (ScoreDoc hit : page) {
                    docs.add(SearchDoc.fromDocument(searcher.storedFields().document(hit.doc)));
                }
                timing.add("rank", ranking);
                long naming = System.nanoTime();
                HitNames.Names names = hitNames.of(docs, topCommunities(facets), me);
                timing.add("names", naming);
                return new Result(hits(searcher, text, page, docs, names, timing),
                        more ? org.c18n.web.Page.encode(Integer.toString(request.offset() + request.limit())) : null,
                        facets.selected, facets.complete, new Facets(typeCounts(facets.byType()), communityCounts(facets.byCommunity(), names.communities())),
                        didYouMean);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Every match counted by type and by community: the tabs and the community list show what the other choices find. */
    private static FacetCounts count(IndexSearcher searcher, SearchQuery text, Request request, Query rights) throws IOException {
        FacetCounts facets = new FacetCounts(request.type(), request.community() == null ? null : request.community().toString(),
                COUNT_CAP);
        searcher.search(filtered(text, request, rights).build(), facets);
        return facets;
    }

    /** The words (all documents when none) within what the caller may see and the tag, author and time filters. */
    private static BooleanQuery.Builder filtered(SearchQuery text, Request request, Query rights) {
        BooleanQuery.Builder base = new BooleanQuery.Builder()
                .add(text == null ? new MatchAllDocsQuery() : text.query(), text == null ? Occur.FILTER : Occur.MUST)
                .add(rights, Occur.FILTER);
        if (request.tag() != null) {
            base.add(new TermQuery(new Term(SearchDoc.F_TAG, request.tag().toLowerCase(Locale.ROOT))), Occur.FILTER);
        }
        if (request.author() != null) {
            base.add(new TermQuery(new Term(SearchDoc.F_AUTHOR, request.author().toString())), Occur.FILTER);
        }
        if (request.from() != null || request.to() != null) {
            base.add(LongPoint.newRangeQuery(SearchDoc.F_TIME,
                    request.from() == null ? Long.MIN_VALUE : request.from().toEpochMilli(),
                    request.to() == null ? Long.MAX_VALUE : request.to().toEpochMilli()), Occur.FILTER);
        }
        return base;
    }

    /** Users and communities whose names start with what was typed: exact names first, then the shortest. */
    public List<Suggestion> suggest(SearchIndex index, String q, CurrentUser me) {
        String typed = q.strip().toLowerCase(Locale.ROOT);
        Query query = new BooleanQuery.Builder()
                .add(SearchQuery.suggestion(q), Occur.MUST)
                .add(new TermInSetQuery(SearchDoc.F_TYPE, List.of(new BytesRef(SearchDoc.USERS), new BytesRef(SearchDoc.COMMUNITIES))), Occur.FILTER)
                .add(access.of(me), Occur.FILTER)
                .build();
        return index.search(searcher -> {
            try {
                List<Suggestion> found = new ArrayList<>();
                for (ScoreDoc hit : searcher.search(query, 50).scoreDocs) {
                    SearchDoc doc = SearchDoc.fromDocument(searcher.storedFields().document(hit.doc));
                    found.add(doc.type().equals(SearchDoc.USERS)
                            ? new Suggestion(doc.type(), doc.id(), doc.name(), doc.title())
                            : new Suggestion(doc.type(), doc.id(), doc.title(), null));
                }
                found.sort(Comparator.<Suggestion>comparingInt(s -> rank(s, typed))
                        .thenComparingInt(s -> s.name().length())
                        .thenComparing(s -> s.name().toLowerCase(Locale.ROOT)));
                return found.subList(0, Math.min(SUGGESTIONS, found.size()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static int rank(Suggestion suggestion, String typed) {
        String name = suggestion.name().toLowerCase(Locale.ROOT);
        String display = suggestion.displayName() == null ? "" : suggestion.displayName().toLowerCase(Locale.ROOT);
        if (name.equals(typed) || display.equals(typed)) {
            return 0;
        }
        return name.startsWith(typed) || display.startsWith(typed) ? 1 : 2;
    }

    /** The page's documents, marked where they matched (the page only), with the names they refer to. */
    private static List<Hit> hits(IndexSearcher searcher, SearchQuery text, ScoreDoc[] page, List<SearchDoc> docs, HitNames.Names names,
                                  ServerTiming timing) throws IOException {
        long highlighting = System.nanoTime();
        Map<String, String[]> marked = Map.of();
        if (text != null && page.length > 0) {
            Map<Integer, SearchDoc> byNumber = new HashMap<>();
            for (int i = 0; i < page.length; i++) {
                byNumber.put(page[i].doc, docs.get(i));
            }
            marked = new PageHighlighter(searcher, byNumber).highlightFields(PageHighlighter.FIELDS, text.highlight(),
                    Arrays.stream(page).mapToInt(d -> d.doc).toArray(), new int[] {1, 2});
        }
        timing.add("highlight", highlighting);
        List<Hit> hits = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            SearchDoc doc = docs.get(i);
            String titleHtml = doc.title() == null ? null : pick(marked.get(SearchDoc.F_TITLE), i);
            String snippet = doc.body() == null ? null : pick(marked.get(SearchDoc.F_BODY), i);
            if (text == null) {
                titleHtml = plainTitle(doc);
                snippet = plainSnippet(doc);
            }
            hits.add(hit(doc, titleHtml, snippet, names));
        }
        return hits;
    }

    /** The hit shown for {@code doc}, its title and snippet already marked (HTML). */
    static Hit hit(SearchDoc doc, String titleHtml, String snippet, HitNames.Names names) {
        return new Hit(doc.type(), doc.id(), doc.title(), titleHtml, snippet,
                doc.type().equals(SearchDoc.USERS) ? doc.name() : null, doc.tags(),
                doc.type().equals(SearchDoc.USERS) || doc.author() == null ? null : names.people().get(doc.author()),
                ref(doc.community(), names.communities()), ref(doc.post(), names.posts()), ref(doc.room(), names.rooms()),
                doc.at());
    }

    /** Text shown when nothing is marked (a listing without words): escaped, the text cut at 300 characters. */
    static String plainTitle(SearchDoc doc) {
        return doc.title() == null ? null : HtmlUtils.htmlEscape(doc.title());
    }

    static String plainSnippet(SearchDoc doc) {
        return doc.body() == null ? null : HtmlUtils.htmlEscape(doc.body().length() > 300 ? doc.body().substring(0, 300) + " …" : doc.body());
    }

    private static String pick(String[] values, int i) {
        return values == null ? null : values[i];
    }

    private static Ref ref(UUID id, Map<UUID, String> names) {
        return id == null ? null : new Ref(id, names.get(id));
    }

    static Map<String, Long> typeCounts(Map<String, Long> counted) {
        Map<String, Long> types = new LinkedHashMap<>();
        for (String type : SearchDoc.TYPES) {
            types.put(type, counted.getOrDefault(type, 0L));
        }
        return types;
    }

    /** The communities with the most matches, most first. */
    static List<Map.Entry<String, Long>> top(Map<String, Long> counted) {
        return counted.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_COMMUNITIES).toList();
    }

    private static List<UUID> topCommunities(FacetCounts facets) throws IOException {
        return top(facets.byCommunity()).stream().map(e -> UUID.fromString(e.getKey())).toList();
    }

    static List<CommunityCount> communityCounts(Map<String, Long> counted, Map<UUID, String> names) {
        return top(counted).stream().map(e -> new CommunityCount(UUID.fromString(e.getKey()), names.get(UUID.fromString(e.getKey())),
                e.getValue())).toList();
    }
}
