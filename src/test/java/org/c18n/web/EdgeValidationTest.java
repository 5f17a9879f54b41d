package org.c18n.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.c18n.support.Problems.assertProblem;

import java.util.Map;
import org.c18n.client.Api;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;

/**
 * Text the stores cannot hold never becomes an event: a NUL in one display name once stalled
 * the projector for every later write. The edge answers 400 problem+json naming the field, and
 * nothing is written.
 */
class EdgeValidationTest extends PlatformTest {

    @Test
    void unstorableTextInARegistrationIsRefusedAndNothingIsWritten() {
        Api anon = new Api(base());
        String name = unique("nul");
        String password = "correct horse battery " + name;
        var refused = anon.post("/api/v1/auth/register", Map.of("username", name, "email", name + "@example.org",
                "password", password, "displayName", "Evil\u0000Name"));
        assertProblem(refused, 400, "validation", "displayName");
        assertThat(refused.body().path("errors").get(0).path("field").asString()).isEqualTo("displayName");
        assertThat(refused.text("detail")).contains("U+0000");
        // Nothing was recorded: the name is still free, and the account did not come into being.
        assertThat(new Api(base()).post("/api/v1/auth/login", Map.of("username", name, "password", password)).status())
                .isEqualTo(401);
        var registered = anon.post("/api/v1/auth/register", Map.of("username", name, "email", name + "@example.org",
                "password", password, "displayName", "Fine Name"));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        assertThat(new Api(base()).login(name, password).get("/api/v1/users/me").text("displayName")).isEqualTo("Fine Name");
    }

    @Test
    void unstorableTextInAPostIsRefusedWhateverItIs() {
        Api owner = signedUp("edge");
        String community = owner.post("/api/v1/communities", Map.of("name", unique("Edge "))).text("id");
        String posts = "/api/v1/communities/" + community + "/posts";

        assertProblem(owner.post(posts, Map.of("body", "nul \u0000 here")), 400, "validation", "body: contains the control character U+0000");
        assertProblem(owner.post(posts, Map.of("body", "bell \u0007")), 400, "validation", "U+0007");
        assertProblem(owner.post(posts, Map.of("body", "ok", "tags", java.util.List.of("fine", "bad\uFFFF"))), 400,
                "validation", "tags[1]: contains the non-character U+FFFF");
        assertProblem(owner.send("POST", posts, "{\"body\":\"b\",\"tags\":[\"a\",null]}"), 400, "validation",
                "tags[1]: must not be null");
        assertProblem(owner.post(posts, Map.of("body", "x".repeat(StorableText.MAX_LENGTH + 1))), 400, "validation",
                "body: is longer than 100000 characters");
        // A lone surrogate cannot be produced by a JSON library from a Java string: written by hand.
        assertProblem(owner.send("POST", posts, "{\"body\":\"half \\ud83d of a pair\"}"), 400, "validation",
                "body: contains a lone surrogate U+D83D");
        assertProblem(owner.send("POST", posts, "{\"title\":\"\\udc00\",\"body\":\"b\"}"), 400, "validation", "title");

        // What a person writes (tabs, line breaks, emoji, any script) is kept as written.
        String text = "Line one\r\n\tindented — ünïcödé 漢字 🙂";
        var created = owner.post(posts, Map.of("body", text));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        var feed = owner.get(posts).body().path("items");
        assertThat(feed.size()).isEqualTo(1);
        assertThat(feed.get(0).path("body").asString()).isEqualTo(text);
    }

    @Test
    void unstorableTextInAChatFrameIsRefused() {
        Api ann = signedUp("edgews");
        Api bob = signedUp("edgewsb");
        String room = ann.post("/api/v1/rooms/direct", Map.of("userId", bob.id())).text("id");
        var socket = org.c18n.support.Socket.connect(ann);
        try {
            socket.await("hello");
            socket.sendRaw("{\"type\":\"send\",\"room\":\"" + room + "\",\"body\":\"nul \\u0000\",\"clientMsgId\":\"c1\"}");
            var error = socket.await("error");
            assertThat(error.path("code").asString()).isEqualTo("validation");
            assertThat(error.path("detail").asString()).contains("body: contains the control character U+0000");
            socket.send(Map.of("type", "send", "room", room, "body", "fine", "clientMsgId", "c2"));
            assertThat(socket.await("ack").path("clientMsgId").asString()).isEqualTo("c2");
        } finally {
            socket.close();
        }
        // The ack comes once the message is in the log; the history shows it once projected, and only it.
        var history = org.c18n.support.Eventually.get(() -> ann.get("/api/v1/rooms/" + room + "/messages").body(),
                h -> h.size() > 0, java.time.Duration.ofSeconds(30));
        assertThat(history.size()).isEqualTo(1);
        assertThat(history.get(0).path("body").asString()).isEqualTo("fine");
    }

    @Test
    void unstorableTextInTheQueryOrPathIsRefused() {
        Api user = signedUp("edgeq");
        assertProblem(user.get("/api/v1/communities?q=a%00b"), 400, "validation", "q: contains the control character U+0000");
        assertProblem(user.get("/api/v1/search?q=x&tag=%EF%BF%BE"), 400, "validation", "tag: contains the non-character U+FFFE");
        // CESU-8 encoded surrogates and other bytes that are not UTF-8 are refused, not silently replaced.
        assertProblem(user.get("/api/v1/users?q=%ED%A0%80"), 400, "validation", "q: is not valid UTF-8");
        assertProblem(user.get("/api/v1/users?q=%FF"), 400, "validation", "q: is not valid UTF-8");
        assertProblem(user.get("/api/v1/communities/%01"), 400, "validation", "path");
        // Refused before sign-in is checked, so the answer is the same for anyone.
        assertProblem(new Api(base()).get("/api/v1/communities?q=%00"), 400, "validation", "q");
        // Ordinary encoded text passes.
        assertThat(user.get("/api/v1/communities?q=caf%C3%A9+%F0%9F%99%82").status()).isEqualTo(200);
        // A parameter's name is decoded once: an escaped percent sign in it is no malformed escape.
        assertThat(user.get("/api/v1/communities?100%25=1&q=x").status()).isEqualTo(200);
    }

    @Test
    void cursorsAndDatesOutsideWhatTheStoresHoldAreRefused() {
        Api user = signedUp("edgec");
        String farFuture = Page.encode("+300000-01-01T00:00:00Z|" + java.util.UUID.randomUUID());
        assertProblem(user.get("/api/v1/feed?cursor=" + farFuture), 400, "validation", "cursor");
        assertProblem(user.get("/api/v1/invites?cursor=" + Page.encode("-1")), 400, "validation", "cursor");
        assertProblem(user.get("/api/v1/users?cursor=AA"), 400, "validation", "cursor");
        assertProblem(user.get("/api/v1/search?q=x&from=-999999999-01-01"), 400, "validation", "from");
        assertProblem(user.get("/api/v1/search?q=x&to=%2B999999999-12-31"), 400, "validation", "to");
    }
}
