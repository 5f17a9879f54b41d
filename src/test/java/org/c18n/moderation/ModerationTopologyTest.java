package org.c18n.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.c18n.eventlog.Topics;
import org.c18n.post.PostEvents;
import org.c18n.support.SpeedLayerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The moderation rules of the speed layer, event by event with controlled times. */
class ModerationTopologyTest extends SpeedLayerTest {
    final UUID author = UUID.randomUUID();
    final UUID community = UUID.randomUUID();
    final UUID post = UUID.randomUUID();

    @BeforeEach
    void postToModerate() {
        send(Topics.POSTS, post.toString(), PostEvents.CREATED, author,
                new PostEvents.Created(post, community, null, author, "t", "b", List.of(), List.of(), false), T0);
    }

    List<ModerationEvents.Flagged> flags() {
        return driver.events(Topics.MODERATION, ModerationEvents.FLAGGED, ModerationEvents.Flagged.class);
    }

    void report(Instant at) {
        UUID reporter = UUID.randomUUID();
        send(Topics.MODERATION, post.toString(), ModerationEvents.REPORT_FILED, reporter, new ModerationEvents.ReportFiled(
                UUID.randomUUID(), ModerationEvents.POST, post, post, null, community, author, reporter, "spam"), at);
    }

    void react(UUID user, String kind) {
        send(Topics.POSTS, post.toString(), PostEvents.REACTION_SET, user, new PostEvents.ReactionSet(post, post, user, kind),
                T0.plusSeconds(5));
    }

    @Test
    void threeReportsWithinAnHourFlagTheContentOnce() {
        report(T0);
        report(T0.plus(Duration.ofMinutes(20)));
        assertThat(flags()).isEmpty();
        report(T0.plus(Duration.ofMinutes(40)));
        var flagged = flags();
        assertThat(flagged).hasSize(1);
        assertThat(flagged.get(0).rule()).isEqualTo("reports");
        assertThat(flagged.get(0).targetId()).isEqualTo(post);
        assertThat(flagged.get(0).communityId()).isEqualTo(community);
        assertThat(flagged.get(0).authorId()).isEqualTo(author);
        assertThat(flagged.get(0).evidence()).contains("3 reports").contains("spam");
        report(T0.plus(Duration.ofMinutes(50)));
        assertThat(flags()).isEmpty();
    }

    @Test
    void reportsSpreadOverHoursDoNotAddUp() {
        report(T0);
        report(T0.plus(Duration.ofMinutes(10)));
        report(T0.plus(Duration.ofHours(2)));
        report(T0.plus(Duration.ofHours(2).plusMinutes(10)));
        assertThat(flags()).isEmpty();
    }

    @Test
    void aDislikeRatioOverTheThresholdWithEnoughDislikesFlags() {
        UUID fan = UUID.randomUUID();
        react(fan, "like");
        List<UUID> critics = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        for (UUID critic : critics.subList(0, 4)) {
            react(critic, "dislike");
        }
        // A changed mind moves the counts instead of adding: still 4 dislikes.
        react(critics.get(0), "like");
        react(critics.get(0), "dislike");
        assertThat(flags()).isEmpty();
        react(critics.get(4), "dislike"); // 5 dislikes, 1 like: 83 %
        var flagged = flags();
        assertThat(flagged).extracting(ModerationEvents.Flagged::rule).containsExactly("dislikes");
        assertThat(flagged.get(0).evidence()).isEqualTo("5 dislikes, 1 likes");
        react(UUID.randomUUID(), "dislike");
        assertThat(flags()).isEmpty();
    }

    @Test
    void manyLinksInACommentFlagIt() {
        UUID comment = UUID.randomUUID();
        UUID spammer = UUID.randomUUID();
        send(Topics.POSTS, post.toString(), PostEvents.COMMENT_CREATED, spammer, new PostEvents.CommentCreated(comment, post,
                null, spammer, "http://a.example https://b.example http://c.example http://d.example HTTPS://e.example"),
                T0.plusSeconds(1));
        var flagged = flags();
        assertThat(flagged).hasSize(1);
        assertThat(flagged.get(0).rule()).isEqualTo("links");
        assertThat(flagged.get(0).targetType()).isEqualTo("comment");
        assertThat(flagged.get(0).communityId()).isEqualTo(community);
        assertThat(flagged.get(0).authorId()).isEqualTo(spammer);
        send(Topics.POSTS, post.toString(), PostEvents.COMMENT_CREATED, spammer, new PostEvents.CommentCreated(
                UUID.randomUUID(), post, null, spammer, "only http://one.example"), T0.plusSeconds(2));
        assertThat(flags()).isEmpty();
    }

    @Test
    void aCommunitysBannedWordsFlagPostsAndCommentsThatUseThem() {
        send(Topics.COMMUNITIES, community.toString(), org.c18n.community.CommunityEvents.UPDATED, author,
                new org.c18n.community.CommunityEvents.Updated(community, null, null, null, null, null, List.of("scam", "crypto"), null),
                T0);
        UUID clean = UUID.randomUUID();
        send(Topics.POSTS, clean.toString(), PostEvents.CREATED, author, new PostEvents.Created(clean, community, null, author,
                "Welcome", "A scampi recipe", List.of(), List.of(), false), T0.plusSeconds(1));
        assertThat(flags()).isEmpty();
        UUID bad = UUID.randomUUID();
        send(Topics.POSTS, bad.toString(), PostEvents.CREATED, author, new PostEvents.Created(bad, community, null, author,
                "Free CRYPTO", "Not a scam, really.", List.of(), List.of(), false), T0.plusSeconds(2));
        var flagged = flags();
        assertThat(flagged).extracting(ModerationEvents.Flagged::rule).containsExactly("banned-words");
        assertThat(flagged.get(0).evidence()).isEqualTo("banned words: crypto, scam");
        // Another community's words do not apply.
        UUID elsewhere = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        send(Topics.POSTS, elsewhere.toString(), PostEvents.CREATED, author, new PostEvents.Created(elsewhere, other, null,
                author, "t", "scam", List.of(), List.of(), false), T0.plusSeconds(3));
        assertThat(flags()).isEmpty();
    }

    UUID postIn(UUID community, String body, Instant at) {
        UUID id = UUID.randomUUID();
        send(Topics.POSTS, id.toString(), PostEvents.CREATED, author, new PostEvents.Created(id, community, null, author,
                "t", body, List.of(), List.of(), false), at);
        return id;
    }

    @Test
    void theSameLinkInThreeCommunitiesWithinAnHourFlagsThePostThatMadeItThree() {
        List<UUID> communities = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        postIn(communities.get(0), "Look: https://deals.example/win!", T0);
        postIn(communities.get(0), "Again https://DEALS.example/win", T0.plusSeconds(60)); // same community: still one
        postIn(communities.get(1), "https://deals.example/win", T0.plusSeconds(120));
        assertThat(flags()).isEmpty();
        UUID third = postIn(communities.get(2), "(https://deals.example/win)", T0.plusSeconds(180));
        var flagged = flags();
        assertThat(flagged).hasSize(1);
        assertThat(flagged.get(0).rule()).isEqualTo("link-spam");
        assertThat(flagged.get(0).targetId()).isEqualTo(third);
        assertThat(flagged.get(0).communityId()).isEqualTo(communities.get(2));
        assertThat(flagged.get(0).evidence()).isEqualTo("the same link in 3 communities within an hour: https://deals.example/win");
        postIn(communities.get(3), "https://deals.example/win", T0.plusSeconds(240));
        assertThat(flags()).isEmpty(); // flagged once per window

        // Spread over hours, a link is not spam.
        postIn(communities.get(0), "https://slow.example", T0.plus(java.time.Duration.ofHours(2)));
        postIn(communities.get(1), "https://slow.example", T0.plus(java.time.Duration.ofHours(3)));
        postIn(communities.get(2), "https://slow.example", T0.plus(java.time.Duration.ofHours(4)));
        assertThat(flags()).isEmpty();
    }
}
