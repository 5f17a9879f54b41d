package org.c18n.reaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.c18n.client.Api;
import org.c18n.support.PlatformTest;
import org.c18n.support.Socket;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Emoji reactions on posts, comments and chat messages, through the API and the socket. */
class EmojiReactionsTest extends PlatformTest {
    private static final String THUMBS = enc("👍");
    private static final String HEART = enc("❤️");

    @Test
    void membersReactToPostsAndCommentsOncePerEmojiAndSeeWhoReacted() {
        Api ann = signedUp("eann");
        Api bob = signedUp("ebob");
        Api cat = signedUp("ecat");
        String community = community(ann, bob);
        String post = ann.post("/api/v1/communities/" + community + "/posts", Map.of("body", "React to me")).text("id");
        String reactions = "/api/v1/posts/" + post + "/reactions/";

        var first = bob.put(reactions + THUMBS, null);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(emoji(first.body(), "👍").path("count").asInt()).isEqualTo(1);
        assertThat(emoji(first.body(), "👍").path("mine").asBoolean()).isTrue();
        // Adding again changes nothing.
        assertThat(emoji(bob.put(reactions + THUMBS, null).body(), "👍").path("count").asInt()).isEqualTo(1);
        ann.put(reactions + THUMBS, null);
        // The heart without its presentation selector, as many keyboards type it, is the same emoji.
        ann.put(reactions + enc("\u2764"), null);

        JsonNode seen = ann.get("/api/v1/posts/" + post).body();
        assertThat(emoji(seen, "👍").path("count").asInt()).isEqualTo(2);
        assertThat(emoji(seen, "👍").path("people").toString())
                .contains(bob.get("/api/v1/users/me").text("username"), ann.get("/api/v1/users/me").text("username"));
        assertThat(emoji(seen, "❤️").path("count").asInt()).isEqualTo(1);
        assertThat(emoji(bob.get("/api/v1/posts/" + post).body(), "❤️").path("mine").asBoolean()).isFalse();

        // Taking back, twice: the second changes nothing.
        assertThat(bob.delete(reactions + THUMBS).status()).isEqualTo(200);
        var again = bob.delete(reactions + THUMBS);
        assertThat(again.status()).isEqualTo(200);
        assertThat(emoji(again.body(), "👍").path("count").asInt()).isEqualTo(1);
        assertThat(emoji(again.body(), "👍").path("mine").asBoolean()).isFalse();

        assertThat(bob.put(reactions + enc("🦄"), null).problem()).isEqualTo("400 validation");
        assertThat(bob.put(reactions + "like", null).status()).isEqualTo(400);
        // Cat can read the public community but is not a member of it.
        assertThat(cat.put(reactions + THUMBS, null).status()).isEqualTo(403);

        String comment = ann.post("/api/v1/posts/" + post + "/comments", Map.of("body", "A comment")).text("id");
        String commentReactions = "/api/v1/posts/" + post + "/comments/" + comment + "/reactions/";
        assertThat(bob.put(commentReactions + HEART, null).status()).isEqualTo(200);
        JsonNode thread = bob.get("/api/v1/posts/" + post + "/comments").body().path("items");
        assertThat(emoji(thread.get(0), "❤️").path("count").asInt()).isEqualTo(1);
        assertThat(cat.put(commentReactions + HEART, null).status()).isEqualTo(403);

        // Someone the author has blocked cannot react to them.
        ann.post("/api/v1/users/" + bob.id() + "/block", null);
        assertThat(bob.put(reactions + enc("🎉"), null).status()).isEqualTo(403);
        // but may still take back what they gave before.
        var takenBack = bob.delete(commentReactions + HEART);
        assertThat(takenBack.status()).as(takenBack.toString()).isEqualTo(200);
        assertThat(takenBack.body().path("emojis")).isEmpty();

        // Removed content is gone.
        assertThat(ann.delete("/api/v1/posts/" + post + "/comments/" + comment).ok()).isTrue();
        assertThat(ann.put(commentReactions + HEART, null).status()).isEqualTo(404);
        assertThat(ann.delete("/api/v1/posts/" + post).ok()).isTrue();
        assertThat(ann.put(reactions + THUMBS, null).status()).isEqualTo(404);
    }

    @Test
    void aMessageReactionReachesTheRoomLiveAndStaysInItsHistory() {
        Api ann = signedUp("mann");
        Api bob = signedUp("mbob");
        Api cat = signedUp("mcat");
        String room = ann.post("/api/v1/usergroups", Map.of("name", "reactions", "memberIds", List.of(bob.id())))
                .text("id");
        String message = ann.post("/api/v1/rooms/" + room + "/messages", Map.of("body", "Lunch?")).text("id");
        Socket annSocket = Socket.connect(ann);
        annSocket.await("hello");
        String reactions = "/api/v1/rooms/" + room + "/messages/" + message + "/reactions/";

        var added = bob.put(reactions + enc("🙏"), null);
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        JsonNode frame = annSocket.await("message_reaction", f -> f.path("id").asString().equals(message));
        assertThat(frame.path("emoji").asString()).isEqualTo("🙏");
        assertThat(frame.path("username").asString()).isEqualTo(bob.get("/api/v1/users/me").text("username"));
        assertThat(frame.path("added").asBoolean()).isTrue();

        JsonNode history = ann.get("/api/v1/rooms/" + room + "/messages").body();
        assertThat(emoji(history.get(0), "🙏").path("count").asInt()).isEqualTo(1);
        assertThat(emoji(history.get(0), "🙏").path("mine").asBoolean()).isFalse();

        bob.delete(reactions + enc("🙏"));
        assertThat(annSocket.await("message_reaction", f -> !f.path("added").asBoolean()).path("emoji").asString())
                .isEqualTo("🙏");
        assertThat(ann.get("/api/v1/rooms/" + room + "/messages").body().get(0).path("emojis").isEmpty()).isTrue();

        assertThat(bob.put(reactions + enc("💩"), null).status()).isEqualTo(400);
        // Outside the room it is not there at all.
        assertThat(cat.put(reactions + enc("👀"), null).status()).isEqualTo(404);
        ann.delete("/api/v1/rooms/" + room + "/messages/" + message);
        assertThat(bob.put(reactions + enc("👀"), null).status()).isEqualTo(404);
    }

    private static JsonNode emoji(JsonNode thing, String emoji) {
        for (JsonNode summary : thing.path("emojis")) {
            if (summary.path("emoji").asString().equals(emoji)) {
                return summary;
            }
        }
        throw new AssertionError("no " + emoji + " in " + thing.path("emojis"));
    }

    private static String enc(String emoji) {
        return URLEncoder.encode(emoji, StandardCharsets.UTF_8);
    }
}
