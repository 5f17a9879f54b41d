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
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.c18n.eventlog.Topics;
import org.c18n.speedlayer.JsonSerde;
import org.c18n.speedlayer.TextSerde;
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
    static final String TRENDING_PENDING = "trending-pending";
    /**
     * Partitions of the topics that carry what the input partitions added up: few records (one per
     * key and commit), and every partition an exactly-once commit writes to costs the broker a
     * transaction marker, whatever it holds.
     */
    static final int DELTA_PARTITIONS = 1;
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
    record TypeIn(String type, UUID community) {
        static final Serde<TypeIn> SERDE = TextSerde.of(TypeIn::text, TypeIn::parse);

        String text() {
            return type + "|" + (community == null ? "" : community);
        }

        static TypeIn parse(String text) {
            int bar = text.lastIndexOf('|');
            return new TypeIn(text.substring(0, bar), bar == text.length() - 1 ? null : UUID.fromString(text.substring(bar + 1)));
        }
    }

    /** A series' window, by its start. */
    record SeriesWindow(TypeIn series, long start) {
        static final Serde<SeriesWindow> SERDE = TextSerde.of(window -> window.start + "|" + window.series.text(),
                text -> new SeriesWindow(TypeIn.parse(text.substring(text.indexOf('|') + 1)),
                        Long.parseLong(text.substring(0, text.indexOf('|')))));
    }

    // The partial sums and their stores are short text; the long-lived stores (trending scores, series
    // counts) keep the JSON keys and values they were written with, so an upgraded node carries them on.
    static final Serde<AnalyticsKey.Trending> TRENDING = TextSerde.of(AnalyticsKey.Trending::text,
            text -> (AnalyticsKey.Trending) AnalyticsKey.parse(text));
    static final Serde<DecayedScore> SCORE = TextSerde.of(DecayedScore::text, DecayedScore::parse);

    private AnalyticsTopology() {}

    /** Adds the analytics to the speed layer's topology, reading its sources. */
    public static void add(StreamsBuilder builder, SpeedLayer.Sources sources, ObjectMapper json) {
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

        // Trending communities and tags and top posters: scores that every event raises and time lowers,
        // added up where the events are and re-keyed once per key and commit.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TRENDING_PENDING), TRENDING,
                SCORE).withCachingEnabled());
        facts.process(() -> new PartitionDeltas<AnalyticsKey.Trending, DecayedScore, AnalyticsKey.Trending>(TRENDING_PENDING,
                        (fact, time, streamTime, add) -> trendingKeys(fact).forEach(trending -> add.accept(trending, DecayedScore.one(time))),
                        (trending, sum, more) -> sum.plus(more, halfLife(trending.kind())),
                        (trending, sum) -> new Record<>(trending, sum, sum.at())), Named.as("trending-deltas"), TRENDING_PENDING)
                .repartition(Repartitioned.<AnalyticsKey.Trending, DecayedScore>as("trending-deltas").withKeySerde(TRENDING)
                        .withValueSerde(SCORE).withNumberOfPartitions(DELTA_PARTITIONS))
                .groupByKey(Grouped.with(TRENDING, SCORE))
                .aggregate(() -> DecayedScore.NONE,
                        (trending, delta, score) -> score.plus(delta, halfLife(trending.kind())),
                        Materialized.<AnalyticsKey.Trending, DecayedScore, KeyValueStore<Bytes, byte[]>>as("trending")
                                .withKeySerde(JsonSerde.of(json, AnalyticsKey.Trending.class))
                                .withValueSerde(JsonSerde.of(json, DecayedScore.class)))
                .toStream()
                .map((trending, score) -> KeyValue.pair(trending.text(), score.text()), Named.as("trending-out"))
                .to(OUTPUT, Produced.with(STRING, STRING));

        KStream<UUID, Fact> byActorHere = facts
                .filter((key, fact) -> fact.actor() != null)
                .selectKey((key, fact) -> fact.actor(), Named.as("actor-key"));
        WINDOWS.forEach((name, size) -> {
            // Each fact counts in its type's series and, in a community, in its type's series of that
            // community: counted per input partition first, then the partitions' counts added up.
            String pending = "series-pending-" + name;
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(pending),
                    SeriesWindow.SERDE, Serdes.Long()).withCachingEnabled());
            facts.process(() -> new PartitionDeltas<SeriesWindow, Long, TypeIn>(pending,
                            (fact, time, streamTime, add) -> seriesWindows(fact, time, streamTime, size).forEach(window -> add.accept(window, 1L)),
                            (window, sum, more) -> sum + more,
                            (window, sum) -> new Record<>(window.series(), sum, window.start())),
                            Named.as("series-deltas-" + name), pending)
                    .repartition(Repartitioned.<TypeIn, Long>as("series-" + name + "-deltas").withKeySerde(TypeIn.SERDE)
                            .withValueSerde(Serdes.Long()).withNumberOfPartitions(DELTA_PARTITIONS))
                    .groupByKey(Grouped.with(TypeIn.SERDE, Serdes.Long()))
                    .windowedBy(TimeWindows.ofSizeAndGrace(size, GRACE))
                    .reduce(Long::sum, Materialized.<TypeIn, Long, WindowStore<Bytes, byte[]>>as("per-series-" + name)
                            .withKeySerde(JsonSerde.of(json, TypeIn.class)).withValueSerde(Serdes.Long()))
                    .toStream()
                    .map((window, count) -> KeyValue.pair(new AnalyticsKey.Series(name, window.key().type(),
                                    window.key().community() == null ? "" : window.key().community().toString(),
                                    window.window().start()).text(), count.toString()),
                            Named.as("per-series-" + name + "-out"))
                    .to(OUTPUT, Produced.with(STRING, STRING));
            // An actor's first event in a window adds one to the window's distinct active users: first
            // per input partition, then, re-keyed by actor, first across them.
            String seenHere = "actor-seen-" + name;
            builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(seenHere, size.plus(GRACE),
                    size, false), Serdes.UUID(), Serdes.Long()).withCachingEnabled());
            builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore("actor-" + name, size.plus(GRACE),
                    size, false), Serdes.UUID(), Serdes.Long()).withCachingEnabled());
            byActorHere.process(() -> FirstSeen.<Fact>sightings(seenHere, size), Named.as("sighted-" + name), seenHere)
                    .repartition(Repartitioned.<UUID, Long>as("actor-" + name + "-sightings").withKeySerde(Serdes.UUID())
                            .withValueSerde(Serdes.Long()).withNumberOfPartitions(DELTA_PARTITIONS))
                    .process(() -> FirstSeen.<Long>windowStarts("actor-" + name, size), Named.as("first-seen-" + name), "actor-" + name)
                    .groupByKey(Grouped.with("active-" + name, Serdes.Long(), Serdes.Long()))
                    .count(Materialized.as("active-" + name))
                    .toStream()
                    .map((start, count) -> KeyValue.pair(new AnalyticsKey.Series(name, ACTIVE_USERS, "", start).text(),
                            count.toString()), Named.as("active-" + name + "-out"))
                    .to(OUTPUT, Produced.with(STRING, STRING));
        });
    }

    /** What a fact raises: its community, its tags, and its author when it wrote something. */
    private static List<AnalyticsKey.Trending> trendingKeys(Fact fact) {
        List<AnalyticsKey.Trending> raised = new ArrayList<>();
        if (fact.community() != null) {
            raised.add(new AnalyticsKey.Trending("community", fact.community().toString()));
        }
        fact.tags().forEach(tag -> raised.add(new AnalyticsKey.Trending("tag", tag)));
        if (fact.authored() && fact.actor() != null) {
            raised.add(new AnalyticsKey.Trending("poster", fact.actor().toString()));
        }
        return raised;
    }

    /** The windows of {@code size} a fact counts in, none when its window has closed (in the task's stream time). */
    private static List<SeriesWindow> seriesWindows(Fact fact, long time, long streamTime, Duration size) {
        long start = Math.floorDiv(time, size.toMillis()) * size.toMillis();
        if (start + size.toMillis() <= streamTime - GRACE.toMillis()) {
            return List.of();
        }
        SeriesWindow overall = new SeriesWindow(new TypeIn(fact.type(), null), start);
        return fact.community() == null ? List.of(overall)
                : List.of(overall, new SeriesWindow(new TypeIn(fact.type(), fact.community()), start));
    }

    /** How fast a trending score of a kind fades: communities and tags within hours, posters over a day. */
    public static long halfLife(String kind) {
        return kind.equals("poster") ? Duration.ofHours(24).toMillis() : Duration.ofHours(6).toMillis();
    }
}
