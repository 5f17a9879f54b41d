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
import java.util.UUID;
import java.util.stream.Collectors;
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
import org.apache.lucene.search.uhighlight.DefaultPassageFormatter;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.util.BytesRef;
import org.c18n.chat.Rooms;
import org.c18n.post.PostJson;
import org.c18n.web.CurrentUser;
import org.c18n.web.Ref;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * Runs searches against an index with the caller's rights applied inside the query, so that
 * what a caller may not see is neither in the hits nor in the counts: a private community's
 * content only for its members (and admins), a user-group's posts and every message only for
 * the members of the group or conversation, a pending post only for its author.
 */
@Component
public class Search {
    public static final int MAX_OFFSET = 1000;
    static final int SUGGESTIONS = 8;
    private static final int TOP_COMMUNITIES = 10;
    /** Fewer exact matches than this, and the search is tried again with typos allowed. */
    private static final int TYPO_RETRY_BELOW = 5;
    /** How many of the best matches by relevance the recency factor may reorder. */
    private static final int RERANK_WINDOW = 100;
    /** Matches counted for the facets and the total at most. */
    private static final int COUNT_CAP = 10_000;

    private final JdbcClient db;
    private final Rooms rooms;

    public Search(JdbcClient db, Rooms rooms) {
        this.db = db;
        this.rooms = rooms;
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

    /** {@code totalExact} false: more matched than were counted, {@code total} and the facets are lower bounds. */
    public record Result(List<Hit> items, String nextCursor, long total, boolean totalExact, Facets facets) {}

    public record Suggestion(String type, UUID id, String name, String displayName) {}

    public Result search(SearchIndex index, Request request, CurrentUser me) {
        String q = request.q() == null ? "" : request.q().strip();
        Query access = access(me);
        return index.search(searcher -> {
            try {
                if (q.isEmpty()) {
                    return run(searcher, null, request, access, me);
                }
                Result exact = run(searcher, SearchQuery.parse(q, false), request, access, me);
                return exact.total() >= TYPO_RETRY_BELOW ? exact : run(searcher, SearchQuery.parse(q, true), request, access, me);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Two passes: every match counted by type and community (no scoring), then the best of the
     * chosen type and community by relevance (which lets Lucene skip what cannot make the top),
     * reranked by recency.
     */
    private Result run(IndexSearcher searcher, Query text, Request request, Query access, CurrentUser me) throws IOException {
        BooleanQuery.Builder base = new BooleanQuery.Builder()
                .add(text == null ? new MatchAllDocsQuery() : text, text == null ? Occur.FILTER : Occur.MUST)
                .add(access, Occur.FILTER);
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
        FacetCounts facets = new FacetCounts(request.type(), request.community() == null ? null : request.community().toString(),
                COUNT_CAP);
        searcher.search(base.build(), facets);
        if (request.type() != null) {
            base.add(type(request.type()), Occur.FILTER);
        }
        if (request.community() != null) {
            base.add(new TermQuery(new Term(SearchDoc.F_COMMUNITY, request.community().toString())), Occur.FILTER);
        }
        int wanted = request.offset() + request.limit() + 1;
        ScoreDoc[] ranked = text == null
                ? searcher.search(base.build(), wanted, new Sort(new SortField(SearchDoc.F_TIME, SortField.Type.LONG, true))).scoreDocs
                : RecencyBoost.rerank(searcher, searcher.search(base.build(), Math.max(wanted, RERANK_WINDOW)).scoreDocs,
                        System.currentTimeMillis());
        ScoreDoc[] page = Arrays.copyOfRange(ranked, Math.min(request.offset(), ranked.length),
                Math.min(request.offset() + request.limit(), ranked.length));
        boolean more = ranked.length > request.offset() + request.limit() && request.offset() + request.limit() <= MAX_OFFSET;
        return new Result(hits(searcher, text, page, me),
                more ? org.c18n.web.Page.encode(Integer.toString(request.offset() + request.limit())) : null,
                facets.selected, facets.complete, new Facets(typeCounts(facets.byType()), communityCounts(facets.byCommunity())));
    }

    /** Users and communities whose names start with what was typed: exact names first, then the shortest. */
    public List<Suggestion> suggest(SearchIndex index, String q, CurrentUser me) {
        String typed = q.strip().toLowerCase(Locale.ROOT);
        Query query = new BooleanQuery.Builder()
                .add(SearchQuery.suggestion(q), Occur.MUST)
                .add(new TermInSetQuery(SearchDoc.F_TYPE, List.of(new BytesRef(SearchDoc.USERS), new BytesRef(SearchDoc.COMMUNITIES))), Occur.FILTER)
                .add(access(me), Occur.FILTER)
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

    private static int rank(Suggestion suggestion, String typed) {
        String name = suggestion.name().toLowerCase(Locale.ROOT);
        String display = suggestion.displayName() == null ? "" : suggestion.displayName().toLowerCase(Locale.ROOT);
        if (name.equals(typed) || display.equals(typed)) {
            return 0;
        }
        return name.startsWith(typed) || display.startsWith(typed) ? 1 : 2;
    }

    /**
     * What the caller may see, as a filter: every user; communities except private ones they are
     * not in; posts and comments outside such communities, in no group or one of their groups,
     * not pending unless theirs; messages of their rooms.
     */
    private Query access(CurrentUser me) {
        List<BytesRef> hidden = me.admin() ? List.of() : db.sql("""
                        SELECT c.id FROM communities c
                        WHERE c.visibility = 'private'
                          AND NOT EXISTS (SELECT 1 FROM community_members m WHERE m.community_id = c.id AND m.user_id = ?)""")
                .param(me.id()).query(UUID.class).list().stream().map(id -> new BytesRef(id.toString())).toList();
        List<BytesRef> myRooms = rooms.roomIdsOf(me.id()).stream().map(id -> new BytesRef(id.toString())).toList();
        List<BytesRef> groupsOrNone = new ArrayList<>(myRooms);
        groupsOrNone.add(new BytesRef(SearchDoc.NO_USERGROUP));

        BooleanQuery.Builder communities = new BooleanQuery.Builder().add(type(SearchDoc.COMMUNITIES), Occur.FILTER);
        BooleanQuery.Builder content = new BooleanQuery.Builder()
                .add(new TermInSetQuery(SearchDoc.F_TYPE, List.of(new BytesRef(SearchDoc.POSTS), new BytesRef(SearchDoc.COMMENTS))), Occur.FILTER)
                .add(new TermInSetQuery(SearchDoc.F_USERGROUP, groupsOrNone), Occur.FILTER)
                .add(new BooleanQuery.Builder()
                        .add(new TermQuery(new Term(SearchDoc.F_PENDING, "true")), Occur.FILTER)
                        .add(new TermQuery(new Term(SearchDoc.F_AUTHOR, me.id().toString())), Occur.MUST_NOT)
                        .build(), Occur.MUST_NOT);
        if (!hidden.isEmpty()) {
            communities.add(new TermInSetQuery(SearchDoc.F_ID, hidden), Occur.MUST_NOT);
            content.add(new TermInSetQuery(SearchDoc.F_COMMUNITY, hidden), Occur.MUST_NOT);
        }
        BooleanQuery.Builder access = new BooleanQuery.Builder()
                .add(type(SearchDoc.USERS), Occur.SHOULD)
                .add(communities.build(), Occur.SHOULD)
                .add(content.build(), Occur.SHOULD);
        if (!myRooms.isEmpty()) {
            access.add(new BooleanQuery.Builder()
                    .add(type(SearchDoc.MESSAGES), Occur.FILTER)
                    .add(new TermInSetQuery(SearchDoc.F_ROOM, myRooms), Occur.FILTER)
                    .build(), Occur.SHOULD);
        }
        return access.build();
    }

    private static Query type(String type) {
        return new TermQuery(new Term(SearchDoc.F_TYPE, type));
    }

    private List<Hit> hits(IndexSearcher searcher, Query text, ScoreDoc[] page, CurrentUser me) throws IOException {
        List<SearchDoc> docs = new ArrayList<>(page.length);
        for (ScoreDoc hit : page) {
            docs.add(SearchDoc.fromDocument(searcher.storedFields().document(hit.doc)));
        }
        Map<String, String[]> marked = Map.of();
        if (text != null && page.length > 0) {
            UnifiedHighlighter highlighter = UnifiedHighlighter.builder(searcher, SearchIndex.ANALYZER)
                    .withFormatter(new DefaultPassageFormatter("<mark>", "</mark>", " … ", true))
                    .withMaxLength(20_000)
                    .build();
            marked = highlighter.highlightFields(new String[] {SearchDoc.F_TITLE, SearchDoc.F_BODY}, text,
                    Arrays.stream(page).mapToInt(d -> d.doc).toArray(), new int[] {1, 2});
        }
        Map<UUID, PostJson.Author> people = people(docs);
        Map<UUID, String> communities = names("SELECT id, name FROM communities WHERE id = ANY (?)",
                docs.stream().map(SearchDoc::community));
        Map<UUID, String> posts = names("SELECT id, coalesce(title, '') FROM posts WHERE id = ANY (?)",
                docs.stream().map(SearchDoc::post));
        Map<UUID, String> roomNames = roomNames(docs, me);
        List<Hit> hits = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            SearchDoc doc = docs.get(i);
            String titleHtml = doc.title() == null ? null : pick(marked.get(SearchDoc.F_TITLE), i);
            String snippet = doc.body() == null ? null : pick(marked.get(SearchDoc.F_BODY), i);
            if (text == null) {
                titleHtml = doc.title() == null ? null : HtmlUtils.htmlEscape(doc.title());
                snippet = doc.body() == null ? null : HtmlUtils.htmlEscape(doc.body().length() > 300 ? doc.body().substring(0, 300) + " …" : doc.body());
            }
            hits.add(new Hit(doc.type(), doc.id(), doc.title(), titleHtml, snippet,
                    doc.type().equals(SearchDoc.USERS) ? doc.name() : null, doc.tags(),
                    doc.type().equals(SearchDoc.USERS) || doc.author() == null ? null : people.get(doc.author()),
                    ref(doc.community(), communities), ref(doc.post(), posts), ref(doc.room(), roomNames), doc.at()));
        }
        return hits;
    }

    private static String pick(String[] values, int i) {
        return values == null ? null : values[i];
    }

    private static Ref ref(UUID id, Map<UUID, String> names) {
        return id == null ? null : new Ref(id, names.get(id));
    }

    private Map<UUID, PostJson.Author> people(List<SearchDoc> docs) {
        UUID[] ids = docs.stream().map(SearchDoc::author).filter(java.util.Objects::nonNull).distinct().toArray(UUID[]::new);
        if (ids.length == 0) {
            return Map.of();
        }
        return db.sql("SELECT id, username, display_name FROM users WHERE id = ANY (?)").param(ids)
                .query((rs, n) -> new PostJson.Author(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)))
                .list().stream().collect(Collectors.toMap(PostJson.Author::id, a -> a));
    }

    private Map<UUID, String> names(String sql, java.util.stream.Stream<UUID> ids) {
        UUID[] wanted = ids.filter(java.util.Objects::nonNull).distinct().toArray(UUID[]::new);
        Map<UUID, String> names = new HashMap<>();
        if (wanted.length > 0) {
            db.sql(sql).param(wanted).query((rs, n) -> names.put(rs.getObject(1, UUID.class), rs.getString(2))).list();
        }
        return names;
    }

    /** A group's name, or for a direct conversation the other person's username. */
    private Map<UUID, String> roomNames(List<SearchDoc> docs, CurrentUser me) {
        UUID[] wanted = docs.stream().map(SearchDoc::room).filter(java.util.Objects::nonNull).distinct().toArray(UUID[]::new);
        Map<UUID, String> names = new HashMap<>();
        if (wanted.length > 0) {
            db.sql("""
                            SELECT g.id, g.name FROM usergroups g WHERE g.id = ANY (:rooms)
                            UNION ALL
                            SELECT d.id, u.username FROM direct_rooms d
                              JOIN users u ON u.id = CASE WHEN d.user_a = :me THEN d.user_b ELSE d.user_a END
                            WHERE d.id = ANY (:rooms)""")
                    .param("rooms", wanted).param("me", me.id())
                    .query((rs, n) -> names.put(rs.getObject(1, UUID.class), rs.getString(2))).list();
        }
        return names;
    }

    private static Map<String, Long> typeCounts(Map<String, Long> counted) {
        Map<String, Long> types = new LinkedHashMap<>();
        for (String type : SearchDoc.TYPES) {
            types.put(type, counted.getOrDefault(type, 0L));
        }
        return types;
    }

    private List<CommunityCount> communityCounts(Map<String, Long> counted) {
        List<Map.Entry<String, Long>> top = counted.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_COMMUNITIES).toList();
        Map<UUID, String> names = names("SELECT id, name FROM communities WHERE id = ANY (?)",
                top.stream().map(e -> UUID.fromString(e.getKey())));
        return top.stream().map(e -> new CommunityCount(UUID.fromString(e.getKey()), names.get(UUID.fromString(e.getKey())),
                e.getValue())).toList();
    }
}
