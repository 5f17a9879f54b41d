package org.c18n.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.c18n.chat.ChatEvents;
import org.c18n.community.CommunityEvents;
import org.c18n.eventlog.Event;
import org.c18n.eventlog.Topics;
import org.c18n.post.PostEvents;
import org.c18n.support.SpeedLayerDriver;
import org.c18n.support.SpeedLayerTest;
import org.junit.jupiter.api.Test;

/** The notification rules of the speed layer, event by event. */
class NotificationTopologyTest extends SpeedLayerTest {
    final UUID ann = UUID.randomUUID();
    final UUID bob = UUID.randomUUID();
    final UUID cat = UUID.randomUUID();
    final UUID community = UUID.randomUUID();

    List<NotificationEvents.Created> notifications() {
        return driver.read(Topics.NOTIFICATIONS).stream().map(kv -> {
            Event event = Event.parse(SpeedLayerDriver.JSON, kv.value);
            assertThat(kv.key).isEqualTo(event.key());
            return event.data(NotificationEvents.Created.class);
        }).toList();
    }

    @Test
    void repliesNotifyThePostAndCommentAuthorsButNeverTheReplier() {
        UUID post = UUID.randomUUID();
        UUID annComment = UUID.randomUUID();
        UUID bobComment = UUID.randomUUID();
        send(Topics.POSTS, post.toString(), PostEvents.CREATED, ann,
                new PostEvents.Created(post, community, null, ann, "t", "b", List.of(), List.of(), false));
        send(Topics.POSTS, post.toString(), PostEvents.COMMENT_CREATED, ann,
                new PostEvents.CommentCreated(annComment, post, null, ann, "my own post"));
        assertThat(notifications()).isEmpty();

        send(Topics.POSTS, post.toString(), PostEvents.COMMENT_CREATED, bob,
                new PostEvents.CommentCreated(bobComment, post, annComment, bob, "answer"));
        var toAnn = notifications();
        assertThat(toAnn).hasSize(1); // ann wrote both the post and the comment answered: one notification
        assertThat(toAnn.get(0).userId()).isEqualTo(ann);
        assertThat(toAnn.get(0).kind()).isEqualTo(NotificationEvents.REPLY);
        assertThat(toAnn.get(0).communityId()).isEqualTo(community);
        assertThat(toAnn.get(0).commentId()).isEqualTo(bobComment);
        assertThat(toAnn.get(0).actorId()).isEqualTo(bob);

        Event third = send(Topics.POSTS, post.toString(), PostEvents.COMMENT_CREATED, cat,
                new PostEvents.CommentCreated(UUID.randomUUID(), post, bobComment, cat, "and me"));
        var both = notifications();
        assertThat(both).extracting(NotificationEvents.Created::userId).containsExactly(bob, ann);
        // The same source event always yields the same notification ids (replay, retried tasks).
        assertThat(both.get(0).notificationId()).isEqualTo(UUID.nameUUIDFromBytes(
                (third.id() + ":" + bob + ":reply").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void mentionsInvitesAndModeratorDecisionsNotifyTheirPerson() {
        UUID room = UUID.randomUUID();
        send(Topics.MESSAGES, room.toString(), ChatEvents.MESSAGE_SENT, ann, new ChatEvents.MessageSent(UUID.randomUUID(),
                room, ann, "ann", "@bob @cat @ann", null, List.of(), null, List.of(bob, cat, ann), List.of()));
        assertThat(notifications()).extracting(NotificationEvents.Created::userId).containsExactly(bob, cat);

        UUID invite = UUID.randomUUID();
        send(Topics.COMMUNITIES, community.toString(), CommunityEvents.INVITE_SENT, ann,
                new CommunityEvents.InviteSent(invite, community, ann, bob));
        var invited = notifications();
        assertThat(invited).hasSize(1);
        assertThat(invited.get(0).kind()).isEqualTo(NotificationEvents.INVITE);
        assertThat(invited.get(0).inviteId()).isEqualTo(invite);

        UUID post = UUID.randomUUID();
        send(Topics.POSTS, post.toString(), PostEvents.CREATED, bob,
                new PostEvents.Created(post, community, null, bob, "t", "b", List.of(), List.of(), true));
        send(Topics.POSTS, post.toString(), PostEvents.APPROVED, ann, new PostEvents.Moderated(post, ann));
        var approved = notifications();
        assertThat(approved).extracting(NotificationEvents.Created::kind).containsExactly(NotificationEvents.POST_APPROVED);
        assertThat(approved.get(0).userId()).isEqualTo(bob);
    }

    @Test
    void offlineMembersHearOfARoomsMessagesOnceUntilTheyReadIt() {
        UUID room = UUID.randomUUID();
        UUID first = message(room, ann, "hello", List.of(), List.of(bob, cat));
        var told = notifications();
        assertThat(told).extracting(NotificationEvents.Created::userId).containsExactly(bob, cat);
        assertThat(told).extracting(NotificationEvents.Created::kind).containsOnly(NotificationEvents.MESSAGE);
        assertThat(told.get(0).roomId()).isEqualTo(room);
        assertThat(told.get(0).messageId()).isEqualTo(first);

        message(room, ann, "are you there?", List.of(), List.of(bob, cat));
        assertThat(notifications()).isEmpty(); // told once already, not read since

        send(Topics.MESSAGES, room.toString(), ChatEvents.MESSAGE_READ, bob, new ChatEvents.MessageRead(room, bob, 2));
        UUID third = message(room, ann, "@cat and bob", List.of(cat), List.of(bob, cat));
        var again = notifications();
        assertThat(again).extracting(NotificationEvents.Created::userId).containsExactly(bob, cat);
        assertThat(again).extracting(NotificationEvents.Created::kind) // cat is mentioned: that says it all
                .containsExactly(NotificationEvents.MESSAGE, NotificationEvents.MENTION);
        assertThat(again.get(0).messageId()).isEqualTo(third);

        // Another room is another conversation; whoever was online (not listed) hears nothing.
        message(UUID.randomUUID(), bob, "hi", List.of(), List.of(cat));
        assertThat(notifications()).extracting(NotificationEvents.Created::userId).containsExactly(cat);
    }

    UUID message(UUID room, UUID sender, String body, List<UUID> mentions, List<UUID> offline) {
        UUID id = UUID.randomUUID();
        send(Topics.MESSAGES, room.toString(), ChatEvents.MESSAGE_SENT, sender,
                new ChatEvents.MessageSent(id, room, sender, "x", body, null, List.of(), null, mentions, offline));
        return id;
    }

    @Test
    void aJoinThatArrivesAfterThePostItPrecededStillHearsOfIt() {
        driver.send(Topics.COMMUNITIES, "community-name:c", CommunityEvents.CREATED, ann,
                new CommunityEvents.Created(community, "C", "", List.of(), "public", "open", ann, false), T0);
        // The post is processed first (another topic, another task), though bob joined a second
        // before it was written; cat joined a minute after it.
        UUID post = newPost(ann, T0.plusSeconds(10));
        assertThat(notifications()).isEmpty();
        driver.send(Topics.COMMUNITIES, community.toString(), CommunityEvents.MEMBER_JOINED, bob,
                new CommunityEvents.MemberJoined(community, bob), T0.plusSeconds(9));
        driver.send(Topics.COMMUNITIES, community.toString(), CommunityEvents.MEMBER_JOINED, cat,
                new CommunityEvents.MemberJoined(community, cat), T0.plusSeconds(70));
        var told = notifications();
        assertThat(told).extracting(NotificationEvents.Created::userId).containsExactly(bob);
        assertThat(told.get(0).postId()).isEqualTo(post);
        assertThat(told.get(0).kind()).isEqualTo(NotificationEvents.NEW_POST);
    }

    @Test
    void membersHearOfNewPostsUntilTheCommunityGetsBusyThenOneDigestAnHour() {
        UUID dan = UUID.randomUUID();
        driver.send(Topics.COMMUNITIES, "community-name:c", CommunityEvents.CREATED, ann,
                new CommunityEvents.Created(community, "C", "", List.of(), "public", "open", ann, false), T0);
        for (UUID member : List.of(bob, cat, dan)) {
            driver.send(Topics.COMMUNITIES, community.toString(), CommunityEvents.MEMBER_JOINED, member,
                    new CommunityEvents.MemberJoined(community, member), T0);
        }
        driver.send(Topics.COMMUNITIES, community.toString(), CommunityEvents.NOTIFICATIONS_SET, cat,
                new CommunityEvents.NotificationsSet(community, cat, true), T0);
        driver.send(Topics.COMMUNITIES, community.toString(), CommunityEvents.MEMBER_LEFT, dan,
                new CommunityEvents.MemberLeft(community, dan), T0);

        UUID first = newPost(ann, T0.plusSeconds(1));
        var told = notifications();
        assertThat(told).extracting(NotificationEvents.Created::userId).containsExactly(bob); // not the author, the muted or the gone
        assertThat(told.get(0).kind()).isEqualTo(NotificationEvents.NEW_POST);
        assertThat(told.get(0).postId()).isEqualTo(first);
        assertThat(told.get(0).communityId()).isEqualTo(community);

        for (int i = 2; i <= CommunityPosts.DIGEST_AFTER; i++) {
            newPost(ann, T0.plusSeconds(i));
        }
        assertThat(notifications()).hasSize(CommunityPosts.DIGEST_AFTER - 1);
        newPost(ann, T0.plusSeconds(100));
        assertThat(notifications()).extracting(NotificationEvents.Created::kind).containsExactly(NotificationEvents.BUSY_COMMUNITY);
        newPost(bob, T0.plusSeconds(200));
        assertThat(notifications()).isEmpty();
        // The next hour starts quiet again; bob (the author now) hears nothing of his own post, ann does.
        newPost(bob, T0.plus(java.time.Duration.ofHours(1)));
        assertThat(notifications()).extracting(NotificationEvents.Created::userId).containsExactly(ann);
    }

    @Test
    void anotherCommunitysMembersHearNothingOfItsPosts() {
        UUID other = UUID.randomUUID();
        driver.send(Topics.COMMUNITIES, other.toString(), CommunityEvents.MEMBER_JOINED, cat,
                new CommunityEvents.MemberJoined(other, cat), T0);
        driver.send(Topics.COMMUNITIES, community.toString(), CommunityEvents.MEMBER_JOINED, bob,
                new CommunityEvents.MemberJoined(community, bob), T0);
        newPost(ann, T0.plusSeconds(1));
        assertThat(notifications()).extracting(NotificationEvents.Created::userId).containsExactly(bob);
    }

    /** A record of a newer envelope (or no event at all) is skipped as a dead letter: nothing is derived from it. */
    @Test
    void anEventOfANewerEnvelopeVersionIsDeadLetteredNotMisread() {
        UUID post = UUID.randomUUID();
        send(Topics.POSTS, post.toString(), PostEvents.CREATED, ann,
                new PostEvents.Created(post, community, null, ann, "t", "b", List.of(), List.of(), false));
        var reply = new PostEvents.CommentCreated(UUID.randomUUID(), post, null, bob, "from the future");
        Event next = new Event(UUID.randomUUID(), PostEvents.COMMENT_CREATED, Event.VERSION + 1, T0, bob, post.toString(),
                SpeedLayerDriver.JSON.valueToTree(reply));
        driver.sendRaw(Topics.POSTS, post.toString(), SpeedLayerDriver.JSON.writeValueAsString(next), T0);
        driver.sendRaw(Topics.POSTS, post.toString(), "{not an event", T0);

        assertThat(notifications()).isEmpty();
        assertThat(driver.read(Topics.ANALYTICS)).noneMatch(kv -> kv.key.contains(PostEvents.COMMENT_CREATED));
        assertThat(driver.deadLetters()).hasSize(2);
        assertThat(driver.deadLetters().get(0)).startsWith(Topics.POSTS + "@1 ").contains("envelope version " + (Event.VERSION + 1));
        assertThat(driver.deadLetters().get(1)).startsWith(Topics.POSTS + "@2 ").contains("not a JSON event envelope");

        send(Topics.POSTS, post.toString(), PostEvents.COMMENT_CREATED, bob, reply); // the same, in this version
        assertThat(notifications()).extracting(NotificationEvents.Created::kind).containsExactly(NotificationEvents.REPLY);
    }

    UUID newPost(UUID author, java.time.Instant at) {
        UUID post = UUID.randomUUID();
        driver.send(Topics.POSTS, post.toString(), PostEvents.CREATED, author,
                new PostEvents.Created(post, community, null, author, "t", "b", List.of(), List.of(), false), at);
        return post;
    }

    @Test
    void theQueueGrowingTellsTheOwnerAndModeratorsOncePerContentUntilDecided() {
        UUID dan = UUID.randomUUID();
        send(Topics.COMMUNITIES, "community-name:q", CommunityEvents.CREATED, ann, new CommunityEvents.Created(community, "Q",
                "", List.of(), "public", "open", ann, true));
        send(Topics.COMMUNITIES, community.toString(), CommunityEvents.MEMBER_JOINED, bob,
                new CommunityEvents.MemberJoined(community, bob));
        send(Topics.COMMUNITIES, community.toString(), CommunityEvents.ROLE_CHANGED, ann,
                new CommunityEvents.RoleChanged(community, bob, "moderator"));
        notifications(); // (ann hears that bob joined nothing; drained for clarity)

        UUID held = UUID.randomUUID();
        send(Topics.POSTS, held.toString(), PostEvents.CREATED, cat,
                new PostEvents.Created(held, community, null, cat, "t", "b", List.of(), List.of(), true));
        var told = notifications();
        assertThat(told).extracting(NotificationEvents.Created::userId).containsExactlyInAnyOrder(ann, bob);
        assertThat(told).allSatisfy(n -> {
            assertThat(n.kind()).isEqualTo(NotificationEvents.QUEUE);
            assertThat(n.postId()).isEqualTo(held);
            assertThat(n.communityId()).isEqualTo(community);
        });

        // Reports of bob's post: ann hears of the first only; bob wrote it, dan reported it.
        UUID post = UUID.randomUUID();
        for (UUID reporter : List.of(dan, cat)) {
            send(Topics.MODERATION, post.toString(), org.c18n.moderation.ModerationEvents.REPORT_FILED, reporter,
                    new org.c18n.moderation.ModerationEvents.ReportFiled(UUID.randomUUID(), "post", post, post, null, community,
                            bob, reporter, "spam"));
        }
        assertThat(notifications()).extracting(NotificationEvents.Created::userId).containsExactly(ann);
        send(Topics.MODERATION, post.toString(), org.c18n.moderation.ModerationEvents.DECIDED, ann,
                new org.c18n.moderation.ModerationEvents.Decided(UUID.randomUUID(), post, "post", post, community, bob,
                        "dismiss", ann, null));
        send(Topics.MODERATION, post.toString(), org.c18n.moderation.ModerationEvents.REPORT_FILED, dan,
                new org.c18n.moderation.ModerationEvents.ReportFiled(UUID.randomUUID(), "post", post, post, null, community,
                        bob, dan, "again"));
        assertThat(notifications()).extracting(NotificationEvents.Created::userId).containsExactly(ann);
    }
}
