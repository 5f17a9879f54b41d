package org.c18n.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.c18n.support.Problems.assertProblem;

import java.util.List;
import java.util.Map;
import org.c18n.client.Api;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Posts, threaded comments, reactions, shares and approval through the HTTP API. */
class PostFlowTest extends PlatformTest {

    @Test
    void membersPostEditDeleteAndEveryVersionIsKept() {
        Api ann = signedUp("pann");
        Api bob = signedUp("pbob");
        Api outsider = signedUp("pout");
        String c = community(ann, bob);

        assertProblem(outsider.post("/api/v1/communities/" + c + "/posts", Map.of("body", "hi")), 403, "forbidden", "members");
        var first = ann.post("/api/v1/communities/" + c + "/posts", Map.of("title", "Hello", "body", "First *post*",
                "tags", List.of("intro")));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        String postId = first.text("id");
        assertThat(first.body().path("author").path("id").asString()).isEqualTo(ann.id());
        assertThat(first.text("status")).isEqualTo("published");
        var second = bob.post("/api/v1/communities/" + c + "/posts", Map.of("body", "Second"));
        assertThat(second.status()).isEqualTo(201);

        // Anyone signed in reads a public community's feed, newest first, page by page.
        var page1 = outsider.get("/api/v1/communities/" + c + "/posts?limit=1");
        assertThat(ids(page1.body().path("items"))).containsExactly(second.text("id"));
        var page2 = outsider.get("/api/v1/communities/" + c + "/posts?limit=1&cursor=" + page1.text("nextCursor"));
        assertThat(ids(page2.body().path("items"))).containsExactly(postId);
        assertThat(page2.body().path("nextCursor").isNull()).isTrue();

        assertProblem(bob.patch("/api/v1/posts/" + postId, Map.of("body", "hijack")), 403, "forbidden", "author");
        var edited = ann.patch("/api/v1/posts/" + postId, Map.of("title", "Hello again", "body", "Edited"));
        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.text("body")).isEqualTo("Edited");
        assertThat(edited.body().path("editedAt").isMissingNode()).isFalse();

        assertProblem(bob.delete("/api/v1/posts/" + postId), 403, "forbidden", "delete");
        assertThat(ann.delete("/api/v1/posts/" + postId).status()).isEqualTo(200);
        assertProblem(bob.get("/api/v1/posts/" + postId), 404, "not-found", "Post");
        var history = ann.get("/api/v1/posts/" + postId + "/history");
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.body().valueStream().map(v -> v.path("type").asString()).toList())
                .containsExactly("post.created", "post.edited", "post.deleted");
        assertThat(history.body().get(0).path("body").asString()).isEqualTo("First *post*");
        assertThat(history.body().get(1).path("title").asString()).isEqualTo("Hello again");
        assertThat(history.body().get(2).path("by").path("username").asString())
                .isEqualTo(ann.get("/api/v1/users/me").text("username"));
        assertProblem(bob.get("/api/v1/posts/" + postId + "/history"), 404, "not-found", "Post");
    }

    @Test
    void thePostsAuthorPinsOneCommentToLeadTheThread() {
        Api ann = signedUp("pinann");
        Api bob = signedUp("pinbob");
        Api cat = signedUp("pincat");
        String c = community(ann, bob, cat);
        String post = ann.post("/api/v1/communities/" + c + "/posts", Map.of("body", "Which editor?")).text("id");
        String early = bob.post("/api/v1/posts/" + post + "/comments", Map.of("body", "vim")).text("id");
        String answer = cat.post("/api/v1/posts/" + post + "/comments", Map.of("body", "the one you know")).text("id");
        String reply = bob.post("/api/v1/posts/" + post + "/comments", Map.of("body", "fair", "parentId", answer)).text("id");
        String late = ann.post("/api/v1/posts/" + post + "/comments", Map.of("body", "thanks all")).text("id");
        String comments = "/api/v1/posts/" + post + "/comments";

        assertProblem(bob.put(comments + "/" + answer + "/pin", Map.of("pinned", true)), 403, "forbidden", "pin");
        assertProblem(ann.put(comments + "/" + reply + "/pin", Map.of("pinned", true)), 400, "validation", "top-level");
        var pinned = ann.put(comments + "/" + answer + "/pin", Map.of("pinned", true));
        assertThat(pinned.status()).as(pinned.toString()).isEqualTo(200);
        assertThat(pinned.body().path("pinnedAt").isString()).isTrue();

        // The pinned thread leads the first page with its replies, and is not repeated in its place.
        var page1 = cat.get(comments + "?view=tree&limit=1");
        assertThat(ids(page1.body().path("items"))).containsExactly(answer, early);
        assertThat(ids(page1.body().path("items").get(0).path("replies"))).containsExactly(reply);
        var page2 = cat.get(comments + "?view=tree&limit=1&cursor=" + page1.text("nextCursor"));
        assertThat(page2.status()).isEqualTo(200);
        assertThat(ids(page2.body().path("items"))).containsExactly(late);

        // One pinned comment a post: pinning another unpins the first; unpinning restores the order.
        assertThat(ann.put(comments + "/" + early + "/pin", Map.of("pinned", true)).status()).isEqualTo(200);
        var repinned = cat.get(comments + "?view=tree").body().path("items");
        assertThat(ids(repinned)).containsExactly(early, answer, late);
        assertThat(repinned.get(1).path("pinnedAt").isMissingNode()).isTrue();
        assertThat(ann.put(comments + "/" + early + "/pin", Map.of("pinned", false)).status()).isEqualTo(200);
        var unpinned = cat.get(comments + "?view=tree").body().path("items");
        assertThat(ids(unpinned)).containsExactly(early, answer, late);
        assertThat(unpinned.get(0).path("pinnedAt").isMissingNode()).isTrue();
    }

    @Test
    void moderatorsRemovePostsAndApprovePendingOnes() {
        Api owner = signedUp("mown");
        Api member = signedUp("mmem");
        String c = community(owner, Map.of("postApproval", true), member);
        var pending = member.post("/api/v1/communities/" + c + "/posts", Map.of("body", "Please approve"));
        assertThat(pending.status()).isEqualTo(201);
        assertThat(pending.text("status")).isEqualTo("pending");
        String id = pending.text("id");
        assertThat(ids(owner.get("/api/v1/communities/" + c + "/posts").body().path("items"))).doesNotContain(id);
        assertThat(ids(owner.get("/api/v1/communities/" + c + "/posts?status=pending").body().path("items")))
                .containsExactly(id);
        assertProblem(member.get("/api/v1/communities/" + c + "/posts?status=pending"), 403, "forbidden", "moderators");
        assertProblem(member.post("/api/v1/posts/" + id + "/approve", null), 403, "forbidden", "moderators");
        var approved = owner.post("/api/v1/posts/" + id + "/approve", null);
        assertThat(approved.text("status")).isEqualTo("published");
        assertThat(ids(member.get("/api/v1/communities/" + c + "/posts").body().path("items"))).containsExactly(id);

        // The owner's own posts need no approval; moderators delete anyone's post.
        assertThat(owner.post("/api/v1/communities/" + c + "/posts", Map.of("body", "Rules")).text("status"))
                .isEqualTo("published");
        assertThat(owner.delete("/api/v1/posts/" + id).status()).isEqualTo(200);
        assertThat(ids(member.get("/api/v1/communities/" + c + "/posts").body().path("items"))).doesNotContain(id);

        String spam = member.post("/api/v1/communities/" + c + "/posts", Map.of("body", "Buy now")).text("id");
        assertThat(owner.post("/api/v1/posts/" + spam + "/reject", null).text("status")).isEqualTo("rejected");
        assertProblem(owner.post("/api/v1/posts/" + spam + "/approve", null), 409, "not-pending", "approval");
        assertThat(ids(member.get("/api/v1/communities/" + c + "/posts").body().path("items"))).doesNotContain(spam);
        assertThat(member.get("/api/v1/posts/" + spam).text("status")).isEqualTo("rejected");
    }

    @Test
    void privateCommunitiesAndGroupsKeepTheirPostsToTheirMembers() {
        Api owner = signedUp("vown");
        Api stranger = signedUp("vstr");
        String c = community(owner, Map.of("visibility", "private"));
        String post = owner.post("/api/v1/communities/" + c + "/posts", Map.of("body", "secret")).text("id");
        assertProblem(stranger.get("/api/v1/posts/" + post), 404, "not-found", "Post");
        assertProblem(stranger.get("/api/v1/communities/" + c + "/posts"), 404, "not-found", "Community");
        assertProblem(stranger.put("/api/v1/posts/" + post + "/reaction", Map.of("kind", "like")), 404, "not-found", "Post");
        assertProblem(stranger.post("/api/v1/posts/" + post + "/comments", Map.of("body", "x")), 404, "not-found", "Post");

        String group = owner.post("/api/v1/usergroups", Map.of("name", "g")).text("id");
        var groupPost = owner.post("/api/v1/usergroups/" + group + "/posts", Map.of("body", "for the group"));
        assertThat(groupPost.status()).isEqualTo(201);
        assertThat(ids(owner.get("/api/v1/usergroups/" + group + "/posts").body().path("items")))
                .containsExactly(groupPost.text("id"));
        assertProblem(stranger.get("/api/v1/usergroups/" + group + "/posts"), 404, "not-found", "User-group");
        assertProblem(stranger.get("/api/v1/posts/" + groupPost.text("id")), 404, "not-found", "Post");
        assertProblem(stranger.post("/api/v1/usergroups/" + group + "/posts", Map.of("body", "x")), 404, "not-found",
                "User-group");
    }

    @Test
    void threadedCommentsWithRepliesEditsDeletesAndHistory() {
        Api ann = signedUp("cann");
        Api bob = signedUp("cbob");
        String c = community(ann, bob);
        String post = ann.post("/api/v1/communities/" + c + "/posts", Map.of("body", "Discuss")).text("id");

        var top = bob.post("/api/v1/posts/" + post + "/comments", Map.of("body", "First!"));
        assertThat(top.status()).as(top.toString()).isEqualTo(201);
        var reply = ann.post("/api/v1/posts/" + post + "/comments", Map.of("body", "Welcome", "parentId", top.text("id")));
        var deeper = bob.post("/api/v1/posts/" + post + "/comments", Map.of("body", "Thanks", "parentId", reply.text("id")));
        assertThat(deeper.body().path("depth").asInt()).isEqualTo(2);
        var second = ann.post("/api/v1/posts/" + post + "/comments", Map.of("body", "Another thread"));
        assertThat(second.status()).isEqualTo(201);

        var tree = bob.get("/api/v1/posts/" + post + "/comments?view=tree");
        JsonNode threads = tree.body().path("items");
        assertThat(threads.size()).isEqualTo(2);
        assertThat(threads.get(0).path("replies").get(0).path("replies").get(0).path("body").asString()).isEqualTo("Thanks");
        var flat = bob.get("/api/v1/posts/" + post + "/comments?limit=2");
        assertThat(flat.body().path("items").size()).isEqualTo(2);
        assertThat(flat.body().path("nextCursor").isNull()).isFalse();
        assertThat(bob.get("/api/v1/posts/" + post).body().path("commentCount").asInt()).isEqualTo(4);

        assertProblem(ann.patch("/api/v1/posts/" + post + "/comments/" + top.text("id"), Map.of("body", "x")),
                403, "forbidden", "author");
        assertThat(bob.patch("/api/v1/posts/" + post + "/comments/" + top.text("id"), Map.of("body", "First (edited)"))
                .text("body")).isEqualTo("First (edited)");
        assertThat(bob.delete("/api/v1/posts/" + post + "/comments/" + top.text("id")).text("status")).isEqualTo("deleted");
        var history = bob.get("/api/v1/posts/" + post + "/comments/" + top.text("id") + "/history");
        assertThat(history.body().valueStream().map(v -> v.path("body").asString()).toList())
                .containsExactly("First!", "First (edited)", "");
        var afterDelete = bob.get("/api/v1/posts/" + post + "/comments?view=tree").body().path("items").get(0);
        assertThat(afterDelete.path("status").asString()).isEqualTo("deleted");
        assertThat(afterDelete.has("body")).isFalse();
        assertThat(afterDelete.path("replies").size()).isEqualTo(1);
        assertThat(bob.get("/api/v1/posts/" + post).body().path("commentCount").asInt()).isEqualTo(3);

        assertProblem(bob.post("/api/v1/posts/" + post + "/comments", Map.of("body", "x", "parentId",
                java.util.UUID.randomUUID().toString())), 400, "validation", "parentId");
        assertProblem(bob.post("/api/v1/posts/" + post + "/comments", Map.of("body", " ")), 400, "validation", "body");
        assertProblem(bob.post("/api/v1/posts/" + post + "/comments", Map.of("body", "c".repeat(10_001))),
                413, "too-large", "body");
    }

    @Test
    void reactionsAreOnePerUserAndCountsFollowChanges() {
        Api ann = signedUp("rxann");
        Api bob = signedUp("rxbob");
        String c = community(ann, bob);
        String post = ann.post("/api/v1/communities/" + c + "/posts", Map.of("body", "React")).text("id");
        var liked = bob.put("/api/v1/posts/" + post + "/reaction", Map.of("kind", "like"));
        assertThat(liked.body().path("likeCount").asInt()).isEqualTo(1);
        assertThat(liked.text("myReaction")).isEqualTo("like");
        assertThat(bob.put("/api/v1/posts/" + post + "/reaction", Map.of("kind", "like")).body().path("likeCount").asInt())
                .isEqualTo(1);
        var disliked = bob.put("/api/v1/posts/" + post + "/reaction", Map.of("kind", "dislike"));
        assertThat(disliked.body().path("likeCount").asInt()).isZero();
        assertThat(disliked.body().path("dislikeCount").asInt()).isEqualTo(1);
        var none = bob.put("/api/v1/posts/" + post + "/reaction", Map.of("kind", "none"));
        assertThat(none.body().path("dislikeCount").asInt()).isZero();
        assertThat(none.body().has("myReaction")).isFalse();
        assertProblem(bob.put("/api/v1/posts/" + post + "/reaction", Map.of("kind", "love")), 400, "validation", "kind");

        String comment = ann.post("/api/v1/posts/" + post + "/comments", Map.of("body", "c")).text("id");
        var commentLiked = bob.put("/api/v1/posts/" + post + "/comments/" + comment + "/reaction", Map.of("kind", "like"));
        assertThat(commentLiked.body().path("likeCount").asInt()).isEqualTo(1);
        assertThat(bob.get("/api/v1/posts/" + post).body().path("likeCount").asInt()).isZero();
    }

    @Test
    void sharesPointToTheOriginalAndPrivateContentStaysPrivate() {
        Api ann = signedUp("sann");
        String from = community(ann);
        String to = community(ann);
        String secret = community(ann, Map.of("visibility", "private"));
        String post = ann.post("/api/v1/communities/" + from + "/posts", Map.of("title", "Worth it", "body", "Read me"))
                .text("id");
        var share = ann.post("/api/v1/posts/" + post + "/shares", Map.of("communityId", to, "comment", "Look"));
        assertThat(share.status()).as(share.toString()).isEqualTo(201);
        assertThat(share.body().path("sharedFrom").path("id").asString()).isEqualTo(post);
        assertThat(share.body().path("sharedFrom").path("title").asString()).isEqualTo("Worth it");
        assertThat(ids(ann.get("/api/v1/communities/" + to + "/posts").body().path("items"))).contains(share.text("id"));
        assertThat(ann.get("/api/v1/posts/" + post).body().path("shareCount").asInt()).isEqualTo(1);
        assertThat(ids(ann.get("/api/v1/posts/" + post + "/shares").body())).containsExactly(share.text("id"));

        String secretPost = ann.post("/api/v1/communities/" + secret + "/posts", Map.of("body", "inside")).text("id");
        assertProblem(ann.post("/api/v1/posts/" + secretPost + "/shares", Map.of("communityId", to)), 403, "forbidden",
                "private");
        Api bob = signedUp("sbob");
        assertProblem(bob.post("/api/v1/posts/" + post + "/shares", Map.of("communityId", to)), 403, "forbidden",
                "belong");
        assertProblem(ann.post("/api/v1/posts/" + post + "/shares", Map.of()), 400, "validation", "communityId");
    }

    @Test
    void homeFeedAndTopSortAndBadInput() {
        Api ann = signedUp("hann");
        String a = community(ann);
        String b = community(ann);
        String pa = ann.post("/api/v1/communities/" + a + "/posts", Map.of("body", "in a")).text("id");
        String pb = ann.post("/api/v1/communities/" + b + "/posts", Map.of("body", "in b")).text("id");
        assertThat(ids(ann.get("/api/v1/feed?limit=100").body().path("items"))).containsSubsequence(pb, pa);

        String quiet = ann.post("/api/v1/communities/" + a + "/posts", Map.of("body", "quiet")).text("id");
        ann.put("/api/v1/posts/" + pa + "/reaction", Map.of("kind", "like"));
        ann.post("/api/v1/posts/" + pa + "/comments", Map.of("body", "busy"));
        // Page by page (a cursor each), the home feed holds every post of both communities once, newest
        // first, each with the reader's own reaction.
        List<String> paged = new java.util.ArrayList<>();
        String cursor = null;
        do {
            var page = ann.get("/api/v1/feed?limit=1" + (cursor == null ? "" : "&cursor=" + cursor));
            page.body().path("items").forEach(p -> paged.add(p.path("id").asString()
                    + (p.path("myReaction").isString() ? ":" + p.path("myReaction").asString() : "")));
            cursor = page.body().path("nextCursor").isNull() ? null : page.text("nextCursor");
        } while (cursor != null);
        assertThat(paged).containsExactly(quiet, pb, pa + ":like");
        assertThat(ids(ann.get("/api/v1/communities/" + a + "/posts?sort=top").body().path("items")))
                .containsExactly(pa, quiet);

        assertProblem(ann.post("/api/v1/communities/" + a + "/posts", Map.of("body", "b".repeat(20_001))),
                413, "too-large", "body");
        assertProblem(ann.post("/api/v1/communities/" + a + "/posts", Map.of()), 400, "validation", "body");
        assertProblem(ann.post("/api/v1/communities/" + a + "/posts", Map.of("body", "x", "mediaIds",
                List.of(java.util.UUID.randomUUID().toString()))), 400, "validation", "mediaIds");
        assertProblem(ann.post("/api/v1/communities/" + a + "/posts", Map.of("body", "x", "tags",
                List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"))), 400, "validation", "tags");
        assertProblem(ann.get("/api/v1/communities/" + a + "/posts?sort=hot"), 400, "validation", "sort");
        assertProblem(ann.get("/api/v1/posts/" + java.util.UUID.randomUUID()), 404, "not-found", "Post");
    }

    static List<String> ids(JsonNode items) {
        return items.valueStream().map(n -> n.path("id").asString()).toList();
    }
}
