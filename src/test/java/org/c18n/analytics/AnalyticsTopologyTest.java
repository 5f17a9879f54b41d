package org.c18n.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.c18n.chat.ChatEvents;
import org.c18n.community.CommunityEvents;
import org.c18n.eventlog.Topics;
import org.c18n.identity.UserEvents;
import org.c18n.media.MediaEvents;
import org.c18n.post.PostEvents;
import org.c18n.support.SpeedLayerTest;
import org.junit.jupiter.api.Test;

/** The analytics topology alone, driven event by event with controlled event times. */
class AnalyticsTopologyTest extends SpeedLayerTest {
    Map<String, String> latest = new java.util.HashMap<>();

    final UUID ann = UUID.randomUUID();
    final UUID bob = UUID.randomUUID();
    final UUID community = UUID.randomUUID();

    /**
     * The latest value of every key written, totals added up over their partitions' counts as the
     * view does ({@code total|<counter>|<partition>} → {@code total|<counter>}).
     */
    Map<String, String> results() {
        driver.read(AnalyticsTopology.OUTPUT).forEach(kv -> latest.put(kv.key, kv.value));
        Map<String, String> out = new java.util.HashMap<>();
        latest.forEach((key, value) -> {
            if (key.startsWith("total|")) {
                out.merge(key.substring(0, key.lastIndexOf('|')), value, (a, b) -> Long.toString(Long.parseLong(a) + Long.parseLong(b)));
            } else {
                out.put(key, value);
            }
        });
        return out;
    }

    static long minute(Instant at) {
        return at.toEpochMilli() / 60_000 * 60_000;
    }

    @Test
    void totalsCountEveryKindOfThingWithPostsByMediaKind() {
        send(Topics.USERS, "ann", UserEvents.REGISTERED, ann,
                new UserEvents.Registered(ann, "ann", "ann@x.org", "h", "Ann", "user", null, null), T0);
        send(Topics.COMMUNITIES, "community-name:c", CommunityEvents.CREATED, ann,
                new CommunityEvents.Created(community, "C", "", List.of(), "public", "open", ann, false), T0.plusSeconds(1));
        UUID video = UUID.randomUUID();
        UUID image = UUID.randomUUID();
        send(Topics.MEDIA, video.toString(), MediaEvents.UPLOADED, bob,
                new MediaEvents.Uploaded(video, bob, "s", "video/mp4", "video", 10, null, null, false, null), T0.plusSeconds(2));
        send(Topics.MEDIA, image.toString(), MediaEvents.UPLOADED, bob,
                new MediaEvents.Uploaded(image, bob, "s", "image/png", "image", 10, 4, 4, true, null), T0.plusSeconds(2));
        UUID text = UUID.randomUUID();
        UUID withVideo = UUID.randomUUID();
        UUID withImage = UUID.randomUUID();
        send(Topics.POSTS, text.toString(), PostEvents.CREATED, ann,
                new PostEvents.Created(text, community, null, ann, "t", "b", List.of(), List.of(), false), T0.plusSeconds(3));
        send(Topics.POSTS, withVideo.toString(), PostEvents.CREATED, bob,
                new PostEvents.Created(withVideo, community, null, bob, "t", "b", List.of(), List.of(video), false), T0.plusSeconds(4));
        send(Topics.POSTS, withImage.toString(), PostEvents.CREATED, bob,
                new PostEvents.Created(withImage, community, null, bob, "t", "b", List.of(), List.of(image, video), false), T0.plusSeconds(4));
        send(Topics.POSTS, text.toString(), PostEvents.COMMENT_CREATED, bob,
                new PostEvents.CommentCreated(UUID.randomUUID(), text, null, bob, "c"), T0.plusSeconds(5));
        send(Topics.POSTS, text.toString(), PostEvents.REACTION_SET, bob,
                new PostEvents.ReactionSet(text, text, bob, "like"), T0.plusSeconds(6));
        send(Topics.POSTS, text.toString(), PostEvents.REACTION_SET, bob,
                new PostEvents.ReactionSet(text, text, bob, "none"), T0.plusSeconds(7));
        send(Topics.MESSAGES, "room", ChatEvents.MESSAGE_SENT, ann,
                new ChatEvents.MessageSent(UUID.randomUUID(), UUID.randomUUID(), ann, "ann", "hi", null, List.of(), null, List.of(), List.of()),
                T0.plusSeconds(8));

        Map<String, String> out = results();
        assertThat(out).containsEntry("total|users", "1").containsEntry("total|communities", "1")
                .containsEntry("total|posts.text", "1").containsEntry("total|posts.video", "1")
                .containsEntry("total|posts.image", "1").containsEntry("total|comments", "1")
                .containsEntry("total|reactions", "1").containsEntry("total|messages", "1");
        // The comment counts in its post's community, though its event does not name it.
        long start = minute(T0);
        assertThat(out).containsEntry("series|minute|post.created||" + start, "3")
                .containsEntry("series|minute|post.created|" + community + "|" + start, "3")
                .containsEntry("series|minute|comment.created|" + community + "|" + start, "1")
                .containsEntry("series|minute|reaction.set||" + start, "2")
                .containsEntry("series|hour|post.created||" + start / 3_600_000 * 3_600_000, "3")
                .containsEntry("series|minute|" + AnalyticsTopology.ACTIVE_USERS + "||" + start, "2");
    }

    @Test
    void lateEventsCountWithinTheGraceAndAreDroppedAfterIt() {
        long first = minute(T0);
        message(T0.plusSeconds(10));
        message(T0.plusSeconds(70)); // the next minute; stream time moves to 10:01:10
        message(T0.plusSeconds(20)); // 50 s late, but the 10:00 window accepts until 10:01:30
        assertThat(results()).containsEntry("series|minute|message.sent||" + first, "2");

        message(T0.plusSeconds(100)); // stream time 10:01:40: the 10:00 window is closed
        message(T0.plusSeconds(30));
        Map<String, String> out = results();
        assertThat(out).containsEntry("series|minute|message.sent||" + first, "2")
                .containsEntry("series|minute|message.sent||" + (first + 60_000), "2");
        // The late message still counts in the running total, which has no window.
        assertThat(out).containsEntry("total|messages", "5");
    }

    @Test
    void activeUsersCountEachActorOncePerWindowWithinTheGrace() {
        String firstMinute = "series|minute|" + AnalyticsTopology.ACTIVE_USERS + "||" + minute(T0);
        String firstHour = "series|hour|" + AnalyticsTopology.ACTIVE_USERS + "||" + T0.toEpochMilli() / 3_600_000 * 3_600_000;
        message(ann, T0.plusSeconds(1));
        message(ann, T0.plusSeconds(2));
        message(bob, T0.plusSeconds(3));
        message(ann, T0.plusSeconds(70)); // the next minute; stream time 10:01:10
        message(UUID.randomUUID(), T0.plusSeconds(20)); // late, within the grace: a third user in 10:00
        assertThat(results()).containsEntry(firstMinute, "3").containsEntry(firstHour, "3")
                .containsEntry("series|minute|" + AnalyticsTopology.ACTIVE_USERS + "||" + (minute(T0) + 60_000), "1");

        message(ann, T0.plusSeconds(100)); // stream time 10:01:40: the 10:00 minute is closed, the hour is not
        message(UUID.randomUUID(), T0.plusSeconds(30));
        assertThat(results()).containsEntry(firstMinute, "3").containsEntry(firstHour, "4");
    }

    @Test
    void trendingScoresRiseWithEachEventAndHalveEverySixHours() {
        post(List.of("bread", "Baking"), T0);
        post(List.of("bread"), T0.plusSeconds(60));
        post(List.of("cheese"), T0.plusSeconds(120));
        Map<String, String> out = results();
        assertThat(DecayedScore.parse(out.get("trending|tag|bread")).score()).isCloseTo(2, org.assertj.core.data.Offset.offset(0.01));
        assertThat(out).containsKey("trending|tag|baking");
        assertThat(DecayedScore.parse(out.get("trending|community|" + community)).score()).isCloseTo(3, org.assertj.core.data.Offset.offset(0.01));
        assertThat(DecayedScore.parse(out.get("trending|poster|" + ann)).score()).isCloseTo(3, org.assertj.core.data.Offset.offset(0.01));

        // Six hours later one more cheese post: cheese (1 halved, plus 1) now outranks bread (2 halved).
        Instant later = T0.plusSeconds(120).plus(java.time.Duration.ofHours(6));
        post(List.of("cheese"), later);
        DecayedScore cheese = DecayedScore.parse(results().get("trending|tag|cheese"));
        DecayedScore bread = DecayedScore.parse(results().get("trending|tag|bread"));
        long sixHours = AnalyticsTopology.halfLife("tag");
        assertThat(cheese.at(later.toEpochMilli(), sixHours)).isCloseTo(1.5, org.assertj.core.data.Offset.offset(0.01));
        assertThat(bread.at(later.toEpochMilli(), sixHours)).isCloseTo(2 * Math.pow(2, -(6 * 3600 + 60) / (6 * 3600.0)),
                org.assertj.core.data.Offset.offset(0.01));
        assertThat(cheese.at(later.toEpochMilli(), sixHours)).isGreaterThan(bread.at(later.toEpochMilli(), sixHours));
    }

    void post(List<String> tags, Instant at) {
        UUID id = UUID.randomUUID();
        send(Topics.POSTS, id.toString(), PostEvents.CREATED, ann,
                new PostEvents.Created(id, community, null, ann, "t", "b", tags, List.of(), false), at);
    }

    void message(Instant at) {
        message(ann, at);
    }

    void message(UUID from, Instant at) {
        send(Topics.MESSAGES, "room", ChatEvents.MESSAGE_SENT, from,
                new ChatEvents.MessageSent(UUID.randomUUID(), UUID.randomUUID(), from, "someone", "hi", null, List.of(), null, List.of(), List.of()), at);
    }
}
