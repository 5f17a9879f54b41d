package org.c18n.moderation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.c18n.community.CommunityEvents;
import org.c18n.eventlog.Event;
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

    private ModerationTopology() {}

    public static void add(StreamsBuilder builder, SpeedLayer.Sources sources, ObjectMapper json) {
        for (String store : List.of(POSTS, COMMENTS, REACTIONS, COUNTS, FLAGGED)) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.String()));
        }
        Produced<String, String> produced = Produced.with(Serdes.String(), Serdes.String());
        // Each community's banned words, for every task that checks posts (a global table: posts are keyed by post).
        sources.communities()
                .flatMap((key, value) -> {
                    var event = json.readTree(value);
                    var data = event.path("data");
                    if (!event.path("type").asString().equals(CommunityEvents.UPDATED) || !data.path("bannedWords").isArray()) {
                        return List.<KeyValue<String, String>>of();
                    }
                    List<String> words = new java.util.ArrayList<>();
                    data.path("bannedWords").forEach(word -> words.add(word.asString()));
                    return List.of(KeyValue.pair(data.path("communityId").asString(), String.join("\n", words)));
                }, Named.as("banned-words-by-community"))
                .to(Topics.COMMUNITY_SETTINGS, produced);
        builder.globalTable(Topics.COMMUNITY_SETTINGS, org.apache.kafka.streams.kstream.Consumed.with(Serdes.String(), Serdes.String()),
                Materialized.<String, String, org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>as(BANNED_WORDS)
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()));
        sources.posts().process(() -> new ContentRules(json), Named.as("content-rules"), POSTS, COMMENTS, REACTIONS, COUNTS, FLAGGED)
                .to(Topics.MODERATION, produced);

        // The same link in posts of several communities within an hour: keyed by the link, the
        // communities it appeared in are gathered per window; the post that reaches the threshold is flagged.
        sources.posts().flatMap((key, value) -> {
                    Event event = Event.parse(json, value);
                    if (!event.type().equals(PostEvents.CREATED) || !event.data().path("communityId").isString()) {
                        return List.<KeyValue<String, String>>of();
                    }
                    var post = json.treeToValue(event.data(), PostEvents.Created.class);
                    return ContentRules.links((post.title() == null ? "" : post.title()) + " " + post.body()).stream()
                            .map(link -> KeyValue.pair(link, value)).toList();
                }, Named.as("links-in-posts"))
                .groupByKey(Grouped.with("by-link", Serdes.String(), Serdes.String()))
                .windowedBy(TimeWindows.ofSizeAndGrace(REPORT_WINDOW, Duration.ofMinutes(1)))
                .aggregate(() -> "", (link, value, seen) -> LinkSpread.add(seen, json, value),
                        Materialized.<String, String, org.apache.kafka.streams.state.WindowStore<org.apache.kafka.common.utils.Bytes, byte[]>>as("link-spread")
                                .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()))
                .toStream()
                .filter((window, spread) -> LinkSpread.justReached(spread, LINK_COMMUNITIES), Named.as("link-spread-over-threshold"))
                .flatMap((window, spread) -> {
                    Event source = Event.parse(json, LinkSpread.lastEvent(spread));
                    var post = json.treeToValue(source.data(), PostEvents.Created.class);
                    return flag(json, source, ModerationEvents.POST, post.postId(), post.postId(), null, post.communityId(),
                            post.authorId(), "link-spam:" + window.window().start(),
                            "the same link in " + LINK_COMMUNITIES + " communities within an hour: " + window.key());
                }, Named.as("link-spam-flagged"))
                .to(Topics.MODERATION, produced);

        // Reports are keyed by the content, so they are counted where they arrive.
        KStream<String, String> reports = sources.moderation()
                .filter((key, value) -> json.readTree(value).path("type").asString().equals(ModerationEvents.REPORT_FILED),
                        Named.as("reports"));
        reports.groupByKey(Grouped.with("reports-by-content", Serdes.String(), Serdes.String()))
                .windowedBy(TimeWindows.ofSizeAndGrace(REPORT_WINDOW, Duration.ofMinutes(1)))
                .aggregate(() -> "", (key, value, last) -> count(last) + 1 + "\t" + value,
                        Materialized.<String, String, org.apache.kafka.streams.state.WindowStore<org.apache.kafka.common.utils.Bytes, byte[]>>as("reports-per-hour")
                                .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()))
                .toStream()
                .filter((window, value) -> count(value) == REPORTS, Named.as("reports-over-threshold"))
                .flatMap((window, value) -> {
                    Event report = Event.parse(json, value.substring(value.indexOf('\t') + 1));
                    var filed = json.treeToValue(report.data(), ModerationEvents.ReportFiled.class);
                    return flag(json, report, filed.targetType(), filed.targetId(), filed.postId(), filed.roomId(),
                            filed.communityId(), filed.authorId(), "reports" + ":" + window.window().start(),
                            REPORTS + " reports within an hour, the last: " + filed.reason());
                }, Named.as("reports-flagged"))
                .to(Topics.MODERATION, produced);
    }

    private static int count(String aggregate) {
        return aggregate.isEmpty() ? 0 : Integer.parseInt(aggregate.substring(0, aggregate.indexOf('\t')));
    }

    /**
     * The flag of one piece of content by one rule; its id is derived from both (and, for
     * reports, the hour), so producing it again changes nothing. {@code rule} may carry a
     * {@code :qualifier} that only goes into the id.
     */
    static List<KeyValue<String, String>> flag(ObjectMapper json, Event source, String targetType, UUID targetId,
                                               UUID postId, UUID roomId, UUID communityId, UUID authorId, String rule,
                                               String evidence) {
        UUID id = UUID.nameUUIDFromBytes((targetId + ":" + rule).getBytes(StandardCharsets.UTF_8));
        String ruleName = rule.contains(":") ? rule.substring(0, rule.indexOf(':')) : rule;
        var data = new ModerationEvents.Flagged(id, targetType, targetId, postId, roomId, communityId, authorId, ruleName, evidence);
        Event event = new Event(id, ModerationEvents.FLAGGED, 1, source.at(), null, targetId.toString(), json.valueToTree(data));
        return List.of(KeyValue.pair(targetId.toString(), json.writeValueAsString(event)));
    }
}
