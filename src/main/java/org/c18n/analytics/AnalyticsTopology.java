package org.c18n.analytics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.c18n.speedlayer.SpeedLayer;
import org.c18n.eventlog.Topics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The analytics half of the speed layer: from the domain topics to running totals and to counts
 * per minute and per hour of every event type (overall and per community) and of distinct active
 * users, all written to the compacted topic {@value #OUTPUT} that every node reads.
 *
 * <p>Windows are in event time (the record timestamp is the event's time); an event up to
 * {@link #GRACE} late still counts in its window, a later one is dropped.
 *
 * <p>Output keys: {@code total|<counter>} and {@code series|<minute|hour>|<type>|<community>|<windowStart>}
 * (type {@code active-users} for distinct actors; community empty for all of them), values the count;
 * {@code trending|<community|tag|poster>|<id>}, values a {@link DecayedScore}.
 */
public final class AnalyticsTopology {
    public static final String OUTPUT = Topics.ANALYTICS;
    public static final Duration GRACE = Duration.ofSeconds(30);
    public static final String ACTIVE_USERS = "active-users";
    static final String POST_COMMUNITY = "post-community";
    /**
     * In a fixed order: the topology is built by iterating it, and every node (every JVM) must
     * build the same topology, sub-topology numbers included (a {@code Map.of} iterates in an
     * order that differs from one JVM to the next).
     */
    static final Map<String, Duration> WINDOWS = windows();

    private static Map<String, Duration> windows() {
        Map<String, Duration> windows = new java.util.LinkedHashMap<>();
        windows.put("minute", Duration.ofMinutes(1));
        windows.put("hour", Duration.ofHours(1));
        return java.util.Collections.unmodifiableMap(windows);
    }

    private static final Serde<String> STRING = Serdes.String();

    private AnalyticsTopology() {}

    /** Adds the analytics to the speed layer's topology, reading its sources. */
    public static void add(StreamsBuilder builder, SpeedLayer.Sources sources, ObjectMapper json) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(POST_COMMUNITY), STRING, STRING));
        GlobalKTable<String, String> media = sources.media();

        KStream<String, String> others = sources.users().merge(sources.communities()).merge(sources.messages())
                .mapValues(value -> Facts.of(json, value).text(), Named.as("facts"));
        Map<String, KStream<String, String>> posts = sources.posts()
                .processValues(() -> new PostCommunity(json), Named.as("post-facts"), POST_COMMUNITY)
                .split(Named.as("posts-"))
                .branch((key, fact) -> Fact.parse(fact).counter().startsWith(Facts.POSTS_WITH_MEDIA), Branched.as("media"))
                .defaultBranch(Branched.as("plain"));
        KStream<String, String> postsWithMedia = posts.get("posts-media").leftJoin(media,
                (key, fact) -> Fact.parse(fact).counter().substring(Facts.POSTS_WITH_MEDIA.length()),
                (fact, uploaded) -> Fact.parse(fact).counting(Facts.postKind(json, uploaded)).text(),
                Named.as("post-media-kind"));
        KStream<String, String> facts = others.merge(posts.get("posts-plain")).merge(postsWithMedia);

        facts.filter((key, fact) -> !Fact.parse(fact).counter().isEmpty())
                .groupBy((key, fact) -> Fact.parse(fact).counter(), Grouped.with("by-counter", STRING, STRING))
                .count(Materialized.as("totals"))
                .toStream()
                .map((counter, count) -> KeyValue.pair("total|" + counter, count.toString()), Named.as("totals-out"))
                .to(OUTPUT, Produced.with(STRING, STRING));

        KGroupedStream<String, String> byType = facts
                .selectKey((key, fact) -> Fact.parse(fact).type() + "|")
                .repartition(Repartitioned.<String, String>as("by-type").withKeySerde(STRING).withValueSerde(STRING))
                .groupByKey(Grouped.with(STRING, STRING));
        KGroupedStream<String, String> byTypeAndCommunity = facts
                .filter((key, fact) -> !Fact.parse(fact).community().isEmpty())
                .selectKey((key, fact) -> Fact.parse(fact).type() + "|" + Fact.parse(fact).community())
                .repartition(Repartitioned.<String, String>as("by-type-community").withKeySerde(STRING).withValueSerde(STRING))
                .groupByKey(Grouped.with(STRING, STRING));
        KGroupedStream<String, String> byActor = facts
                .filter((key, fact) -> !Fact.parse(fact).actor().isEmpty())
                .selectKey((key, fact) -> Fact.parse(fact).actor())
                .repartition(Repartitioned.<String, String>as("by-actor").withKeySerde(STRING).withValueSerde(STRING))
                .groupByKey(Grouped.with(STRING, STRING));

        // Trending communities and tags and top posters: scores that every event raises and time lowers.
        facts.flatMap((key, text) -> {
                    Fact fact = Fact.parse(text);
                    List<KeyValue<String, String>> raised = new java.util.ArrayList<>();
                    if (!fact.community().isEmpty()) {
                        raised.add(KeyValue.pair("community|" + fact.community(), ""));
                    }
                    fact.tags().forEach(tag -> raised.add(KeyValue.pair("tag|" + tag, "")));
                    if (fact.authored() && !fact.actor().isEmpty()) {
                        raised.add(KeyValue.pair("poster|" + fact.actor(), ""));
                    }
                    return raised;
                }, Named.as("trending-keys"))
                .processValues(EventTime::new, Named.as("trending-time"))
                .groupByKey(Grouped.with("trending", STRING, STRING))
                .aggregate(DecayedScore.NONE::text,
                        (key, time, score) -> DecayedScore.parse(score).plusOne(Long.parseLong(time), halfLife(key)).text(),
                        Materialized.<String, String, org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>as("trending")
                                .withKeySerde(STRING).withValueSerde(STRING))
                .toStream()
                .map((key, score) -> KeyValue.pair("trending|" + key, score), Named.as("trending-out"))
                .to(OUTPUT, Produced.with(STRING, STRING));

        WINDOWS.forEach((name, size) -> {
            TimeWindows windows = TimeWindows.ofSizeAndGrace(size, GRACE);
            for (var grouped : List.of(Map.entry("type", byType), Map.entry("type-community", byTypeAndCommunity))) {
                grouped.getValue().windowedBy(windows)
                        .count(Materialized.as("per-" + grouped.getKey() + "-" + name))
                        .toStream()
                        .map((window, count) -> KeyValue.pair("series|" + name + "|" + window.key() + "|" + window.window().start(),
                                count.toString()), Named.as("per-" + grouped.getKey() + "-" + name + "-out"))
                        .to(OUTPUT, Produced.with(STRING, STRING));
            }
            // An actor's first event in a window adds one to the window's distinct active users.
            byActor.windowedBy(windows)
                    .count(Materialized.as("actor-" + name))
                    .toStream()
                    .filter((window, count) -> count == 1)
                    .map((window, count) -> KeyValue.pair("series|" + name + "|" + ACTIVE_USERS + "||" + window.window().start(),
                            window.window().start() + ""), Named.as("first-seen-" + name))
                    .groupByKey(Grouped.with("active-" + name, STRING, STRING))
                    .count(Materialized.as("active-" + name))
                    .toStream()
                    .mapValues(Object::toString, Named.as("active-" + name + "-out"))
                    .to(OUTPUT, Produced.with(STRING, STRING));
        });
    }

    /** How fast a trending score fades: communities and tags within hours, posters over a day. */
    public static long halfLife(String key) {
        return key.startsWith("poster|") ? Duration.ofHours(24).toMillis() : Duration.ofHours(6).toMillis();
    }

    /** Replaces a record's value with its time (the event's), for the aggregations that need it. */
    private static final class EventTime implements org.apache.kafka.streams.processor.api.FixedKeyProcessor<String, String, String> {
        private org.apache.kafka.streams.processor.api.FixedKeyProcessorContext<String, String> context;

        @Override
        public void init(org.apache.kafka.streams.processor.api.FixedKeyProcessorContext<String, String> context) {
            this.context = context;
        }

        @Override
        public void process(org.apache.kafka.streams.processor.api.FixedKeyRecord<String, String> record) {
            context.forward(record.withValue(Long.toString(record.timestamp())));
        }
    }

    /** The first media id a post names, or null. */
    static String firstMedia(JsonNode data) {
        JsonNode ids = data.path("mediaIds");
        return ids.isArray() && !ids.isEmpty() ? ids.get(0).asString() : null;
    }
}
