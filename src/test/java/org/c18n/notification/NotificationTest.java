package org.c18n.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.c18n.support.Problems.assertProblem;

import java.util.List;
import java.util.Map;
import org.c18n.client.Api;
import org.c18n.support.Eventually;
import org.c18n.support.PlatformTest;
import org.c18n.support.Socket;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Notifications derived by the speed layer on the embedded broker: inbox, live push, read. */
class NotificationTest extends PlatformTest {

    static JsonNode inboxWith(Api api, int items) {
        return Eventually.items(api, "/api/v1/notifications", items);
    }

    @Test
    void aReplyLandsInTheAuthorsInboxLiveAndCanBeMarkedRead() {
        Api ann = signedUp("nann");
        Api bob = signedUp("nbob");
        String community = community(ann, bob);
        String post = ann.post("/api/v1/communities/" + community + "/posts", Map.of("title", "Ask me", "body", "Anything"))
                .text("id");
        Socket annSocket = Socket.connect(ann);
        annSocket.await("hello");

        String comment = bob.post("/api/v1/posts/" + post + "/comments", Map.of("body", "Why?")).text("id");
        JsonNode pushed = annSocket.await("notification");
        assertThat(pushed.path("kind").asString()).isEqualTo("reply");

        JsonNode inbox = inboxWith(ann, 1);
        assertThat(inbox.path("unread").asLong()).isEqualTo(1);
        JsonNode reply = inbox.path("items").get(0);
        assertThat(reply.path("id").asString()).isEqualTo(pushed.path("id").asString());
        assertThat(reply.path("kind").asString()).isEqualTo("reply");
        assertThat(reply.path("actor").path("username").asString()).isEqualTo(bob.get("/api/v1/users/me").text("username"));
        assertThat(reply.path("post").path("id").asString()).isEqualTo(post);
        assertThat(reply.path("post").path("name").asString()).isEqualTo("Ask me");
        assertThat(reply.path("community").path("id").asString()).isEqualTo(community);
        assertThat(reply.path("commentId").asString()).isEqualTo(comment);
        assertThat(reply.path("read").asBoolean()).isFalse();
        // Bob is told of ann's new post (he is a member), but nothing about his own comment.
        ann.post("/api/v1/posts/" + post + "/comments", Map.of("body", "Because."));
        JsonNode bobs = inboxWith(bob, 1);
        assertThat(bobs.path("items").valueStream().map(n -> n.path("kind").asString()).toList()).containsExactly("new_post");
        assertThat(bobs.path("items").get(0).path("post").path("id").asString()).isEqualTo(post);

        // Muted, bob hears of no more posts there.
        var muted = bob.put("/api/v1/communities/" + community + "/notifications", Map.of("muted", true));
        assertThat(muted.status()).as(muted.toString()).isEqualTo(200);
        assertThat(muted.body().path("notificationsMuted").asBoolean()).isTrue();
        ann.post("/api/v1/communities/" + community + "/posts", Map.of("body", "Anyone?"));
        Api cat = signedUp("ncat");
        assertProblem(cat.put("/api/v1/communities/" + community + "/notifications", Map.of("muted", true)), 403,
                "forbidden", "members");
        cat.post("/api/v1/communities/" + community + "/join", null);
        ann.post("/api/v1/communities/" + community + "/posts", Map.of("body", "Cat, welcome"));
        inboxWith(cat, 1); // cat (not muted) hears of it, so the stream has passed bob by
        assertThat(bob.get("/api/v1/notifications").body().path("items")).hasSize(1);

        var read = ann.post("/api/v1/notifications/read", Map.of());
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.body().path("unread").asLong()).isZero();
        assertThat(ann.get("/api/v1/notifications").body().path("items").get(0).path("read").asBoolean()).isTrue();
        assertProblem(ann.post("/api/v1/notifications/read", Map.of("ids", List.of("not-an-id"))), 400, "validation", "ids[0]");
        assertThat(new Api(base()).get("/api/v1/notifications").status()).isEqualTo(401);
        annSocket.close();
    }

    @Test
    void invitesAndMentionsAreNotifiedToo() {
        Api ann = signedUp("iann");
        Api bob = signedUp("ibob");
        String community = ann.post("/api/v1/communities", Map.of("name", unique("Invited "), "visibility", "private")).text("id");
        var invite = ann.post("/api/v1/communities/" + community + "/invites", Map.of("userId", bob.id()));
        assertThat(invite.status()).as(invite.toString()).isIn(201, 202);
        String room = ann.post("/api/v1/rooms/direct", Map.of("userId", bob.id())).text("id");
        String bobName = bob.get("/api/v1/users/me").text("username");
        ann.post("/api/v1/rooms/" + room + "/messages", Map.of("body", "Hey @" + bobName + ", see the invite"));

        JsonNode inbox = inboxWith(bob, 2);
        assertThat(inbox.path("items").valueStream().map(n -> n.path("kind").asString()).toList())
                .containsExactlyInAnyOrder("invite", "mention");
        JsonNode invited = inbox.path("items").valueStream().filter(n -> n.path("kind").asString().equals("invite"))
                .findFirst().orElseThrow();
        assertThat(invited.path("inviteId").asString()).isEqualTo(invite.text("id"));
        assertThat(invited.path("community").path("id").asString()).isEqualTo(community);
        assertThat(inbox.path("unread").asLong()).isEqualTo(2);
    }

    @Test
    void messagesToSomeoneOfflineNotifyThemOnceUntilTheyReadTheRoom() {
        Api ann = signedUp("mann");
        Api bob = signedUp("mbob");
        Api cat = signedUp("mcat");
        String toBob = ann.post("/api/v1/rooms/direct", Map.of("userId", bob.id())).text("id");
        String toCat = ann.post("/api/v1/rooms/direct", Map.of("userId", cat.id())).text("id");
        Socket catSocket = Socket.connect(cat);
        catSocket.await("hello");

        ann.post("/api/v1/rooms/" + toBob + "/messages", Map.of("body", "Are you around?"));
        var second = ann.post("/api/v1/rooms/" + toBob + "/messages", Map.of("body", "Call me when you are back"));
        JsonNode told = inboxWith(bob, 1);
        assertThat(told.path("items").get(0).path("kind").asString()).isEqualTo("message");
        assertThat(told.path("items").get(0).path("roomId").asString()).isEqualTo(toBob);
        assertThat(told.path("items").get(0).path("actor").path("id").asString()).isEqualTo(ann.id());

        // Once bob has read the conversation, the next message while he is away tells him again.
        assertThat(bob.post("/api/v1/rooms/" + toBob + "/read", Map.of("seq", second.body().path("seq").asLong())).status())
                .isEqualTo(202);
        ann.post("/api/v1/rooms/" + toBob + "/messages", Map.of("body", "Still there?"));
        // The two are about the same room: one entry of the inbox holds both.
        JsonNode twice = Eventually.get(() -> bob.get("/api/v1/notifications").body(),
                body -> body.path("items").get(0).path("count").asInt() == 2, java.time.Duration.ofSeconds(60));
        assertThat(twice.path("items")).hasSize(1);
        assertThat(twice.path("items").get(0).path("kind").asString()).isEqualTo("message");
        assertThat(twice.path("items").get(0).path("ids")).hasSize(2);

        // Cat is online: the message reaches her socket and no notification is made of it (the
        // mention that follows in the same room shows the stream has passed the first message).
        ann.post("/api/v1/rooms/" + toCat + "/messages", Map.of("body", "Hi cat"));
        assertThat(catSocket.await("message").path("body").asString()).isEqualTo("Hi cat");
        ann.post("/api/v1/rooms/" + toCat + "/messages", Map.of("body", "@" + cat.get("/api/v1/users/me").text("username")));
        assertThat(inboxWith(cat, 1).path("items").valueStream().map(n -> n.path("kind").asString()).toList())
                .containsExactly("mention");
        catSocket.close();
    }

    /** The entry of {@code inbox} of {@code kind} about the post {@code post}, or null. */
    static JsonNode entryAbout(JsonNode inbox, String kind, String post) {
        return inbox.path("items").valueStream()
                .filter(n -> n.path("kind").asString().equals(kind) && n.path("post").path("id").asString().equals(post))
                .findFirst().orElse(null);
    }

    @Test
    void repliesToOnePostGroupAndOpeningThePostReadsThem() {
        Api ann = signedUp("gann");
        Api bob = signedUp("gbob");
        Api cat = signedUp("gcat");
        String community = community(ann, bob, cat);
        String post = ann.post("/api/v1/communities/" + community + "/posts", Map.of("title", "Group me", "body", "x")).text("id");
        String other = ann.post("/api/v1/communities/" + community + "/posts", Map.of("title", "Other", "body", "y")).text("id");
        bob.post("/api/v1/posts/" + post + "/comments", Map.of("body", "one"));
        cat.post("/api/v1/posts/" + post + "/comments", Map.of("body", "two"));
        bob.post("/api/v1/posts/" + post + "/comments", Map.of("body", "three"));
        bob.post("/api/v1/posts/" + other + "/comments", Map.of("body", "elsewhere"));

        JsonNode inbox = Eventually.get(() -> ann.get("/api/v1/notifications").body(), body -> {
            JsonNode grouped = entryAbout(body, "reply", post);
            return grouped != null && grouped.path("count").asInt() == 3 && entryAbout(body, "reply", other) != null;
        }, java.time.Duration.ofSeconds(60));
        assertThat(inbox.path("unread").asLong()).isEqualTo(4);
        JsonNode grouped = entryAbout(inbox, "reply", post);
        // "bob and 1 other replied": the latest reply's author, and the other person among them.
        assertThat(grouped.path("actor").path("id").asString()).isEqualTo(bob.id());
        assertThat(grouped.path("others").asInt()).isEqualTo(1);
        assertThat(grouped.path("ids")).hasSize(3);
        assertThat(grouped.path("read").asBoolean()).isFalse();

        // Opening the post's page reads what is about it, and only that.
        var opened = ann.post("/api/v1/notifications/read", Map.of("postId", post));
        assertThat(opened.status()).as(opened.toString()).isIn(200, 202);
        JsonNode after = Eventually.get(() -> ann.get("/api/v1/notifications").body(),
                body -> body.path("unread").asLong() == 1, java.time.Duration.ofSeconds(30));
        assertThat(entryAbout(after, "reply", post).path("read").asBoolean()).isTrue();
        JsonNode elsewhere = entryAbout(after, "reply", other);
        assertThat(elsewhere.path("read").asBoolean()).isFalse();

        // Following an entry's link reads all it holds (by its ids).
        var followed = ann.post("/api/v1/notifications/read", Map.of("ids", elsewhere.path("ids")));
        assertThat(followed.status()).as(followed.toString()).isIn(200, 202);
        Eventually.get(() -> ann.get("/api/v1/notifications").body(), body -> body.path("unread").asLong() == 0,
                java.time.Duration.ofSeconds(30));
        assertProblem(ann.post("/api/v1/notifications/read", Map.of("postId", post, "roomId", other)), 400, "validation",
                "only one");
        assertProblem(ann.post("/api/v1/notifications/read", Map.of("postId", "nope")), 400, "validation", "postId");
    }

    @Test
    void ownersAndModeratorsHearOfTheirQueueOnceAndWhoCausedItDoesNot() {
        Api ann = signedUp("qann");
        Api bob = signedUp("qbob");
        Api cat = signedUp("qcat");
        String community = community(ann, Map.of("postApproval", true), bob, cat);
        var appointed = ann.put("/api/v1/communities/" + community + "/moderators/" + bob.id(), null);
        assertThat(appointed.status()).as(appointed.toString()).isIn(200, 202);

        // A post held for approval: the owner and the moderator hear of it, its author does not.
        var held = cat.post("/api/v1/communities/" + community + "/posts", Map.of("title", "Hold me", "body", "please"));
        assertThat(held.status()).as(held.toString()).isIn(201, 202);
        for (Api moderator : List.of(ann, bob)) {
            JsonNode told = Eventually.get(() -> moderator.get("/api/v1/notifications").body(),
                    body -> entryAbout(body, "moderation_queue", held.text("id")) != null, java.time.Duration.ofSeconds(60));
            assertThat(entryAbout(told, "moderation_queue", held.text("id")).path("community").path("id").asString())
                    .isEqualTo(community);
        }

        // Ann's own post reported three times (a queue item by the reports rule): bob hears of it once, ann not at all.
        String mine = ann.post("/api/v1/communities/" + community + "/posts", Map.of("title", "Mine", "body", "ok")).text("id");
        org.c18n.support.ModerationQueue.reportThreeTimes(base(), "/api/v1/posts/" + mine + "/reports");
        org.c18n.support.ModerationQueue.itemAbout(bob, community, mine);
        // Another held post, told after the reports and the flag: once it shows, they would have.
        String fence = cat.post("/api/v1/communities/" + community + "/posts", Map.of("title", "Fence", "body", "f")).text("id");
        JsonNode bobs = Eventually.get(() -> bob.get("/api/v1/notifications").body(),
                body -> entryAbout(body, "moderation_queue", fence) != null, java.time.Duration.ofSeconds(60));
        assertThat(entryAbout(bobs, "moderation_queue", mine).path("count").asInt()).isEqualTo(1);
        JsonNode anns = Eventually.get(() -> ann.get("/api/v1/notifications").body(),
                body -> entryAbout(body, "moderation_queue", fence) != null, java.time.Duration.ofSeconds(60));
        assertThat(entryAbout(anns, "moderation_queue", mine)).isNull();
        assertThat(cat.get("/api/v1/notifications").body().path("items").valueStream()
                .filter(n -> n.path("kind").asString().equals("moderation_queue")).toList()).isEmpty();
    }
}
