package org.c18n.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.c18n.web.CurrentUser;
import org.c18n.web.Page;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The same searches as {@link Search}, answered by the cluster's OpenSearch index: the query
 * language of {@link SearchQuery}, the rules of {@link AccessFilters} as a filter inside the query
 * (so what a caller may not see is neither in the hits nor in the counts), the counts by type and
 * community as aggregations of the same request, misspelt words corrected with OpenSearch's term
 * suggester (same rules: five letters or more, one edit, two for eight or more, same first
 * letter, most frequent first), recency reranking of the best 100, and the page marked by
 * OpenSearch's highlighter ({@code <mark>}, the text HTML-escaped).
 *
 * <p>A caller's rights are read from the views at each search: the node answering may not be the
 * one that reads the membership events (the nodes share the indexing), so none is kept.
 */
@Component
@ConditionalOnProperty(name = SearchProperties.BACKEND, havingValue = "opensearch")
class OpenSearchSearch implements SearchBackend {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OpenSearchSearch.class);
    private static final int TYPO_RETRY_BELOW = 5;
    private static final int RERANK_WINDOW = 100;
    private static final java.util.regex.Pattern ADJACENT_MARKS = java.util.regex.Pattern.compile("</mark>(\\s+)<mark>");

    private final OpenSearchIndex index;
    private final OpenSearchClient client;
    private final ObjectMapper json;
    private final AccessFilters access;
    private final HitNames hitNames;

    OpenSearchSearch(OpenSearchIndex index, AccessFilters access, HitNames hitNames) {
        this.index = index;
        this.client = index.client();
        this.json = client.json();
        this.access = access;
        this.hitNames = hitNames;
    }

    @Override
    public Search.Result search(Search.Request request, CurrentUser me, ServerTiming timing) {
        try {
            return search(index.alias(), request, me, timing);
        } catch (OpenSearchClient.Unavailable | OpenSearchClient.Refused e) {
            throw unavailable(e);
        }
    }

    /** OpenSearch down, or refusing what the node asked: the caller gets a 503 problem, the log the reason. */
    private static org.c18n.eventlog.Refused unavailable(RuntimeException cause) {
        log.warn("OpenSearch did not answer a search: {}", cause.getMessage());
        return new org.c18n.eventlog.Refused(org.c18n.eventlog.Refused.Kind.UNAVAILABLE, "search-unavailable",
                "Search is not available at the moment; try again shortly");
    }

    Search.Result search(String target, Search.Request request, CurrentUser me, ServerTiming timing) {
        String q = request.q() == null ? "" : request.q().strip();
        long started = System.nanoTime();
        SearchQuery text = q.isEmpty() ? null : SearchQuery.parse(q);
        Object rights = rights(access.rights(me));
        timing.add("rights", started);

        long counting = System.nanoTime();
        int wanted = request.offset() + request.limit() + 1;
        JsonNode answer = ranked(target, text, request, rights, wanted);
        String didYouMean = null;
        if (text != null && answer.path("hits").path("total").path("value").asLong() < TYPO_RETRY_BELOW) {
            Optional<SearchQuery> corrected = corrected(target, text);
            if (corrected.isPresent()) {
                text = corrected.get();
                didYouMean = text.toString();
                answer = ranked(target, text, request, rights, wanted);
            }
        }
        timing.add("count", counting);

        long ranking = System.nanoTime();
        List<JsonNode> hits = new ArrayList<>();
        answer.path("hits").path("hits").forEach(hits::add);
        if (text != null) {
            long now = System.currentTimeMillis();
            Map<JsonNode, Double> boosted = new HashMap<>();
            for (JsonNode hit : hits) {
                JsonNode time = hit.path("_source").get(SearchDoc.F_TIME);
                boosted.put(hit, hit.path("_score").asDouble() * (time == null ? 1 : RecencyBoost.factor(time.asLong(), now)));
            }
            hits.sort(Comparator.comparingDouble((JsonNode h) -> -boosted.get(h)));
        }
        List<JsonNode> page = hits.subList(Math.min(request.offset(), hits.size()), Math.min(request.offset() + request.limit(), hits.size()));
        boolean more = hits.size() > request.offset() + request.limit() && request.offset() + request.limit() <= Search.MAX_OFFSET;
        List<SearchDoc> docs = page.stream().map(hit -> OpenSearchIndex.fromSource(hit.path("_source"))).toList();
        timing.add("rank", ranking);

        Map<String, Long> types = buckets(answer.path("aggregations").path("types"));
        Map<String, Long> communities = buckets(answer.path("aggregations").path("communities"));
        long naming = System.nanoTime();
        HitNames.Names names = hitNames.of(docs, Search.top(communities).stream().map(e -> UUID.fromString(e.getKey())).toList(), me);
        timing.add("names", naming);

        long highlighting = System.nanoTime();
        Map<String, JsonNode> marked = text == null || docs.isEmpty() ? Map.of() : highlights(target, text, docs);
        timing.add("highlight", highlighting);
        List<Search.Hit> shown = new ArrayList<>(docs.size());
        for (SearchDoc doc : docs) {
            JsonNode marks = marked.get(doc.id().toString());
            String titleHtml = doc.title() == null ? null : joined(marks == null ? null : marks.get(SearchDoc.F_TITLE), Search.plainTitle(doc));
            String snippet = doc.body() == null ? null : joined(marks == null ? null : marks.get(SearchDoc.F_BODY), Search.plainSnippet(doc));
            shown.add(Search.hit(doc, titleHtml, snippet, names));
        }
        return new Search.Result(shown, more ? Page.encode(Integer.toString(request.offset() + request.limit())) : null,
                answer.path("hits").path("total").path("value").asLong(), true,
                new Search.Facets(Search.typeCounts(types), Search.communityCounts(communities, names.communities())), didYouMean);
    }

    /**
     * One request: the best {@code wanted} (by relevance, else the newest) of the chosen type and
     * community, how many there are, and every match counted by type and community.
     */
    private JsonNode ranked(String target, SearchQuery text, Search.Request request, Object rights, int wanted) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("size", text == null ? wanted : Math.max(wanted, RERANK_WINDOW));
        body.put("track_total_hits", true);
        body.put("query", filtered(text == null ? null : query(text, false), request, rights));
        List<Object> chosen = new ArrayList<>();
        if (request.type() != null) {
            chosen.add(term(SearchDoc.F_TYPE, request.type()));
        }
        if (request.community() != null) {
            chosen.add(term(SearchDoc.F_COMMUNITY, request.community().toString()));
        }
        if (!chosen.isEmpty()) {
            body.put("post_filter", Map.of("bool", Map.of("filter", chosen)));
        }
        body.put("aggs", Map.of(
                "types", Map.of("terms", Map.of("field", SearchDoc.F_TYPE, "size", SearchDoc.TYPES.size())),
                "communities", Map.of("terms", Map.of("field", SearchDoc.F_COMMUNITY, "size", 10,
                        "order", List.of(Map.of("_count", "desc"), Map.of("_key", "asc"))))));
        if (text == null) {
            body.put("sort", List.of(Map.of(SearchDoc.F_TIME, Map.of("order", "desc", "missing", "_last"))));
        }
        return client.post(target + "/_search", json.valueToTree(body));
    }

    /** The words (all documents when none) within what the caller may see and the tag, author and time filters. */
    private static Object filtered(Object text, Search.Request request, Object rights) {
        List<Object> filters = new ArrayList<>();
        filters.add(rights);
        if (request.tag() != null) {
            filters.add(term(SearchDoc.F_TAG, request.tag().toLowerCase(Locale.ROOT)));
        }
        if (request.author() != null) {
            filters.add(term(SearchDoc.F_AUTHOR, request.author().toString()));
        }
        if (request.from() != null || request.to() != null) {
            Map<String, Object> range = new HashMap<>();
            if (request.from() != null) {
                range.put("gte", request.from().toEpochMilli());
            }
            if (request.to() != null) {
                range.put("lte", request.to().toEpochMilli());
            }
            filters.add(Map.of("range", Map.of(SearchDoc.F_TIME, range)));
        }
        Map<String, Object> bool = new HashMap<>();
        bool.put("filter", filters);
        if (text != null) {
            bool.put("must", text);
        }
        return Map.of("bool", bool);
    }

    /** SearchQuery's language in OpenSearch's: the same fields, weights and operators as the Lucene query. */
    private static Object query(SearchQuery text, boolean forHighlight) {
        List<Object> must = new ArrayList<>();
        List<Object> mustNot = new ArrayList<>();
        for (SearchQuery.Part part : text.parts()) {
            (part.excluded() ? mustNot : must).add(clause(part, forHighlight));
        }
        return Map.of("bool", Map.of("must", must, "must_not", mustNot));
    }

    private static Object clause(SearchQuery.Part part, boolean forHighlight) {
        if (part.prefix()) {
            String prefix = part.text().toLowerCase(Locale.ROOT);
            if (!forHighlight) {
                return Map.of("prefix", Map.of(SearchDoc.F_PREFIXES, prefix));
            }
            List<Object> alternatives = new ArrayList<>();
            for (String field : SearchQuery.TEXT_FIELDS) {
                alternatives.add(Map.of("prefix", Map.of(field, Map.of("value", prefix, "boost", SearchQuery.weight(field)))));
            }
            return Map.of("dis_max", Map.of("queries", alternatives, "tie_breaker", 0.1));
        }
        List<Object> alternatives = new ArrayList<>();
        exact(part.text(), part.phrase(), 1f, alternatives);
        if (part.correction() != null) {
            exact(part.correction(), false, SearchQuery.TYPO_WEIGHT, alternatives);
        }
        return Map.of("dis_max", Map.of("queries", alternatives, "tie_breaker", 0));
    }

    private static void exact(String text, boolean phrase, float weight, List<Object> alternatives) {
        for (String field : SearchQuery.TEXT_FIELDS) {
            float boost = SearchQuery.weight(field) * weight;
            alternatives.add(phrase
                    ? Map.of("match_phrase", Map.of(field, Map.of("query", text, "boost", boost)))
                    : Map.of("match", Map.of(field, Map.of("query", text, "operator", "and", "boost", boost))));
        }
    }

    /** The rules of AccessFilters#build, as an OpenSearch filter. */
    private static Object rights(AccessFilters.Rights rights) {
        List<String> groupsOrNone = new ArrayList<>(rights.rooms().stream().map(UUID::toString).toList());
        groupsOrNone.add(SearchDoc.NO_USERGROUP);
        List<String> hidden = rights.hiddenCommunities().stream().map(UUID::toString).toList();
        List<Object> communityNot = hidden.isEmpty() ? List.of() : List.of(Map.of("terms", Map.of(SearchDoc.F_ID, hidden)));
        List<Object> contentNot = new ArrayList<>();
        contentNot.add(Map.of("bool", Map.of("filter", List.of(term(SearchDoc.F_PENDING, true)),
                "must_not", List.of(term(SearchDoc.F_AUTHOR, rights.user().toString())))));
        if (!hidden.isEmpty()) {
            contentNot.add(Map.of("terms", Map.of(SearchDoc.F_COMMUNITY, hidden)));
        }
        List<Object> should = new ArrayList<>();
        should.add(term(SearchDoc.F_TYPE, SearchDoc.USERS));
        should.add(Map.of("bool", Map.of("filter", List.of(term(SearchDoc.F_TYPE, SearchDoc.COMMUNITIES)), "must_not", communityNot)));
        should.add(Map.of("bool", Map.of(
                "filter", List.of(Map.of("terms", Map.of(SearchDoc.F_TYPE, List.of(SearchDoc.POSTS, SearchDoc.COMMENTS))),
                        Map.of("terms", Map.of(SearchDoc.F_USERGROUP, groupsOrNone))),
                "must_not", contentNot)));
        if (!rights.rooms().isEmpty()) {
            should.add(Map.of("bool", Map.of("filter", List.of(term(SearchDoc.F_TYPE, SearchDoc.MESSAGES),
                    Map.of("terms", Map.of(SearchDoc.F_ROOM, rights.rooms().stream().map(UUID::toString).toList()))))));
        }
        return Map.of("bool", Map.of("should", should, "minimum_should_match", 1));
    }

    /**
     * The query with its misspelt words corrected: a word of five letters or more that no document
     * holds in any text field, replaced by the nearest word of the text, else of the titles.
     */
    private Optional<SearchQuery> corrected(String target, SearchQuery text) {
        List<String> words = text.parts().stream()
                .filter(p -> !p.phrase() && !p.prefix() && !p.excluded() && p.text().length() >= 5)
                .map(SearchQuery.Part::text).distinct().toList();
        if (words.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> aggs = new LinkedHashMap<>();
        Map<String, Object> suggest = new LinkedHashMap<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            aggs.put("known" + i, Map.of("filter", Map.of("multi_match", Map.of("query", word, "fields", SearchQuery.TEXT_FIELDS,
                    "operator", "and"))));
            for (int edits = 1; edits <= (word.length() >= 8 ? 2 : 1); edits++) {
                for (String field : List.of(SearchDoc.F_BODY, SearchDoc.F_TITLE)) {
                    suggest.put("w" + i + "_" + edits + "_" + field, Map.of("text", word, "term", Map.of("field", field,
                            "suggest_mode", "missing", "max_edits", edits, "prefix_length", 1, "min_word_length", 5,
                            "sort", "frequency", "size", 1, "max_inspections", 5)));
                }
            }
        }
        JsonNode answer = client.post(target + "/_search", json.valueToTree(Map.of("size", 0, "aggs", aggs, "suggest", suggest)));
        Map<String, String> corrections = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            if (answer.path("aggregations").path("known" + i).path("doc_count").asLong() > 0) {
                continue;
            }
            String word = words.get(i);
            found:
            for (int edits = 1; edits <= (word.length() >= 8 ? 2 : 1); edits++) {
                for (String field : List.of(SearchDoc.F_BODY, SearchDoc.F_TITLE)) {
                    String correction = correction(answer.path("suggest").path("w" + i + "_" + edits + "_" + field));
                    if (correction != null) {
                        corrections.put(word, correction);
                        break found;
                    }
                }
            }
        }
        return corrections.isEmpty() ? Optional.empty() : text.corrected(corrections::get);
    }

    /** The word's tokens with the suggested ones in place; null when none is suggested. */
    private static String correction(JsonNode entries) {
        List<String> tokens = new ArrayList<>();
        boolean any = false;
        for (JsonNode entry : entries) {
            JsonNode options = entry.path("options");
            if (!options.isEmpty()) {
                tokens.add(options.get(0).path("text").asString());
                any = true;
            } else {
                tokens.add(entry.path("text").asString());
            }
        }
        return any ? String.join(" ", tokens) : null;
    }

    /** The page's title and text marked where they matched, by document id. */
    private Map<String, JsonNode> highlights(String target, SearchQuery text, List<SearchDoc> docs) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put(SearchDoc.F_TITLE, Map.of("number_of_fragments", 0, "no_match_size", 20_000));
        fields.put(SearchDoc.F_BODY, Map.of("number_of_fragments", 2, "fragment_size", 300, "no_match_size", 300));
        Map<String, Object> body = Map.of("size", docs.size(), "_source", false,
                "query", Map.of("ids", Map.of("values", docs.stream().map(d -> d.id().toString()).toList())),
                "highlight", Map.of("type", "unified", "encoder", "html", "pre_tags", List.of("<mark>"),
                        "post_tags", List.of("</mark>"), "max_analyzer_offset", 20_000,
                        "highlight_query", query(text, true), "fields", fields));
        Map<String, JsonNode> marked = new HashMap<>();
        for (JsonNode hit : client.post(target + "/_search", json.valueToTree(body)).path("hits").path("hits")) {
            marked.put(hit.path("_id").asString(), hit.path("highlight"));
        }
        return marked;
    }

    private static String joined(JsonNode fragments, String otherwise) {
        if (fragments == null || fragments.isEmpty()) {
            return otherwise;
        }
        List<String> parts = new ArrayList<>();
        // OpenSearch marks a phrase's words one by one; marked as one, as the Lucene backend does.
        fragments.forEach(f -> parts.add(ADJACENT_MARKS.matcher(f.asString()).replaceAll("$1")));
        return String.join(" … ", parts);
    }

    private static Map<String, Long> buckets(JsonNode aggregation) {
        Map<String, Long> counts = new HashMap<>();
        aggregation.path("buckets").forEach(b -> counts.put(b.path("key").asString(), b.path("doc_count").asLong()));
        return counts;
    }

    private static Object term(String field, Object value) {
        return Map.of("term", Map.of(field, value));
    }

    /** Users and communities whose names start with what was typed: exact names first, then the shortest. */
    @Override
    public List<Search.Suggestion> suggest(String q, CurrentUser me) {
        try {
            return suggestions(q, me);
        } catch (OpenSearchClient.Unavailable | OpenSearchClient.Refused e) {
            throw unavailable(e);
        }
    }

    private List<Search.Suggestion> suggestions(String q, CurrentUser me) {
        if (q.length() > SearchQuery.MAX_LENGTH) {
            throw org.c18n.eventlog.Refused.invalid("invalid-query", "q: at most " + SearchQuery.MAX_LENGTH + " characters");
        }
        String typed = q.strip().toLowerCase(Locale.ROOT);
        // Every word but the last whole, the last as a prefix, the words as the field's analyser splits them.
        Object words = Map.of("match_bool_prefix", Map.of(SearchDoc.F_SUGGEST, Map.of("query", q, "operator", "and")));
        Map<String, Object> body = Map.of("size", 50, "query", Map.of("bool", Map.of("must", List.of(words), "filter", List.of(
                Map.of("terms", Map.of(SearchDoc.F_TYPE, List.of(SearchDoc.USERS, SearchDoc.COMMUNITIES))),
                rights(access.rights(me))))));
        List<Search.Suggestion> found = new ArrayList<>();
        for (JsonNode hit : client.post(index.alias() + "/_search", json.valueToTree(body)).path("hits").path("hits")) {
            SearchDoc doc = OpenSearchIndex.fromSource(hit.path("_source"));
            found.add(doc.type().equals(SearchDoc.USERS)
                    ? new Search.Suggestion(doc.type(), doc.id(), doc.name(), doc.title())
                    : new Search.Suggestion(doc.type(), doc.id(), doc.title(), null));
        }
        found.sort(Comparator.<Search.Suggestion>comparingInt(s -> Search.rank(s, typed))
                .thenComparingInt(s -> s.name().length())
                .thenComparing(s -> s.name().toLowerCase(Locale.ROOT)));
        return found.subList(0, Math.min(Search.SUGGESTIONS, found.size()));
    }
}
