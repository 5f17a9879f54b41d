package org.c18n.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.c18n.support.Problems.assertProblem;

import java.awt.Color;
import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.c18n.client.Api;
import org.c18n.support.Eventually;
import org.c18n.support.PlatformTest;
import org.c18n.support.Socket;
import org.c18n.support.TestMedia;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Avatars, profile pages, @mentions in posts and comments, and blocking, through the HTTP API and the socket. */
class PeopleTest extends PlatformTest {

    @Test
    void anUploadedImageBecomesASquareAvatarInBothSizesAndTheDefaultIsAnIdenticon() throws Exception {
        Api ann = signedUp("avann");
        Api bob = signedUp("avbob");
        String avatar = ann.get("/api/v1/users/me").text("avatar");
        assertThat(avatar).isEqualTo("/api/v1/users/" + ann.id() + "/avatar");
        assertThat(bob.get("/api/v1/users/" + ann.id()).text("avatar")).isEqualTo(avatar);

        // Without one: an identicon, served to an image tag that sends no token.
        Api anonymous = new Api(base());
        HttpResponse<byte[]> identicon = anonymous.getBytes(avatar + "?size=48");
        assertThat(identicon.statusCode()).isEqualTo(200);
        assertThat(identicon.headers().firstValue("Content-Type").orElseThrow()).startsWith("image/svg+xml");
        assertThat(new String(identicon.body())).startsWith("<svg").doesNotContain(ann.get("/api/v1/users/me").text("username"));

        byte[] wide = TestMedia.image("png", 300, 200, Color.ORANGE);
        String image = ann.upload("/api/v1/media", "me.png", "image/png", wide).text("id");
        String video = ann.upload("/api/v1/media", "clip.webm", "video/webm", TestMedia.webm(4096)).text("id");
        String bobsImage = bob.upload("/api/v1/media", "bob.png", "image/png", TestMedia.image("png", 64, 64, Color.BLUE))
                .text("id");
        assertProblem(ann.put("/api/v1/users/me/avatar", Map.of("mediaId", video)), 400, "validation", "image");
        assertProblem(ann.put("/api/v1/users/me/avatar", Map.of("mediaId", bobsImage)), 400, "validation", "upload of yours");
        assertProblem(ann.put("/api/v1/users/me/avatar", Map.of()), 400, "validation", "mediaId");

        var set = ann.put("/api/v1/users/me/avatar", Map.of("mediaId", image));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        for (int size : new int[] {48, 256}) {
            HttpResponse<byte[]> png = anonymous.getBytes(avatar + "?size=" + size);
            assertThat(png.statusCode()).isEqualTo(200);
            assertThat(png.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("image/png");
            BufferedImage square = ImageIO.read(new ByteArrayInputStream(png.body()));
            assertThat(square.getWidth()).isEqualTo(size);
            assertThat(square.getHeight()).isEqualTo(size);
            // The centred square of the 300 × 200 image, not the whole squeezed: its white oval reaches
            // near the sides, and the corners are the orange around it.
            assertThat(new Color(square.getRGB(2, 2))).isEqualTo(Color.ORANGE);
            assertThat(new Color(square.getRGB(size * 18 / 100, size / 2))).isEqualTo(Color.WHITE);
        }
        String etag = anonymous.getBytes(avatar + "?size=48").headers().firstValue("ETag").orElseThrow();
        assertThat(anonymous.getBytes(avatar + "?size=48", "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(anonymous.getBytes(avatar + "?size=100").statusCode()).isEqualTo(400);
        assertThat(anonymous.getBytes("/api/v1/users/" + java.util.UUID.randomUUID() + "/avatar").statusCode())
                .isEqualTo(404);

        assertThat(ann.delete("/api/v1/users/me/avatar").status()).isEqualTo(200);
        assertThat(anonymous.getBytes(avatar + "?size=256").headers().firstValue("Content-Type").orElseThrow())
                .startsWith("image/svg+xml");
    }

    @Test
    void aProfileListsOnlyThePostsCommentsAndCommunitiesTheViewerMaySee() {
        Api ann = signedUp("prann");
        Api bob = signedUp("prbob");
        Api friend = signedUp("prfriend");
        String open = community(ann);
        String closed = community(ann, Map.of("visibility", "private"));
        String group = ann.post("/api/v1/usergroups", Map.of("name", "pals", "memberIds", List.of(friend.id())))
                .text("id");
        String publicPost = ann.post("/api/v1/communities/" + open + "/posts", Map.of("body", "for all")).text("id");
        String privatePost = ann.post("/api/v1/communities/" + closed + "/posts", Map.of("body", "members only"))
                .text("id");
        String groupPost = ann.post("/api/v1/usergroups/" + group + "/posts", Map.of("body", "pals only")).text("id");
        String publicComment = ann.post("/api/v1/posts/" + publicPost + "/comments", Map.of("body", "seen")).text("id");
        ann.post("/api/v1/posts/" + privatePost + "/comments", Map.of("body", "unseen"));

        String profile = "/api/v1/users/" + ann.id();
        assertThat(ids(bob.get(profile + "/posts").body())).containsExactly(publicPost);
        assertThat(ids(friend.get(profile + "/posts").body())).containsExactly(groupPost, publicPost);
        assertThat(ids(ann.get(profile + "/posts").body())).containsExactly(groupPost, privatePost, publicPost);
        assertThat(ids(bob.get(profile + "/comments").body())).containsExactly(publicComment);
        assertThat(ann.get(profile + "/comments").body().path("items").size()).isEqualTo(2);

        // Page by page, newest first.
        var first = ann.get(profile + "/posts?limit=2");
        assertThat(ids(first.body())).containsExactly(groupPost, privatePost);
        assertThat(ids(ann.get(profile + "/posts?limit=2&cursor=" + first.text("nextCursor")).body()))
                .containsExactly(publicPost);

        assertThat(bob.get(profile + "/communities").body().valueStream().map(c -> c.path("id").asString()).toList())
                .containsExactly(open);
        assertThat(ann.get(profile + "/communities").body().size()).isEqualTo(2);
        assertThat(bob.get("/api/v1/users/by-name/" + ann.get("/api/v1/users/me").text("username")).text("id"))
                .isEqualTo(ann.id());
        assertThat(bob.get("/api/v1/users/" + java.util.UUID.randomUUID() + "/posts").status()).isEqualTo(404);
        assertThat(bob.get(profile + "/posts?cursor=nonsense").status()).isEqualTo(400);
    }

    @Test
    void aMentionInAPostOrCommentNotifiesThePersonNamedWhenTheyMaySeeIt() {
        Api ann = signedUp("mnann");
        Api bob = signedUp("mnbob");
        Api cat = signedUp("mncat");
        String bobName = bob.get("/api/v1/users/me").text("username");
        String catName = cat.get("/api/v1/users/me").text("username");
        String closed = community(ann, Map.of("visibility", "private"));
        String open = community(ann);

        // Cat may not read the private community: named there, cat hears nothing; bob is told of the public one.
        ann.post("/api/v1/communities/" + closed + "/posts", Map.of("body", "secret for @" + catName));
        String post = ann.post("/api/v1/communities/" + open + "/posts", Map.of("body", "hello @" + bobName + "!"))
                .text("id");
        JsonNode bobs = Eventually.items(bob, "/api/v1/notifications", 1).path("items").get(0);
        assertThat(bobs.path("kind").asString()).isEqualTo("mention");
        assertThat(bobs.path("post").path("id").asString()).isEqualTo(post);
        assertThat(bobs.path("actor").path("id").asString()).isEqualTo(ann.id());

        String comment = ann.post("/api/v1/posts/" + post + "/comments", Map.of("body", "and @" + catName)).text("id");
        JsonNode cats = Eventually.items(cat, "/api/v1/notifications", 1);
        assertThat(cats.path("items").size()).as("only the comment in the public community").isEqualTo(1);
        assertThat(cats.path("items").get(0).path("kind").asString()).isEqualTo("mention");
        assertThat(cats.path("items").get(0).path("commentId").asString()).isEqualTo(comment);
    }

    @Test
    void aBlockedPersonCannotMessageAddMentionOrSeeThePresenceOfWhoBlockedThem() {
        Api ann = signedUp("blann");
        Api bob = signedUp("blbob");
        Api cat = signedUp("blcat");
        String bobName = bob.get("/api/v1/users/me").text("username");
        String room = ann.post("/api/v1/rooms/direct", Map.of("userId", bob.id())).text("id");
        String group = ann.post("/api/v1/usergroups", Map.of("name", "all", "memberIds", List.of(bob.id(), cat.id()))).text("id");
        assertThat(ann.post("/api/v1/rooms/" + room + "/messages", Map.of("body", "hi")).status()).isEqualTo(201);

        assertProblem(bob.post("/api/v1/users/" + bob.id() + "/block", null), 400, "validation", "yourself");
        var blocked = bob.post("/api/v1/users/" + ann.id() + "/block", null);
        assertThat(blocked.status()).as(blocked.toString()).isEqualTo(200);
        assertThat(bob.post("/api/v1/users/" + ann.id() + "/block", null).status()).as("again: no change").isEqualTo(200);
        assertThat(bob.get("/api/v1/users/me/blocks").body().valueStream().map(u -> u.path("id").asString()).toList())
                .containsExactly(ann.id());
        assertThat(ann.get("/api/v1/users/me/blocks").body().size()).isZero();

        // No message either way, in the room they had or a new one.
        assertProblem(ann.post("/api/v1/rooms/" + room + "/messages", Map.of("body", "hello?")), 403, "blocked", "blocked");
        assertProblem(bob.post("/api/v1/rooms/" + room + "/messages", Map.of("body", "bye")), 403, "blocked", "blocked");
        assertProblem(ann.post("/api/v1/rooms/direct", Map.of("userId", bob.id())), 403, "blocked", "blocked");
        // Not into a group, not by a mention.
        String other = ann.post("/api/v1/usergroups", Map.of("name", "solo")).text("id");
        assertProblem(ann.post("/api/v1/usergroups/" + other + "/members", Map.of("userId", bob.id())), 403, "forbidden",
                "added");
        assertProblem(ann.post("/api/v1/usergroups", Map.of("name", "again", "memberIds", List.of(bob.id()))), 403,
                "forbidden", "added");
        String open = community(ann, bob);
        ann.post("/api/v1/communities/" + open + "/posts", Map.of("body", "look @" + bobName));
        // Bob is told of the new post (he is a member), from the same event that would have told him of the mention.
        JsonNode bobs = Eventually.get(() -> bob.get("/api/v1/notifications").body(),
                inbox -> kinds(inbox).contains("new_post"), java.time.Duration.ofSeconds(60));
        assertThat(kinds(bobs)).doesNotContain("mention");
        var sent = ann.post("/api/v1/rooms/" + group + "/messages", Map.of("body", "@" + bobName + " there?"));
        assertThat(sent.status()).isEqualTo(201);
        assertThat(sent.body().path("mentions").isMissingNode() || sent.body().path("mentions").isEmpty()).isTrue();
        // Presence: cat hears bob come online, ann does not, nor finds him online when she connects.
        Socket catSocket = Socket.connect(cat);
        catSocket.await("hello");
        Socket annSocket = Socket.connect(ann);
        annSocket.await("hello");
        annSocket.send(Map.of("type", "send", "room", room, "body", "psst", "clientMsgId", "b1"));
        assertThat(annSocket.await("error").path("code").asString()).isEqualTo("blocked");
        Socket bobSocket = Socket.connect(bob);
        bobSocket.await("hello");
        catSocket.await("presence", f -> f.path("user").asString().equals(bob.id()));
        assertThat(annSocket.collect("presence", java.time.Duration.ofSeconds(1)))
                .noneMatch(f -> f.path("user").asString().equals(bob.id()));
        Socket catAgain = Socket.connect(cat);
        assertThat(catAgain.await("hello").path("online").valueStream().map(JsonNode::asString).toList())
                .contains(bob.id());
        Socket annAgain = Socket.connect(ann);
        assertThat(annAgain.await("hello").path("online").valueStream().map(JsonNode::asString).toList())
                .doesNotContain(bob.id());
        catSocket.close();
        catAgain.close();
        annAgain.close();
        annSocket.close();
        bobSocket.close();

        // Unblocked, they write to each other again.
        assertThat(bob.delete("/api/v1/users/" + ann.id() + "/block").status()).isEqualTo(200);
        assertThat(bob.delete("/api/v1/users/" + ann.id() + "/block").status()).isEqualTo(204);
        assertThat(ann.post("/api/v1/rooms/" + room + "/messages", Map.of("body", "friends?")).status()).isEqualTo(201);
        assertThat(bob.post("/api/v1/users/" + java.util.UUID.randomUUID() + "/block", null).status()).isEqualTo(404);
    }

    private static List<String> ids(JsonNode page) {
        return page.path("items").valueStream().map(p -> p.path("id").asString()).toList();
    }

    private static List<String> kinds(JsonNode inbox) {
        return inbox.path("items").valueStream().map(n -> n.path("kind").asString()).toList();
    }
}
