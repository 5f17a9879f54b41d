package org.c18n.search;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import org.c18n.eventlog.Event;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The platform's indices in OpenSearch. Searches go to the alias {@code <prefix>-search}, which
 * names one index {@code <prefix>-search-<time made>}: a rebuild fills a new one from the log and
 * moves the alias to it in one step. Beside the documents that index holds the log positions they
 * reflect (documents of type {@value #POSITION}, which no access rule lets through), so a rebuilt
 * index comes with its own. Every event indexed also goes to a daily index
 * {@code <prefix>-events-YYYY.MM.DD} (type, community, actor, time) for dashboards.
 *
 * <p>Text is analysed as the Lucene backend does it (possessives dropped, lower case, English stop
 * words, plurals folded), with the token filters of OpenSearch's {@code analysis-common} module,
 * which every distribution but the minimal one has.
 */
@Component
@ConditionalOnProperty(name = SearchProperties.BACKEND, havingValue = "opensearch")
class OpenSearchIndex {
    static final String POSITION = "_position";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MADE = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** {@code c18n_text}: the filters of {@link SearchIndex#ANALYZER}'s text analyser, in its order. */
    private static final Map<String, Object> TEXT_ANALYSIS = Map.of(
            "filter", Map.of(
                    "c18n_possessive", Map.of("type", "stemmer", "language", "possessive_english"),
                    "c18n_stop", Map.of("type", "stop", "stopwords", "_english_"),
                    "c18n_plural", Map.of("type", "stemmer", "language", "minimal_english")),
            "analyzer", Map.of("c18n_text", Map.of("type", "custom", "tokenizer", "standard",
                    "filter", List.of("c18n_possessive", "lowercase", "c18n_stop", "c18n_plural"))));

    private final OpenSearchClient client;
    private final ObjectMapper json;
    private final String prefix;

    OpenSearchIndex(SearchProperties props, ObjectMapper json) {
        this.client = new OpenSearchClient(props.opensearch(), json);
        this.json = json;
        this.prefix = props.opensearch().indexPrefix();
    }

    OpenSearchClient client() {
        return client;
    }

    /** What searches read: the alias of the current index. */
    String alias() {
        return prefix + "-search";
    }

    String eventsIndex(Instant at) {
        return prefix + "-events-" + DAY.format(at);
    }

    /** Makes the current index and the daily events' template when missing (the first node to start does). */
    void ensure() {
        client.put("_index_template/" + prefix + "-events", json.valueToTree(Map.of(
                "index_patterns", List.of(prefix + "-events-*"),
                "template", Map.of(
                        "settings", Map.of("number_of_shards", 1, "auto_expand_replicas", "0-1"),
                        "mappings", Map.of("dynamic", false, "properties", Map.of(
                                "type", Map.of("type", "keyword"),
                                "community", Map.of("type", "keyword"),
                                "actor", Map.of("type", "keyword"),
                                "at", Map.of("type", "date")))))));
        if (!client.exists(alias())) {
            String index = create();
            try {
                client.post("_aliases", json.valueToTree(Map.of("actions", List.of(
                        Map.of("add", Map.of("index", index, "alias", alias(), "is_write_index", true))))));
            } catch (OpenSearchClient.Refused e) {
                client.delete(index); // another node made the alias first
            }
        }
    }

    /** A new, empty index; answers its name. */
    String create() {
        String index = alias() + "-" + MADE.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 4);
        Map<String, Object> text = Map.of("type", "text", "analyzer", "c18n_text");
        Map<String, Object> words = Map.of("type", "text", "analyzer", "standard");
        Map<String, Object> keyword = Map.of("type", "keyword");
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(SearchDoc.F_ID, keyword);
        properties.put(SearchDoc.F_TYPE, keyword);
        properties.put(SearchDoc.F_TITLE, text);
        properties.put(SearchDoc.F_NAME, words);
        properties.put(SearchDoc.F_BODY, text);
        properties.put(SearchDoc.F_TAGS, text);
        properties.put(SearchDoc.F_TAG, keyword);
        properties.put(SearchDoc.F_SUGGEST, words);
        // The beginnings of words indexed as terms, as the Lucene backend does: sourd* is one term to look up.
        properties.put(SearchDoc.F_PREFIXES, Map.of("type", "text", "analyzer", "standard",
                "index_prefixes", Map.of("min_chars", 2, "max_chars", SearchIndex.MAX_PREFIX)));
        properties.put(SearchDoc.F_COMMUNITY, keyword);
        properties.put(SearchDoc.F_USERGROUP, keyword);
        properties.put(SearchDoc.F_ROOM, keyword);
        properties.put(SearchDoc.F_AUTHOR, keyword);
        properties.put(SearchDoc.F_POST, keyword);
        properties.put(SearchDoc.F_TIME, Map.of("type", "long"));
        properties.put(SearchDoc.F_PENDING, Map.of("type", "boolean"));
        client.put(index, json.valueToTree(Map.of(
                "settings", Map.of("number_of_shards", 1, "auto_expand_replicas", "0-1",
                        "analysis", TEXT_ANALYSIS),
                "mappings", Map.of("dynamic", false, "properties", properties))));
        return index;
    }

    /** Points the alias at {@code index} alone, in one step, and deletes the indices it named before. */
    void swap(String index) {
        List<String> previous = new ArrayList<>();
        if (client.exists(alias())) {
            client.get("_alias/" + alias()).properties().forEach(e -> previous.add(e.getKey()));
        }
        List<Object> actions = new ArrayList<>();
        for (String old : previous) {
            actions.add(Map.of("remove", Map.of("index", old, "alias", alias())));
        }
        actions.add(Map.of("add", Map.of("index", index, "alias", alias(), "is_write_index", true)));
        client.post("_aliases", json.valueToTree(Map.of("actions", actions)));
        for (String old : previous) {
            if (!old.equals(index)) {
                client.delete(old);
            }
        }
    }

    /** The log positions {@code index} reflects: where indexing resumes. */
    Map<TopicPartition, Long> positions(String index) {
        JsonNode found = client.post(index + "/_search", json.valueToTree(Map.of("size", 10_000,
                "query", Map.of("term", Map.of(SearchDoc.F_TYPE, POSITION)))));
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (JsonNode hit : found.path("hits").path("hits")) {
            JsonNode source = hit.path("_source");
            positions.put(new TopicPartition(source.path("topic").asString(), source.path("partition").asInt()),
                    source.path("offset").asLong());
        }
        return positions;
    }

    /** Makes what was written searchable. */
    void refresh(String index) {
        client.post(index + "/_refresh", null);
    }

    long count(String index) {
        return client.post(index + "/_count", json.valueToTree(Map.of("query", Map.of("bool", Map.of("must_not",
                Map.of("term", Map.of(SearchDoc.F_TYPE, POSITION))))))).path("count").asLong();
    }

    Bulk bulk(String index) {
        return new Bulk(index);
    }

    private record Item(TopicPartition partition, long offset) {}

    /** An item of a bulk request OpenSearch refused, with the log record it came from. */
    record Failure(TopicPartition partition, long offset, String reason) {}

    /**
     * The writes of one batch of the log, sent as bulk requests: documents (ids are entity ids, so
     * writing one again is harmless), then, once all of them were accepted, the positions. A crash
     * in between makes the batch be indexed again, to the same result.
     */
    final class Bulk implements SearchWrites {
        private final String index;
        private final StringBuilder body = new StringBuilder();
        /** The log record each item of the pending request comes from (null until its record is done). */
        private final List<Item> items = new ArrayList<>();
        private int unattributed;
        private final Map<UUID, Optional<SearchDoc>> written = new HashMap<>();
        private final Map<TopicPartition, Long> positions = new HashMap<>();
        private final List<Failure> failures = new ArrayList<>();
        private boolean expunge;

        private Bulk(String index) {
            this.index = index;
        }

        @Override
        public void put(SearchDoc doc) {
            action("index", index, doc.id().toString(), source(doc));
            written.put(doc.id(), Optional.of(doc));
        }

        @Override
        public void delete(UUID id) {
            action("delete", index, id.toString(), null);
            written.put(id, Optional.empty());
        }

        @Override
        public void purge(UUID id) {
            delete(id);
            expunge = true;
        }

        /** Sends what is pending, then deletes the comments OpenSearch finds (a post's comments may be many). */
        @Override
        public void deleteComments(UUID postId) {
            while (true) {
                send(true);
                JsonNode found = client.post(index + "/_search", json.valueToTree(Map.of("size", 1000, "_source", false,
                        "query", Map.of("bool", Map.of("filter", List.of(
                                Map.of("term", Map.of(SearchDoc.F_POST, postId.toString())),
                                Map.of("term", Map.of(SearchDoc.F_TYPE, SearchDoc.COMMENTS)))))))).path("hits").path("hits");
                if (found.isEmpty()) {
                    return;
                }
                for (JsonNode hit : found) {
                    delete(UUID.fromString(hit.path("_id").asString()));
                }
            }
        }

        @Override
        public Optional<SearchDoc> get(UUID id) {
            Optional<SearchDoc> pending = written.get(id);
            if (pending != null) {
                return pending;
            }
            try {
                JsonNode found = client.get(index + "/_doc/" + id);
                return found.path("found").asBoolean() ? Optional.of(fromSource(found.path("_source"))) : Optional.empty();
            } catch (OpenSearchClient.Refused e) {
                if (e.status == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        }

        @Override
        public void advance(TopicPartition partition, long nextOffset) {
            positions.put(partition, nextOffset);
            // The items added since the last record are that record's (to name it should OpenSearch refuse one).
            for (int i = items.size() - unattributed; i < items.size(); i++) {
                items.set(i, new Item(partition, nextOffset - 1));
            }
            unattributed = 0;
        }

        /** The event for the dashboards: type, community (when it concerns one), actor, time. */
        void event(Event event, TopicPartition partition, long offset) {
            Map<String, Object> source = new HashMap<>();
            source.put("type", event.type());
            source.put("at", event.at().toEpochMilli());
            if (event.actor() != null) {
                source.put("actor", event.actor().toString());
            }
            JsonNode community = event.data() == null ? null : event.data().get("communityId");
            if (community != null && community.isString()) {
                source.put("community", community.asString());
            }
            action("index", eventsIndex(event.at()), event.id().toString(), source);
            items.set(items.size() - 1, new Item(partition, offset));
            unattributed--;
        }

        /**
         * Sends the documents, then the positions (only when every document was taken or refused for
         * good, the refusals being in {@link #failures()}); then, after a purge, drops the deleted
         * documents from disk.
         */
        void finish() {
            send(false);
            for (Map.Entry<TopicPartition, Long> position : positions.entrySet()) {
                TopicPartition partition = position.getKey();
                action("index", index, POSITION + ":" + partition.topic() + ":" + partition.partition(), Map.of(
                        SearchDoc.F_TYPE, POSITION, "topic", partition.topic(), "partition", partition.partition(),
                        "offset", position.getValue()));
            }
            send(false);
            if (expunge) {
                client.post(index + "/_forcemerge?only_expunge_deletes=true", null);
            }
        }

        List<Failure> failures() {
            return failures;
        }

        private void action(String action, String target, String id, Object source) {
            body.append(json.writeValueAsString(Map.of(action, Map.of("_index", target, "_id", id)))).append('\n');
            if (source != null) {
                body.append(json.writeValueAsString(source)).append('\n');
            }
            items.add(null);
            unattributed++;
        }

        private void send(boolean refresh) {
            if (items.isEmpty()) {
                return;
            }
            JsonNode answer = client.bulk("_bulk" + (refresh ? "?refresh=true" : ""), body.toString());
            if (answer.path("errors").asBoolean()) {
                int i = 0;
                for (JsonNode item : answer.path("items")) {
                    JsonNode result = item.properties().iterator().next().getValue();
                    JsonNode error = result.get("error");
                    if (error != null) {
                        int status = result.path("status").asInt();
                        if (status == 429 || status >= 500) {
                            throw new OpenSearchClient.Unavailable("OpenSearch could not take a bulk item (" + status + "): " + error, null);
                        }
                        Item from = items.get(i);
                        failures.add(new Failure(from == null ? null : from.partition(), from == null ? -1 : from.offset(),
                                status + " " + error));
                    }
                    i++;
                }
            }
            body.setLength(0);
            items.clear();
            unattributed = 0;
        }
    }

    Map<String, Object> source(SearchDoc doc) {
        Map<String, Object> source = new HashMap<>();
        source.put(SearchDoc.F_ID, doc.id().toString());
        source.put(SearchDoc.F_TYPE, doc.type());
        putText(source, SearchDoc.F_TITLE, doc.title());
        putText(source, SearchDoc.F_NAME, doc.name());
        putText(source, SearchDoc.F_BODY, doc.body());
        if (!doc.tags().isEmpty()) {
            source.put(SearchDoc.F_TAGS, doc.tags());
            source.put(SearchDoc.F_TAG, doc.tags().stream().map(t -> t.toLowerCase(Locale.ROOT)).toList());
        }
        String headline = doc.headline();
        if (!headline.isBlank()) {
            source.put(SearchDoc.F_PREFIXES, headline);
        }
        if (doc.type().equals(SearchDoc.USERS) || doc.type().equals(SearchDoc.COMMUNITIES)) {
            source.put(SearchDoc.F_SUGGEST, (doc.name() == null ? "" : doc.name()) + " " + (doc.title() == null ? "" : doc.title()));
        }
        putId(source, SearchDoc.F_COMMUNITY, doc.community());
        if (doc.type().equals(SearchDoc.POSTS) || doc.type().equals(SearchDoc.COMMENTS)) {
            source.put(SearchDoc.F_USERGROUP, doc.usergroup() == null ? SearchDoc.NO_USERGROUP : doc.usergroup().toString());
        }
        putId(source, SearchDoc.F_ROOM, doc.room());
        putId(source, SearchDoc.F_AUTHOR, doc.author());
        putId(source, SearchDoc.F_POST, doc.post());
        if (doc.at() != null) {
            source.put(SearchDoc.F_AT, doc.at().toEpochMilli());
            if (!doc.type().equals(SearchDoc.USERS) && !doc.type().equals(SearchDoc.COMMUNITIES)) {
                source.put(SearchDoc.F_TIME, doc.at().toEpochMilli());
            }
        }
        if (doc.pending()) {
            source.put(SearchDoc.F_PENDING, true);
        }
        return source;
    }

    static SearchDoc fromSource(JsonNode source) {
        String usergroup = text(source, SearchDoc.F_USERGROUP);
        List<String> tags = new ArrayList<>();
        source.path(SearchDoc.F_TAGS).forEach(tag -> tags.add(tag.asString()));
        return new SearchDoc(text(source, SearchDoc.F_TYPE), UUID.fromString(text(source, SearchDoc.F_ID)),
                text(source, SearchDoc.F_TITLE), text(source, SearchDoc.F_NAME), text(source, SearchDoc.F_BODY), tags,
                uuid(source, SearchDoc.F_COMMUNITY),
                usergroup == null || usergroup.equals(SearchDoc.NO_USERGROUP) ? null : UUID.fromString(usergroup),
                uuid(source, SearchDoc.F_ROOM), uuid(source, SearchDoc.F_AUTHOR), uuid(source, SearchDoc.F_POST),
                source.has(SearchDoc.F_AT) ? Instant.ofEpochMilli(source.path(SearchDoc.F_AT).asLong()) : null,
                source.path(SearchDoc.F_PENDING).asBoolean(false));
    }

    private static void putText(Map<String, Object> source, String field, String value) {
        if (value != null && !value.isBlank()) {
            source.put(field, value);
        }
    }

    private static void putId(Map<String, Object> source, String field, UUID value) {
        if (value != null) {
            source.put(field, value.toString());
        }
    }

    private static String text(JsonNode source, String field) {
        JsonNode value = source.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static UUID uuid(JsonNode source, String field) {
        String value = text(source, field);
        return value == null ? null : UUID.fromString(value);
    }
}
