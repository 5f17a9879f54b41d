package org.c18n.moderation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.c18n.community.CommunityEvents;
import org.c18n.eventlog.Event;
import org.c18n.speedlayer.JsonSerde;
import org.c18n.speedlayer.SpeedLayer;
import org.c18n.eventlog.Topics;
import org.c18n.post.PostEvents;
import tools.jackson.databind.ObjectMapper;

/**
 * The moderation rules of the speed layer. A match writes {@code moderation.flagged} to
 * {@value Topics#MODERATION}, which the projector turns into an item of the community's queue:
 * <ul>
 *   <li>{@code reports}: {@value #REPORTS} reports of one piece of content within an hour;</li>
 *   <li>{@code dislikes}: at least {@value ContentRules#MIN_DISLIKES} dislikes making up
 *       {@value ContentRules#DISLIKE_RATIO_PERCENT}% or more of its reactions;</li>
 *   <li>{@code links}: a post or comment with {@value ContentRules#MAX_LINKS} links or more;</li>
 *   <li>{@code banned-words}: a post or comment using one of its community's banned words;</li>
 *   <li>{@code link-spam}: the same link in posts of {@value #LINK_COMMUNITIES} communities within an hour.</li>
 * </ul>
 * Each rule flags a piece of content once (the reports rule once per hour window).
 */
public final class ModerationTopology {
    static final int REPORTS = 3;
    static final int LINK_COMMUNITIES = 3;
    static final Duration REPORT_WINDOW = Duration.ofHours(1);
    static final String POSTS = "moderation-posts";
    static final String COMMENTS = "moderation-comments";
    static final String REACTIONS = "moderation-reactions";
    static final String COUNTS = "moderation-counts";
    static final String FLAGGED = "moderation-flagged";
    static final String BANNED_WORDS = "moderation-banned-words";

    /** The reports of one piece of content in a window: how many, and the last (which a flag names). */
    record Reports(int count, ModerationEvents.ReportFiled last, Instant at) {
        static final Reports NONE = new Reports(0, null, null);

        Reports add(Event report) {
            return new Reports(count + 1, report.data(ModerationEvents.ReportFiled.class), report.at());
        }
    }

    private ModerationTopology() {}

    public static void add(StreamsBuilder builder, SpeedLayer.Sources sources, ObjectMapper json) {
        Serde<String> strings = Serdes.String();
        Serde<Event> events = JsonSerde.events(json);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(POSTS), strings,
                JsonSerde.of(json, ContentRules.Post.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COMMENTS), strings, Serdes.UUID()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(REACTIONS),
                JsonSerde.of(json, ContentRules.Reaction.class), strings));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COUNTS), strings,
                JsonSerde.of(json, ContentRules.Reactions.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FLAGGED),
                JsonSerde.of(json, ContentRules.Flag.class), Serdes.Boolean()));
        Produced<String, Event> produced = Produced.with(strings, events);
        // Each community's banned words, for every task that checks posts (a global table: posts are keyed by post).
        sources.communities()
                .flatMap((key, event) -> {
                    if (!event.type().equals(CommunityEvents.UPDATED)) {
                        return List.<KeyValue<String, String>>of();
                    }
                    var updated = event.data(CommunityEvents.Updated.class);
                    return updated.bannedWords() == null ? List.<KeyValue<String, String>>of()
                            : List.of(KeyValue.pair(updated.communityId().toString(), String.join("\n", updated.bannedWords())));
                }, Named.as("banned-words-by-community"))
                .to(Topics.COMMUNITY_SETTINGS, Produced.with(strings, strings));
        builder.globalTable(Topics.COMMUNITY_SETTINGS, Consumed.with(strings, strings),
                Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as(BANNED_WORDS)
                        .withKeySerde(strings).withValueSerde(strings));
        sources.posts().process(() -> new ContentRules(json), Named.as("content-rules"), POSTS, COMMENTS, REACTIONS, COUNTS, FLAGGED)
                .to(Topics.MODERATION, produced);

        // The same link in posts of several communities within an hour: keyed by the link, the
        // communities it appeared in are gathered per window; the post that reaches the threshold is flagged.
        sources.posts().flatMap((key, event) -> {
                    if (!event.type().equals(PostEvents.CREATED)) {
                        return List.<KeyValue<String, Event>>of();
                    }
                    var post = event.data(PostEvents.Created.class);
                    if (post.communityId() == null) {
                        return List.<KeyValue<String, Event>>of();
                    }
                    return ContentRules.links((post.title() == null ? "" : post.title()) + " " + post.body()).stream()
                            .map(link -> KeyValue.pair(link, event)).toList();
                }, Named.as("links-in-posts"))
                .groupByKey(Grouped.with("by-link", strings, events))
                .windowedBy(TimeWindows.ofSizeAndGrace(REPORT_WINDOW, Duration.ofMinutes(1)))
                .aggregate(() -> LinkSpread.NONE,
                        (link, event, spread) -> spread.add(event.data(PostEvents.Created.class), event.at()),
                        Materialized.<String, LinkSpread, WindowStore<Bytes, byte[]>>as("link-spread")
                                .withKeySerde(strings).withValueSerde(JsonSerde.of(json, LinkSpread.class))
                                .withCachingDisabled()) // the filter must see the update that reached the threshold
                .toStream()
                .filter((window, spread) -> spread.justReached(LINK_COMMUNITIES), Named.as("link-spread-over-threshold"))
                .flatMap((window, spread) -> flag(json, spread.at(), ModerationEvents.POST, spread.postId(), spread.postId(),
                        null, spread.communityId(), spread.authorId(), "link-spam:" + window.window().start(),
                        "the same link in " + LINK_COMMUNITIES + " communities within an hour: " + window.key()),
                        Named.as("link-spam-flagged"))
                .to(Topics.MODERATION, produced);

        // Reports are keyed by the content, so they are counted where they arrive.
        sources.moderation()
                .filter((key, event) -> event.type().equals(ModerationEvents.REPORT_FILED), Named.as("reports"))
                .groupByKey(Grouped.with("reports-by-content", strings, events))
                .windowedBy(TimeWindows.ofSizeAndGrace(REPORT_WINDOW, Duration.ofMinutes(1)))
                .aggregate(() -> Reports.NONE, (key, report, reports) -> reports.add(report),
                        Materialized.<String, Reports, WindowStore<Bytes, byte[]>>as("reports-per-hour")
                                .withKeySerde(strings).withValueSerde(JsonSerde.of(json, Reports.class))
                                .withCachingDisabled()) // the filter must see the count that reached the threshold
                .toStream()
                .filter((window, reports) -> reports.count() == REPORTS, Named.as("reports-over-threshold"))
                .flatMap((window, reports) -> {
                    var filed = reports.last();
                    return flag(json, reports.at(), filed.targetType(), filed.targetId(), filed.postId(), filed.roomId(),
                            filed.communityId(), filed.authorId(), "reports" + ":" + window.window().start(),
                            REPORTS + " reports within an hour, the last: " + filed.reason());
                }, Named.as("reports-flagged"))
                .to(Topics.MODERATION, produced);
    }

    /**
     * The flag of one piece of content by one rule; its id is derived from both (and, for
     * reports, the hour), so producing it again changes nothing. {@code rule} may carry a
     * {@code :qualifier} that only goes into the id.
     */
    static List<KeyValue<String, Event>> flag(ObjectMapper json, Instant at, String targetType, UUID targetId,
                                              UUID postId, UUID roomId, UUID communityId, UUID authorId, String rule,
                                              String evidence) {
        UUID id = UUID.nameUUIDFromBytes((targetId + ":" + rule).getBytes(StandardCharsets.UTF_8));
        String ruleName = rule.contains(":") ? rule.substring(0, rule.indexOf(':')) : rule;
        var data = new ModerationEvents.Flagged(id, targetType, targetId, postId, roomId, communityId, authorId, ruleName, evidence);
        Event event = new Event(id, ModerationEvents.FLAGGED, 1, at, null, targetId.toString(), json.valueToTree(data));
        return List.of(KeyValue.pair(targetId.toString(), event));
    }
}
