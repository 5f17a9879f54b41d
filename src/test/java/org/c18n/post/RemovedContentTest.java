package org.c18n.post;

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

/**
 * Deleted and removed content: its history and the views derived from it (notifications,
 * search) are for its author and the community's moderators only; muted and banned members
 * cannot rewrite what they wrote before.
 */
class RemovedContentTest extends PlatformTest {

    @Test
    void deletedCommentsAndPostsKeepTheirHistoryFromEveryoneButAuthorAndModerators() {
        Api owner = signedUp("hown");
        Api author = signedUp("hauth");
        Api reader = signedUp("hread");
        String community = community(owner, author, reader);
        String word = "zqx" + unique("").replace("-", "");
        String post = author.post("/api/v1/communities/" + community + "/posts",
                Map.of("title", "Secret plan " + word, "body", "The plan " + word)).text("id");
        String comment = author.post("/api/v1/posts/" + post + "/comments", Map.of("body", "my phone is 555 " + word))
                .text("id");
        assertThat(author.patch("/api/v1/posts/" + post + "/comments/" + comment, Map.of("body", "call me")).status())
                .isIn(200, 202);
        String history = "/api/v1/posts/" + post + "/comments/" + comment + "/history";
        assertThat(reader.get(history).body()).hasSize(2);

        // Searchable while it stands.
        String commentSearch = "/api/v1/search?type=comments&q=" + word;
        Eventually.get(() -> reader.get(commentSearch).body(), r -> r.path("items").size() == 1, Duration.ofSeconds(10));

        // The author deletes it: its old words are gone for the reader, in the history and in search.
        assertThat(author.delete("/api/v1/posts/" + post + "/comments/" + comment).status()).isIn(200, 202);
        Eventually.get(() -> reader.get(history).status(), s -> s == 404, Duration.ofSeconds(10));
        assertProblem(reader.get(history), 404, "not-found", "Comment");
        assertThat(author.get(history).body().valueStream().map(v -> v.path("type").asString()).toList())
                .containsExactly("comment.created", "comment.edited", "comment.deleted");
        assertThat(owner.get(history).body()).hasSize(3);
        assertThat(admin().get(history).body()).hasSize(3);
        assertThat(Eventually.get(() -> reader.get(commentSearch).body(), r -> r.path("items").isEmpty(),
                Duration.ofSeconds(10)).path("items")).isEmpty();

        // A moderator removes the reader's comment: the reader (its author) still sees its history, others do not.
        String readers = reader.post("/api/v1/posts/" + post + "/comments", Map.of("body", "rude words")).text("id");
        assertThat(owner.delete("/api/v1/posts/" + post + "/comments/" + readers).status()).isIn(200, 202);
        String readersHistory = "/api/v1/posts/" + post + "/comments/" + readers + "/history";
        Eventually.get(() -> author.get(readersHistory).status(), s -> s == 404, Duration.ofSeconds(10));
        assertThat(reader.get(readersHistory).body().valueStream().map(v -> v.path("body").asString()).toList())
                .contains("rude words");

        // The reader was told of the post, with its title; once it is deleted the title is no more.
        JsonNode told = Eventually.get(() -> reader.get("/api/v1/notifications").body(),
                inbox -> inbox.path("items").valueStream().anyMatch(n -> n.path("post").path("id").asString().equals(post)),
                Duration.ofSeconds(30));
        assertThat(newPost(told, post).path("post").path("name").asString()).startsWith("Secret plan");
        assertThat(author.delete("/api/v1/posts/" + post).status()).isIn(200, 202);
        Eventually.get(() -> reader.get("/api/v1/posts/" + post).status(), s -> s == 404, Duration.ofSeconds(10));
        JsonNode after = newPost(reader.get("/api/v1/notifications").body(), post);
        assertThat(after.path("post").path("id").asString()).isEqualTo(post);
        assertThat(after.path("post").path("name").isNull() || after.path("post").path("name").isMissingNode()).isTrue();
        assertThat(reader.get("/api/v1/notifications").raw()).doesNotContain("Secret plan");
        // The owner moderates the community: the title stays in their inbox.
        JsonNode ownerTold = Eventually.get(() -> owner.get("/api/v1/notifications").body(),
                inbox -> inbox.path("items").valueStream().anyMatch(n -> n.path("post").path("id").asString().equals(post)),
                Duration.ofSeconds(30));
        assertThat(newPost(ownerTold, post).path("post").path("name").asString()).startsWith("Secret plan");

        // The deleted post's history, and the search for its words.
        assertProblem(reader.get("/api/v1/posts/" + post + "/history"), 404, "not-found", "Post");
        assertThat(author.get("/api/v1/posts/" + post + "/history").body()).hasSize(2);
        assertThat(owner.get("/api/v1/posts/" + post + "/history").body()).hasSize(2);
        assertThat(Eventually.get(() -> reader.get("/api/v1/search?q=" + word).body(), r -> r.path("items").isEmpty(),
                Duration.ofSeconds(10)).path("items")).isEmpty();
    }

    private static JsonNode newPost(JsonNode inbox, String post) {
        return inbox.path("items").valueStream().filter(n -> n.path("post").path("id").asString().equals(post))
                .findFirst().orElseThrow();
    }

    @Test
    void mutedAndBannedMembersCannotEditWhatTheyWroteButMayDeleteIt() {
        Api owner = signedUp("eown");
        Api troll = signedUp("etroll");
        String community = community(owner, troll);
        String old = troll.post("/api/v1/communities/" + community + "/posts", Map.of("body", "Old post")).text("id");
        String rules = owner.post("/api/v1/communities/" + community + "/posts", Map.of("body", "House rules")).text("id");
        String oldComment = troll.post("/api/v1/posts/" + rules + "/comments", Map.of("body", "Old comment")).text("id");
        String spare = troll.post("/api/v1/posts/" + rules + "/comments", Map.of("body", "Spare comment")).text("id");
        reportThreeTimes(base(), "/api/v1/posts/" + old + "/reports");
        String item = itemAbout(owner, community, old);
        assertThat(owner.post("/api/v1/moderation/queue/" + item + "/decision", Map.of("action", "mute", "duration", "P7D"))
                .status()).isEqualTo(200);

        assertProblem(troll.patch("/api/v1/posts/" + old, Map.of("body", "Rewritten")), 403, "forbidden", "muted");
        assertProblem(troll.patch("/api/v1/posts/" + rules + "/comments/" + oldComment, Map.of("body", "Rewritten")), 403,
                "forbidden", "muted");
        assertThat(owner.get("/api/v1/posts/" + old).text("body")).isEqualTo("Old post");
        // Taking one's own words back stays possible.
        assertThat(troll.delete("/api/v1/posts/" + rules + "/comments/" + spare).status()).isIn(200, 202);

        // Banned: out of the community, and the old post cannot be rewritten either.
        // A ban (from a new queue item, about the old comment) keeps the old post as it was too.
        reportThreeTimes(base(), "/api/v1/posts/" + rules + "/comments/" + oldComment + "/reports");
        String commentItem = itemAbout(owner, community, oldComment);
        assertThat(owner.post("/api/v1/moderation/queue/" + commentItem + "/decision", Map.of("action", "ban")).status())
                .isEqualTo(200);
        assertProblem(troll.patch("/api/v1/posts/" + old, Map.of("body", "Rewritten")), 403, "forbidden", "banned");
        assertThat(owner.get("/api/v1/posts/" + old).text("body")).isEqualTo("Old post");
        assertThat(List.of(200, 202)).contains(troll.delete("/api/v1/posts/" + old).status());
    }
}
