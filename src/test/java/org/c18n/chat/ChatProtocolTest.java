package org.c18n.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.c18n.client.Api;
import org.c18n.hub.Hub;
import org.c18n.support.PlatformTest;
import org.c18n.support.Socket;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The WebSocket protocol with real clients against the platform and its embedded broker. */
class ChatProtocolTest extends PlatformTest {

    @Autowired
    JdbcClient db;

    @Autowired
    Hub hub;

    @Autowired
    DataSource dataSource;

    record Trio(Api ann, Api bob, Api cat, String room) {}

    /** Ann and Bob in an ad hoc group; Cat outside it. */
    Trio trio() {
        Api ann = signedUp("wann");
        Api bob = signedUp("wbob");
        Api cat = signedUp("wcat");
        String room = ann.post("/api/v1/usergroups", Map.of("name", "chat", "memberIds", List.of(bob.id()))).text("id");
        return new Trio(ann, bob, cat, room);
    }

    static Map<String, Object> send(String room, String body, String clientMsgId) {
        return Map.of("type", "send", "room", room, "body", body, "clientMsgId", clientMsgId);
    }

    @Test
    void ticketsAreSingleUseShortLivedAndUnforgeable() {
        Api ann = signedUp("tann");
        assertThat(ann.post("/api/v1/ws/ticket", null).body().path("expiresIn").asInt()).isEqualTo(30);
        assertThat(new Api(base()).post("/api/v1/ws/ticket", null).status()).isEqualTo(401);
        var answer = ann.post("/api/v1/ws/ticket", null);
        String ticket = answer.text("ticket");
        // The socket has a listener of its own: the answer names it, on the host the request came to.
        String url = answer.text("url");
        assertThat(url).matches("ws://localhost:\\d+/ws").isNotEqualTo("ws://localhost:" + port + "/ws");
        Socket first = Socket.connectWithTicket(url, ticket);
        assertThat(first.await("hello").path("protocol").asInt()).isEqualTo(1);
        assertRefused(url, ticket);
        assertRefused(url, "forged-" + ticket);
        assertRefused(url, "");
        String expired = "expired-ticket-" + UUID.randomUUID();
        db.sql("INSERT INTO public.ws_tickets (token_hash, user_id, expires_at) VALUES (?, ?, ?)")
                .params(org.c18n.web.SecretTokens.hash(expired), UUID.fromString(ann.id()), Timestamp.from(Instant.now().minusSeconds(1)))
                .update();
        assertRefused(url, expired);
        first.close();
    }

    @Test
    void messagesReachEveryMemberInOrderAndNoOneElse() {
        Trio t = trio();
        Socket ann = Socket.connect(t.ann());
        Socket bob = Socket.connect(t.bob());
        Socket cat = Socket.connect(t.cat());
        assertThat(ann.await("hello").path("rooms").toString()).contains(t.room());
        bob.await("hello");
        cat.await("hello");

        ann.send(send(t.room(), "hello bob", "c1"));
        // The ack and the sender's own copy come in either order.
        var own = ann.awaitEach("ack", "message");
        JsonNode ack = own.get("ack");
        assertThat(ack.path("clientMsgId").asString()).isEqualTo("c1");
        assertThat(own.get("message").path("clientMsgId").asString()).isEqualTo("c1");
        JsonNode got = bob.await("message");
        assertThat(got.path("body").asString()).isEqualTo("hello bob");
        assertThat(got.path("id").asString()).isEqualTo(ack.path("id").asString());
        assertThat(got.path("seq").asLong()).isEqualTo(ack.path("seq").asLong());
        assertThat(got.path("sender").path("id").asString()).isEqualTo(t.ann().id());

        for (int i = 0; i < 15; i++) {
            ann.send(send(t.room(), "m" + i, "o" + i));
        }
        List<JsonNode> received = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            received.add(bob.await("message"));
        }
        assertThat(received.stream().map(f -> f.path("body").asString()).toList())
                .containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11", "m12", "m13", "m14");
        assertThat(received.stream().map(f -> f.path("seq").asLong()).toList()).isSorted();
        assertThat(cat.collect("message", Duration.ofMillis(800))).isEmpty();
        for (Socket s : List.of(ann, bob, cat)) {
            s.close();
        }
    }

    @Test
    void aReconnectingClientGetsWhatItMissedExactlyOnce() {
        Trio t = trio();
        Socket ann = Socket.connect(t.ann());
        Socket bob = Socket.connect(t.bob());
        ann.await("hello");
        bob.await("hello");
        ann.send(send(t.room(), "before", "b"));
        long lastSeen = bob.await("message").path("seq").asLong();
        bob.close();

        for (int i = 0; i < 5; i++) {
            ann.send(send(t.room(), "missed " + i, "m" + i));
            ann.await("ack");
        }
        Socket back = Socket.connect(t.bob());
        back.await("hello");
        back.send(Map.of("type", "sync", "room", t.room(), "after", lastSeen));
        ann.send(send(t.room(), "live", "live"));
        List<String> bodies = new ArrayList<>();
        JsonNode frame;
        do {
            frame = back.await("message");
            bodies.add(frame.path("body").asString());
        } while (!frame.path("body").asString().equals("live"));
        assertThat(bodies).containsExactly("missed 0", "missed 1", "missed 2", "missed 3", "missed 4", "live");
        assertThat(back.collect("message", Duration.ofMillis(700))).isEmpty();
        var history = t.bob().get("/api/v1/rooms/" + t.room() + "/messages?after=" + lastSeen + "&limit=100");
        assertThat(history.body().size()).isEqualTo(6);
        ann.close();
        back.close();
    }

    @Test
    void editsDeletesUnreadCountsAndReadReceipts() {
        Trio t = trio();
        Socket ann = Socket.connect(t.ann());
        Socket bob = Socket.connect(t.bob());
        ann.await("hello");
        bob.await("hello");
        var sent = t.ann().post("/api/v1/rooms/" + t.room() + "/messages", Map.of("body", "first"));
        assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
        t.ann().post("/api/v1/rooms/" + t.room() + "/messages", Map.of("body", "second"));
        var third = t.ann().post("/api/v1/rooms/" + t.room() + "/messages", Map.of("body", "third"));
        bob.await("message", f -> f.path("body").asString().equals("third"));

        JsonNode room = room(t.bob(), t.room());
        assertThat(room.path("unread").asInt()).isEqualTo(3);
        assertThat(room.path("lastMessage").path("body").asString()).isEqualTo("third");
        assertThat(room(t.ann(), t.room()).path("unread").asInt()).isZero();

        bob.send(Map.of("type", "read", "room", t.room(), "seq", third.body().path("seq").asLong()));
        JsonNode receipt = ann.await("read");
        assertThat(receipt.path("user").asString()).isEqualTo(t.bob().id());
        assertThat(receipt.path("seq").asLong()).isEqualTo(third.body().path("seq").asLong());
        awaitUnread(t.bob(), t.room(), 0);

        String id = sent.text("id");
        assertThat(t.bob().patch("/api/v1/rooms/" + t.room() + "/messages/" + id, Map.of("body", "x")).status())
                .isEqualTo(403);
        assertThat(t.ann().patch("/api/v1/rooms/" + t.room() + "/messages/" + id, Map.of("body", "first (edited)"))
                .text("body")).isEqualTo("first (edited)");
        assertThat(bob.await("message_edited").path("body").asString()).isEqualTo("first (edited)");
        assertThat(t.ann().delete("/api/v1/rooms/" + t.room() + "/messages/" + id).text("status")).isEqualTo("deleted");
        assertThat(bob.await("message_deleted").path("id").asString()).isEqualTo(id);
        var history = t.bob().get("/api/v1/rooms/" + t.room() + "/messages");
        assertThat(history.body().get(2).path("status").asString()).isEqualTo("deleted");
        assertThat(history.body().get(2).has("body")).isFalse();
        assertThat(t.cat().get("/api/v1/rooms/" + t.room() + "/messages").status()).isEqualTo(404);
        ann.close();
        bob.close();
    }

    @Test
    void typingAndPresenceReachRoommates() {
        Trio t = trio();
        Socket ann = Socket.connect(t.ann());
        ann.await("hello");
        Socket bob = Socket.connect(t.bob());
        bob.await("hello");
        assertThat(ann.await("presence", f -> f.path("user").asString().equals(t.bob().id())).path("status").asString())
                .isEqualTo("online");
        bob.send(Map.of("type", "typing", "room", t.room()));
        JsonNode typing = ann.await("typing");
        assertThat(typing.path("user").asString()).isEqualTo(t.bob().id());
        assertThat(typing.path("room").asString()).isEqualTo(t.room());
        assertThat(bob.collect("typing", Duration.ofMillis(500))).isEmpty();
        bob.send(Map.of("type", "presence", "status", "away"));
        assertThat(ann.await("presence").path("status").asString()).isEqualTo("away");
        // The node re-announces its users every interval: Bob stays away through a round, not online again.
        assertThat(ann.collect("presence", PRESENCE_INTERVAL.plusSeconds(1))).isEmpty();
        bob.close();
        assertThat(ann.await("presence", f -> f.path("user").asString().equals(t.bob().id())).path("status").asString())
                .isEqualTo("offline");
        ann.close();
    }

    @Test
    void directRoomsAndMembershipChangesReachOpenConnections() {
        Api ann = signedUp("dann");
        Api bob = signedUp("dbob");
        Socket bobSocket = Socket.connect(bob);
        bobSocket.await("hello");
        var opened = ann.post("/api/v1/rooms/direct", Map.of("userId", bob.id()));
        assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
        String room = opened.text("id");
        assertThat(ann.post("/api/v1/rooms/direct", Map.of("userId", bob.id())).text("id")).isEqualTo(room);
        assertThat(bob.post("/api/v1/rooms/direct", Map.of("userId", ann.id())).text("id")).isEqualTo(room);
        assertThat(bobSocket.await("room_added").path("room").asString()).isEqualTo(room);
        ann.post("/api/v1/rooms/" + room + "/messages", Map.of("body", "psst"));
        assertThat(bobSocket.await("message").path("body").asString()).isEqualTo("psst");
        assertThat(room(bob, room).path("peer").path("id").asString()).isEqualTo(ann.id());

        String group = ann.post("/api/v1/usergroups", Map.of("name", "later")).text("id");
        ann.post("/api/v1/usergroups/" + group + "/members", Map.of("userId", bob.id()));
        assertThat(bobSocket.await("room_added").path("room").asString()).isEqualTo(group);
        ann.post("/api/v1/rooms/" + group + "/messages", Map.of("body", "welcome"));
        assertThat(bobSocket.await("message").path("body").asString()).isEqualTo("welcome");
        ann.delete("/api/v1/usergroups/" + group + "/members/" + bob.id());
        assertThat(bobSocket.await("room_removed").path("room").asString()).isEqualTo(group);
        ann.post("/api/v1/rooms/" + group + "/messages", Map.of("body", "gone"));
        assertThat(bobSocket.collect("message", Duration.ofMillis(700))).isEmpty();
        assertThat(ann.post("/api/v1/rooms/direct", Map.of("userId", ann.id())).status()).isEqualTo(400);
        assertThat(ann.post("/api/v1/rooms/direct", Map.of("userId", UUID.randomUUID().toString())).status())
                .isEqualTo(404);
        bobSocket.close();
    }

    /**
     * A socket that opens while the views lag behind the log reads its rooms without a conversation
     * the live feed has already passed; once the projector catches up, the socket gets the room and
     * both people hear that the other is online, without reconnecting.
     */
    @Test
    void aSocketOpenedWhileTheViewsLagGetsTheNewRoomOnceTheyCatchUp() throws Exception {
        Api ann = signedUp("lann");
        Api bob = signedUp("lbob");
        Socket bobSocket = Socket.connect(bob);
        bobSocket.await("hello");
        String room;
        Socket annSocket;
        try (Connection projectorHeld = dataSource.getConnection()) {
            // The projector commits each batch with its offsets: while they are locked, nothing is applied.
            projectorHeld.setAutoCommit(false);
            projectorHeld.createStatement().execute("LOCK TABLE projector_offsets IN EXCLUSIVE MODE");
            var opened = ann.post("/api/v1/rooms/direct", Map.of("userId", bob.id()));
            // The answer names the room the pair will have; the views do not hold it yet.
            assertThat(opened.toString()).doesNotContain("peer");
            room = opened.text("id");
            assertThat(bobSocket.await("room_added").path("room").asString()).isEqualTo(room);

            annSocket = Socket.connect(ann);
            JsonNode hello = annSocket.await("hello");
            assertThat(hello.path("rooms").toString()).doesNotContain(room);
            assertThat(bobSocket.collect("presence", Duration.ofMillis(500))).isEmpty();
            projectorHeld.rollback();
        }
        assertThat(annSocket.await("room_added").path("room").asString()).isEqualTo(room);
        assertThat(annSocket.await("presence", f -> f.path("user").asString().equals(bob.id())).path("status")
                .asString()).isEqualTo("online");
        assertThat(bobSocket.await("presence", f -> f.path("user").asString().equals(ann.id())).path("status")
                .asString()).isEqualTo("online");
        annSocket.send(send(room, "caught up", "lag-1"));
        assertThat(bobSocket.await("message").path("body").asString()).isEqualTo("caught up");
        annSocket.close();
        bobSocket.close();
    }

    @Test
    void mentionsOfMembersAndRepliesTravelWithTheMessage() {
        Trio t = trio();
        Socket bob = Socket.connect(t.bob());
        Socket ann = Socket.connect(t.ann());
        bob.await("hello");
        ann.await("hello");
        String bobName = t.bob().get("/api/v1/users/me").text("username");
        String catName = t.cat().get("/api/v1/users/me").text("username");
        ann.send(send(t.room(), "question for you", "q"));
        String question = ann.await("ack").path("id").asString();
        bob.await("message");
        bob.send(Map.of("type", "send", "room", t.room(), "body", "@" + bobName.toUpperCase() + " and @" + catName
                + ", mail me at bob@example.org", "replyTo", question, "clientMsgId", "r"));
        JsonNode reply = ann.await("message", f -> f.path("clientMsgId").asString().equals("r"));
        assertThat(reply.path("replyTo").asString()).isEqualTo(question);
        // Cat is not in the room and the e-mail address is no mention: only Bob is.
        assertThat(reply.path("mentions").valueStream().map(JsonNode::asString).toList()).containsExactly(t.bob().id());
        // Delivered live from the log; the history has it once the projection has applied it.
        JsonNode history = org.c18n.support.Eventually.get(() -> t.ann().get("/api/v1/rooms/" + t.room() + "/messages").body(),
                h -> h.path(0).path("id").asString().equals(reply.path("id").asString()), Duration.ofSeconds(10));
        assertThat(history.get(0).path("mentions").get(0).asString()).isEqualTo(t.bob().id());
        ann.send(Map.of("type", "send", "room", t.room(), "body", "x", "replyTo", UUID.randomUUID().toString()));
        assertThat(ann.await("error").path("code").asString()).isEqualTo("validation");
        ann.close();
        bob.close();
    }

    @Test
    void imagesTravelWithMessagesAndOnlyTheRoomSeesThem() throws Exception {
        Trio t = trio();
        Socket bob = Socket.connect(t.bob());
        Socket ann = Socket.connect(t.ann());
        bob.await("hello");
        ann.await("hello");
        var upload = t.ann().upload("/api/v1/media", "cat.png", "image/png",
                org.c18n.support.TestMedia.image("png", 64, 48, java.awt.Color.PINK));
        String mediaId = upload.text("id");
        ann.send(Map.of("type", "send", "room", t.room(), "body", "look", "mediaIds", List.of(mediaId),
                "clientMsgId", "img"));
        JsonNode got = bob.await("message");
        assertThat(got.path("media").get(0).path("id").asString()).isEqualTo(mediaId);
        String url = got.path("media").get(0).path("url").asString();
        assertThat(new Api(base()).getBytes(url).statusCode()).isEqualTo(200);
        assertThat(t.bob().getBytes("/api/v1/media/" + mediaId).statusCode()).isEqualTo(200);
        assertThat(t.cat().getBytes("/api/v1/media/" + mediaId).statusCode()).isEqualTo(404);
        var history = t.bob().get("/api/v1/rooms/" + t.room() + "/messages");
        assertThat(history.body().get(0).path("media").get(0).path("width").asInt()).isEqualTo(64);

        // Another person's upload cannot be attached.
        ann.send(Map.of("type", "send", "room", t.room(), "body", "mine?", "mediaIds", List.of(
                t.bob().upload("/api/v1/media", "b.png", "image/png",
                        org.c18n.support.TestMedia.image("png", 8, 8, java.awt.Color.RED)).text("id"))));
        assertThat(ann.await("error").path("code").asString()).isEqualTo("validation");
        ann.close();
        bob.close();
    }

    @Test
    void badFramesGetErrorsAndTheServerStaysUp() throws Exception {
        Trio t = trio();
        Socket ann = Socket.connect(t.ann());
        ann.await("hello");
        ann.sendRaw("not json");
        assertThat(ann.await("error").path("code").asString()).isEqualTo("bad-frame");
        ann.sendRaw("[1,2]");
        assertThat(ann.await("error").path("code").asString()).isEqualTo("bad-frame");
        ann.send(Map.of("type", "dance"));
        assertThat(ann.await("error").path("code").asString()).isEqualTo("unknown-type");
        String otherRoom = t.cat().post("/api/v1/usergroups", Map.of("name", "cats only")).text("id");
        ann.send(send(otherRoom, "let me in", "x1"));
        JsonNode refused = ann.await("error");
        assertThat(refused.path("code").asString()).isEqualTo("not-member");
        assertThat(refused.path("clientMsgId").asString()).isEqualTo("x1");
        ann.send(Map.of("type", "send", "room", "not-an-id", "body", "x"));
        assertThat(ann.await("error").path("code").asString()).isEqualTo("bad-frame");
        ann.send(send(t.room(), " ", "blank"));
        assertThat(ann.await("error").path("code").asString()).isEqualTo("validation");
        ann.send(send(t.room(), "b".repeat(4001), "long"));
        assertThat(ann.await("error").path("code").asString()).isEqualTo("too-large");
        ann.send(Map.of("type", "ping"));
        ann.await("pong");

        int limited = 0;
        for (int i = 0; i < 60; i++) {
            ann.send(send(t.room(), "flood " + i, "f" + i));
        }
        limited = ann.collect("error", Duration.ofSeconds(2)).size();
        assertThat(limited).isPositive();

        ann.sendRaw("{\"type\":\"ping\",\"pad\":\"" + "p".repeat(10_000) + "\"}");
        assertThat(ann.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1009);
        Socket again = Socket.connect(t.ann());
        again.await("hello");
        again.send(Map.of("type", "ping"));
        again.await("pong");
        again.close();
    }

    @Test
    void aStalledClientIsCutOffWithoutSlowingTheOthers() throws Exception {
        Trio t = trio();
        // Each user has one message budget (20 a second) over socket and REST: sixteen people write.
        List<Api> writers = new java.util.ArrayList<>();
        for (int s = 0; s < 16; s++) {
            writers.add(signedUp("wsend"));
        }
        String room = t.ann().post("/api/v1/usergroups", Map.of("name", "busy", "memberIds",
                java.util.stream.Stream.concat(java.util.stream.Stream.of(t.bob().id()), writers.stream().map(Api::id)).toList())).text("id");
        var bobsTicket = t.bob().post("/api/v1/ws/ticket", null);
        var stalled = new org.c18n.support.StalledClient(java.net.URI.create(bobsTicket.text("url")), bobsTicket.text("ticket"));
        Socket ann = Socket.connect(t.ann());
        ann.await("hello");
        // Enough to fill the kernel's socket buffers (several MB on loopback) and then the queue.
        String body = "z".repeat(3990);
        long started = System.nanoTime();
        var senders = java.util.concurrent.Executors.newFixedThreadPool(writers.size());
        for (int s = 0; s < writers.size(); s++) {
            int sender = s;
            senders.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    while (writers.get(sender).post("/api/v1/rooms/" + room + "/messages",
                            Map.of("body", body + " " + sender + "/" + i)).status() == 429) {
                        Thread.sleep(50);
                    }
                }
                return null;
            });
        }
        senders.shutdown();
        assertThat(senders.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
        // The last of 13 MB may still be on its way through the log when the senders are done.
        int received = 0;
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (boolean more = true; more; ) {
            List<JsonNode> frames = ann.collect("message", Duration.ofSeconds(1));
            for (JsonNode f : frames) {
                assertThat(f.path("room").asString()).isEqualTo(room);
            }
            received += frames.size();
            more = (received < 3200 || !frames.isEmpty()) && System.nanoTime() < deadline; // then a quiet second: no more
        }
        assertThat(received).isEqualTo(3200);
        // The server let go of the stalled client (close code 4008 when it still gets through).
        assertThat(hub.connectionsOf(UUID.fromString(t.bob().id()))).isEmpty();
        assertThat(stalled.drainToClose()).isIn(4008, -1);
        stalled.close();
        System.out.printf("stalled client cut off; the other received all 3,200 (13 MB) in %d ms%n",
                (System.nanoTime() - started) / 1_000_000);
        ann.close();
    }

    private void assertRefused(String url, String ticket) {
        assertThatThrownBy(() -> Socket.connectWithTicket(url, ticket))
                .hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse()
                        .statusCode()).isEqualTo(401));
    }

    private JsonNode room(Api api, String id) {
        for (JsonNode room : api.get("/api/v1/rooms").body()) {
            if (room.path("id").asString().equals(id)) {
                return room;
            }
        }
        throw new AssertionError("room " + id + " not listed");
    }

    private void awaitUnread(Api api, String room, int expected) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (room(api, room).path("unread").asInt() != expected) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("unread never became " + expected);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
