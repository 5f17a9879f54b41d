package org.c18n.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.c18n.support.ModerationQueue.itemAbout;
import static org.c18n.support.ModerationQueue.reportThreeTimes;
import static org.c18n.support.Problems.assertProblem;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.c18n.client.Api;
import org.c18n.support.Eventually;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Reports, the rules of the speed layer and moderators' decisions, through the API on the embedded broker. */
class ModerationTest extends PlatformTest {

    static JsonNode queueWith(Api moderator, String community, int items) {
        return Eventually.items(moderator, "/api/v1/moderation/queue?community=" + community, items);
    }

    @Test
    void threeReportsPutAPostInTheQueueAndRemovingItHidesIt() {
        Api owner = signedUp("mowner");
        Api author = signedUp("mauthor");
        List<Api> readers = List.of(signedUp("mr1"), signedUp("mr2"), signedUp("mr3"));
        String community = community(owner, author);
        String post = author.post("/api/v1/communities/" + community + "/posts", Map.of("title", "Buy now", "body", "Cheap!"))
                .text("id");

        assertProblem(author.post("/api/v1/posts/" + post + "/reports", Map.of("reason", "mine")), 400, "validation", "yourself");
        assertProblem(readers.get(0).post("/api/v1/posts/" + post + "/reports", Map.of("reason", " ")), 400, "validation", "reason");
        for (Api reader : readers) {
            var filed = reader.post("/api/v1/posts/" + post + "/reports", Map.of("reason", "spam"));
            assertThat(filed.status()).as(filed.toString()).isEqualTo(201);
        }
        assertProblem(readers.get(0).post("/api/v1/posts/" + post + "/reports", Map.of("reason", "again")), 409,
                "already-reported", "already");

        JsonNode item = queueWith(owner, community, 1).path("items").get(0);
        assertThat(item.path("rule").asString()).isEqualTo("reports");
        assertThat(item.path("targetId").asString()).isEqualTo(post);
        assertThat(item.path("reports").asLong()).isEqualTo(3);
        assertThat(item.path("preview").asString()).isEqualTo("Buy now: Cheap!");
        assertThat(item.path("author").path("id").asString()).isEqualTo(author.id());
        // Held until reviewed: gone for others, still there, marked, for its author and the moderators.
        assertThat(readers.get(1).get("/api/v1/posts/" + post).status()).isEqualTo(404);
        assertThat(readers.get(1).get("/api/v1/communities/" + community + "/posts").body().path("items")).isEmpty();
        assertThat(author.get("/api/v1/posts/" + post).body().path("held").asBoolean()).isTrue();
        assertThat(author.get("/api/v1/communities/" + community + "/posts").body().path("items")).hasSize(1);
        assertThat(owner.get("/api/v1/posts/" + post).status()).isEqualTo(200);
        assertProblem(readers.get(0).get("/api/v1/moderation/queue?community=" + community), 403, "forbidden", "moderators");
        assertProblem(readers.get(0).get("/api/v1/moderation/queue"), 403, "forbidden", "moderators");
        assertProblem(readers.get(0).post("/api/v1/moderation/queue/" + item.path("id").asString() + "/decision",
                Map.of("action", "remove")), 404, "not-found", "Queue item");
        assertProblem(owner.post("/api/v1/moderation/queue/" + item.path("id").asString() + "/decision",
                Map.of("action", "erase")), 400, "validation", "dismiss, remove, mute or ban");

        var removed = owner.post("/api/v1/moderation/queue/" + item.path("id").asString() + "/decision",
                Map.of("action", "remove", "reason", "advertising"));
        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        assertThat(removed.text("status")).isEqualTo("removed");
        assertThat(removed.text("decisionReason")).isEqualTo("advertising");
        assertThat(readers.get(1).get("/api/v1/posts/" + post).status()).isEqualTo(404);
        assertThat(readers.get(1).get("/api/v1/communities/" + community + "/posts").body().path("items")).isEmpty();
        assertProblem(owner.post("/api/v1/moderation/queue/" + item.path("id").asString() + "/decision",
                Map.of("action", "dismiss")), 409, "already-decided", "already");
        assertThat(owner.get("/api/v1/moderation/queue?community=" + community).body().path("items")).isEmpty();
        assertThat(owner.get("/api/v1/moderation/queue?status=removed&community=" + community).body().path("items")).hasSize(1);
        // The author is told.
        JsonNode told = Eventually.items(author, "/api/v1/notifications", 1).path("items").get(0);
        assertThat(told.path("kind").asString()).isEqualTo("content_removed");
        assertThat(told.path("post").path("id").asString()).isEqualTo(post);
        assertThat(told.path("actor").path("id").asString()).isEqualTo(owner.id());
    }

    @Test
    void aCommentFullOfLinksIsFlaggedAndCanBeDismissed() {
        Api owner = signedUp("lowner");
        Api spammer = signedUp("lspam");
        String community = community(owner, spammer);
        String post = owner.post("/api/v1/communities/" + community + "/posts", Map.of("body", "Hello")).text("id");
        String comment = spammer.post("/api/v1/posts/" + post + "/comments", Map.of("body",
                "https://a.example https://b.example https://c.example https://d.example https://e.example")).text("id");

        JsonNode item = queueWith(owner, community, 1).path("items").get(0);
        assertThat(item.path("rule").asString()).isEqualTo("links");
        assertThat(item.path("targetType").asString()).isEqualTo("comment");
        assertThat(item.path("targetId").asString()).isEqualTo(comment);
        JsonNode held = owner.get("/api/v1/posts/" + post + "/comments").body().path("items").get(0);
        assertThat(held.path("held").asBoolean()).isTrue();
        assertThat(held.path("body").isMissingNode()).as("a held comment's text is kept from others").isTrue();
        assertThat(signedUp("lreader").get("/api/v1/posts/" + post + "/comments/" + comment + "/history").status())
                .as("a held comment's text, through its history").isEqualTo(404);
        assertThat(spammer.get("/api/v1/posts/" + post + "/comments").body().path("items").get(0).path("body").asString())
                .startsWith("https://a.example");
        var dismissed = owner.post("/api/v1/moderation/queue/" + item.path("id").asString() + "/decision",
                Map.of("action", "dismiss"));
        assertThat(dismissed.status()).as(dismissed.toString()).isEqualTo(200);
        assertThat(dismissed.text("status")).isEqualTo("dismissed");
        JsonNode approved = owner.get("/api/v1/posts/" + post + "/comments").body().path("items").get(0);
        assertThat(approved.path("id").asString()).isEqualTo(comment);
        assertThat(approved.path("held").isMissingNode()).isTrue();
        assertThat(approved.path("body").asString()).startsWith("https://a.example");
        // Admins see every community's queue.
        assertThat(admin().get("/api/v1/moderation/queue?status=dismissed").body().path("items").valueStream()
                .map(i -> i.path("targetId").asString()).toList()).contains(comment);
    }

    @Test
    void aMutedAuthorCannotPostForAWhileAndABannedOneIsOutForGood() {
        Api owner = signedUp("rowner");
        Api troll = signedUp("rtroll");
        String community = community(owner, troll);
        String rude = troll.post("/api/v1/communities/" + community + "/posts", Map.of("body", "Rude")).text("id");
        String rules = owner.post("/api/v1/communities/" + community + "/posts", Map.of("body", "House rules")).text("id");
        String spam = troll.post("/api/v1/posts/" + rules + "/comments", Map.of("body",
                "http://a.example http://b.example http://c.example http://d.example http://e.example")).text("id");
        reportThreeTimes(base(), "/api/v1/posts/" + rude + "/reports");

        String rudeItem = itemAbout(owner, community, rude);
        for (String wrong : List.of("7", "P0D", "-PT1H", "P1M", "P3651D", "for a week")) {
            assertProblem(owner.post("/api/v1/moderation/queue/" + rudeItem + "/decision",
                    Map.of("action", "mute", "duration", wrong)), 400, "validation", "duration");
        }
        assertProblem(owner.post("/api/v1/moderation/queue/" + rudeItem + "/decision",
                Map.of("action", "mute", "duration", "P7D", "days", 7)), 400, "validation", "not both");
        // The older way to say it (days) still bounds the mute: a client sending it does not mute for good.
        var muted = owner.post("/api/v1/moderation/queue/" + rudeItem + "/decision",
                Map.of("action", "mute", "days", 7, "reason", "cool down"));
        assertThat(muted.status()).as(muted.toString()).isEqualTo(200);
        assertThat(muted.text("status")).isEqualTo("muted");
        assertProblem(troll.post("/api/v1/communities/" + community + "/posts", Map.of("body", "Again")), 403, "forbidden",
                "muted in this community until");
        assertProblem(troll.post("/api/v1/posts/" + rules + "/comments", Map.of("body", "And again")), 403, "forbidden",
                "muted");
        JsonNode seenByTroll = troll.get("/api/v1/communities/" + community).body();
        assertThat(seenByTroll.path("myRole").asString()).isEqualTo("member");
        assertThat(seenByTroll.path("myRestriction").path("kind").asString()).isEqualTo("mute");
        assertThat(java.time.Instant.parse(seenByTroll.path("myRestriction").path("until").asString()))
                .isBetween(java.time.Instant.now().plus(java.time.Duration.ofDays(7)).minusSeconds(120),
                        java.time.Instant.now().plus(java.time.Duration.ofDays(7)));
        assertThat(Eventually.get(() -> troll.get("/api/v1/notifications").body(),
                inbox -> inbox.path("items").valueStream().anyMatch(n -> n.path("kind").asString().equals("muted")),
                java.time.Duration.ofSeconds(60)).path("items").valueStream().map(n -> n.path("kind").asString()).toList())
                .contains("muted");

        // The link spam too: a ban, for good. The troll is out and cannot come back.
        var banned = owner.post("/api/v1/moderation/queue/" + itemAbout(owner, community, spam) + "/decision",
                Map.of("action", "ban", "reason", "spam"));
        assertThat(banned.status()).as(banned.toString()).isEqualTo(200);
        assertThat(banned.text("status")).isEqualTo("banned");
        assertThat(troll.get("/api/v1/communities/" + community).body().path("myRole").isNull()).isTrue();
        assertProblem(troll.post("/api/v1/communities/" + community + "/join", null), 403, "forbidden",
                "banned from this community");
        assertThat(owner.get("/api/v1/moderation/queue?status=banned&community=" + community).body().path("items"))
                .hasSize(1);
        JsonNode ban = troll.get("/api/v1/communities/" + community).body().path("myRestriction");
        assertThat(ban.path("kind").asString()).isEqualTo("ban");
        assertThat(ban.path("until").isNull()).as("a ban for good has no end").isTrue();
    }

    @Test
    void aMuteEndsWhenItsDurationIsOver() {
        Api owner = signedUp("eowner");
        Api author = signedUp("eauthor");
        String community = community(owner, author);
        String rude = author.post("/api/v1/communities/" + community + "/posts", Map.of("body", "Rude")).text("id");
        reportThreeTimes(base(), "/api/v1/posts/" + rude + "/reports");
        var muted = owner.post("/api/v1/moderation/queue/" + itemAbout(owner, community, rude) + "/decision",
                Map.of("action", "mute", "duration", "PT8S"));
        assertThat(muted.status()).as(muted.toString()).isEqualTo(200);
        assertProblem(author.post("/api/v1/communities/" + community + "/posts", Map.of("body", "Sorry")), 403, "forbidden",
                "muted in this community until");

        var again = Eventually.get(() -> author.post("/api/v1/communities/" + community + "/posts", Map.of("body", "Sorry")),
                r -> r.status() == 201 || r.status() == 202, java.time.Duration.ofSeconds(30));
        assertThat(again.status()).as(again.toString()).isIn(201, 202);
        assertThat(author.get("/api/v1/communities/" + community).body().path("myRestriction").isNull()).isTrue();
    }

    @Test
    void aCommunitysBannedWordsSendPostsToItsQueue() {
        Api owner = signedUp("bwowner");
        Api member = signedUp("bwmember");
        String community = community(owner, member);
        assertProblem(owner.patch("/api/v1/communities/" + community, Map.of("bannedWords", List.of("two words"))), 400,
                "validation", "one word");
        var set = owner.patch("/api/v1/communities/" + community, Map.of("bannedWords", List.of("Scam", "crypto")));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.body().path("bannedWords").valueStream().map(JsonNode::asString).toList()).containsExactly("scam", "crypto");
        assertThat(member.get("/api/v1/communities/" + community).body().path("bannedWords").isNull()).isTrue();

        // The words reach the speed layer's rule through its own topic, usually within a second; a post the
        // rule saw before them is not held, so the member posts again until one is (a minute at most).
        List<String> posts = new java.util.ArrayList<>();
        JsonNode queue = null;
        for (long deadline = System.nanoTime() + 60_000_000_000L; (queue == null || queue.path("items").isEmpty())
                && System.nanoTime() < deadline; ) {
            posts.add(member.post("/api/v1/communities/" + community + "/posts", Map.of("body", "Buy crypto now")).text("id"));
            queue = Eventually.get(() -> owner.get("/api/v1/moderation/queue?community=" + community).body(),
                    q -> !q.path("items").isEmpty(), Duration.ofSeconds(5));
        }
        assertThat(queue.path("items")).isNotEmpty();
        JsonNode item = queue.path("items").get(0);
        assertThat(posts).contains(item.path("targetId").asString());
        assertThat(item.path("rule").asString()).isEqualTo("banned-words");
        assertThat(item.path("evidence").asString()).isEqualTo("banned words: crypto");
    }
}
