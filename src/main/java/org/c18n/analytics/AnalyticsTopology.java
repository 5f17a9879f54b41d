package org.c18n.analytics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.c18n.eventlog.Topics;
import org.c18n.speedlayer.JsonSerde;
import org.c18n.speedlayer.SpeedLayer;
import tools.jackson.databind.ObjectMapper;

/**
 * The analytics half of the speed layer: from the domain topics to running totals and to counts
 * per minute and per hour of every event type (overall and per community) and of distinct active
 * users, and to trending scores, all written to the compacted topic {@value #OUTPUT} that every
 * node reads (its keys: {@link AnalyticsKey}).
 *
 * <p>Windows are in event time (the record timestamp is the event's time); an event up to
 * {@link #GRACE} late still counts in its window, a later one is dropped.
 */
public final class AnalyticsTopology {
    public static final String OUTPUT = Topics.ANALYTICS;
    public static final Duration GRACE = Duration.ofSeconds(30);
    public static final String ACTIVE_USERS = "active-users";
    static final String POST_COMMUNITY = "post-community";
    static final String PARTITION_TOTALS = "partition-totals";
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

    /** What a series counts: events of a type, in one community or (null) in all of them. */
    record TypeIn(String type, UUID community) {}

    private AnalyticsTopology() {}

    /** Adds the analytics to the speed layer's topology, reading its sources. */
    public static void add(StreamsBuilder builder, SpeedLayer.Sources sources, ObjectMapper json) {
        Serde<Fact> factSerde = JsonSerde.of(json, Fact.class);
        Serde<TypeIn> typeInSerde = JsonSerde.of(json, TypeIn.class);
        Serde<AnalyticsKey.Trending> trendingSerde = JsonSerde.of(json, AnalyticsKey.Trending.class);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(POST_COMMUNITY), STRING, Serdes.UUID()));

        KStream<String, Fact> others = sources.users().merge(sources.communities()).merge(sources.messages())
                .mapValues(Facts::of, Named.as("facts"));
        Map<String, KStream<String, Fact>> posts = sources.posts()
                .processValues(PostCommunity::new, Named.as("post-facts"), POST_COMMUNITY)
                .split(Named.as("posts-"))
                .branch((key, fact) -> fact.media() != null, Branched.as("media"))
                .defaultBranch(Branched.as("plain"));
        KStream<String, Fact> postsWithMedia = posts.get("posts-media").leftJoin(sources.media(),
                (key, fact) -> fact.media().toString(),
                (fact, uploaded) -> fact.counting(Facts.postKind(uploaded)),
                Named.as("post-media-kind"));
        KStream<String, Fact> facts = others.merge(posts.get("posts-plain")).merge(postsWithMedia);

        // Totals are counted where the events are, one partial count per input partition (the view
        // adds them up): no re-keying, and a count reaches the dashboard after one commit instead of two.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PARTITION_TOTALS), STRING,
                Serdes.Long()).withCachingEnabled());
        facts.filter((key, fact) -> fact.counter() != null)
                .process(PartitionTotals::new, Named.as("partition-totals"), PARTITION_TOTALS)
                .to(OUTPUT, Produced.with(STRING, STRING));

        // One re-keying for both kinds of series: each fact counts in its type's series and, in a
        // community, in its type's series of that community.
        KGroupedStream<TypeIn, Fact> byTypeIn = facts
                .flatMap((key, fact) -> fact.community() == null
                        ? List.of(KeyValue.pair(new TypeIn(fact.type(), null), fact))
                        : List.of(KeyValue.pair(new TypeIn(fact.type(), null), fact),
                                KeyValue.pair(new TypeIn(fact.type(), fact.community()), fact)), Named.as("series-keys"))
                .repartition(Repartitioned.<TypeIn, Fact>as("by-series").withKeySerde(typeInSerde).withValueSerde(factSerde))
                .groupByKey(Grouped.with(typeInSerde, factSerde));
        KStream<UUID, Fact> byActor = facts
                .filter((key, fact) -> fact.actor() != null)
                .selectKey((key, fact) -> fact.actor())
                .repartition(Repartitioned.<UUID, Fact>as("by-actor").withKeySerde(Serdes.UUID()).withValueSerde(factSerde));

        // Trending communities and tags and top posters: scores that every event raises and time lowers.
        facts.flatMap((key, fact) -> {
                    List<KeyValue<AnalyticsKey.Trending, Fact>> raised = new ArrayList<>();
                    if (fact.community() != null) {
                        raised.add(KeyValue.pair(new AnalyticsKey.Trending("community", fact.community().toString()), fact));
                    }
                    fact.tags().forEach(tag -> raised.add(KeyValue.pair(new AnalyticsKey.Trending("tag", tag), fact)));
                    if (fact.authored() && fact.actor() != null) {
                        raised.add(KeyValue.pair(new AnalyticsKey.Trending("poster", fact.actor().toString()), fact));
                    }
                    return raised;
                }, Named.as("trending-keys"))
                .processValues(EventTime::new, Named.as("trending-time"))
                .groupByKey(Grouped.with("trending", trendingSerde, Serdes.Long()))
                .aggregate(() -> DecayedScore.NONE,
                        (trending, time, score) -> score.plusOne(time, halfLife(trending.kind())),
                        Materialized.<AnalyticsKey.Trending, DecayedScore, KeyValueStore<Bytes, byte[]>>as("trending")
                                .withKeySerde(trendingSerde).withValueSerde(JsonSerde.of(json, DecayedScore.class)))
                .toStream()
                .map((trending, score) -> KeyValue.pair(trending.text(), score.text()), Named.as("trending-out"))
                .to(OUTPUT, Produced.with(STRING, STRING));

        WINDOWS.forEach((name, size) -> {
            TimeWindows windows = TimeWindows.ofSizeAndGrace(size, GRACE);
            byTypeIn.windowedBy(windows)
                    .count(Materialized.as("per-series-" + name))
                    .toStream()
                    .map((window, count) -> KeyValue.pair(new AnalyticsKey.Series(name, window.key().type(),
                                    window.key().community() == null ? "" : window.key().community().toString(),
                                    window.window().start()).text(), count.toString()),
                            Named.as("per-series-" + name + "-out"))
                    .to(OUTPUT, Produced.with(STRING, STRING));
            // An actor's first event in a window adds one to the window's distinct active users.
            builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore("actor-" + name, size.plus(GRACE),
                    size, false), Serdes.UUID(), Serdes.Long()).withCachingEnabled());
            byActor.process(() -> new FirstSeen("actor-" + name, size), Named.as("first-seen-" + name), "actor-" + name)
                    .groupByKey(Grouped.with("active-" + name, Serdes.Long(), Serdes.Long()))
                    .count(Materialized.as("active-" + name))
                    .toStream()
                    .map((start, count) -> KeyValue.pair(new AnalyticsKey.Series(name, ACTIVE_USERS, "", start).text(),
                            count.toString()), Named.as("active-" + name + "-out"))
                    .to(OUTPUT, Produced.with(STRING, STRING));
        });
    }

    /** How fast a trending score of a kind fades: communities and tags within hours, posters over a day. */
    public static long halfLife(String kind) {
        return kind.equals("poster") ? Duration.ofHours(24).toMillis() : Duration.ofHours(6).toMillis();
    }

    /** Replaces a record's value with its time (the event's), for the aggregations that need it. */
    private static final class EventTime implements FixedKeyProcessor<AnalyticsKey.Trending, Fact, Long> {
        private FixedKeyProcessorContext<AnalyticsKey.Trending, Long> context;

        @Override
        public void init(FixedKeyProcessorContext<AnalyticsKey.Trending, Long> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<AnalyticsKey.Trending, Fact> record) {
            context.forward(record.withValue(record.timestamp()));
        }
    }
}
