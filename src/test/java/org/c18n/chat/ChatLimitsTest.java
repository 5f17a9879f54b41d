package org.c18n.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.c18n.support.Problems.assertProblem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.c18n.client.Api;
import org.c18n.infra.C18nProperties;
import org.c18n.support.Eventually;
import org.c18n.support.PlatformTest;
import org.c18n.support.Socket;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** One budget per user and kind of write, across sockets and REST; a cap on sockets per user. */
class ChatLimitsTest extends PlatformTest {
    @Autowired
    C18nProperties props;
    @Autowired
    JdbcClient db;

    private record Pair(Api ann, Api bob, String room) {}

    private Pair pair() {
        Api ann = signedUp("lann");
        Api bob = signedUp("lbob");
        String room = ann.post("/api/v1/usergroups", Map.of("name", "limits", "memberIds", List.of(bob.id()))).text("id");
        return new Pair(ann, bob, room);
    }

    @Test
    void twoSocketsAndRestShareOneMessageBudget() throws Exception {
        Pair p = pair();
        Socket one = Socket.connect(p.ann());
        Socket two = Socket.connect(p.ann());
        one.await("hello");
        two.await("hello");
        int perSecond = props.chat().messagesPerSecond();
        long started = System.nanoTime();
        for (int i = 0; i < perSecond * 3; i++) {
            one.send(Map.of("type", "send", "room", p.room(), "body", "a" + i, "clientMsgId", "a" + i));
            two.send(Map.of("type", "send", "room", p.room(), "body", "b" + i, "clientMsgId", "b" + i));
        }
        AtomicInteger restAccepted = new AtomicInteger();
        ConcurrentLinkedQueue<Api.Response> refused = new ConcurrentLinkedQueue<>();
        var rest = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            rest.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    var r = p.ann().post("/api/v1/rooms/" + p.room() + "/messages", Map.of("body", "r" + thread + "/" + i));
                    if (r.status() == 429) {
                        refused.add(r);
                    } else if (r.status() == 201 || r.status() == 202) {
                        restAccepted.incrementAndGet();
                    }
                }
            });
        }
        rest.shutdown();
        assertThat(rest.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        double seconds = (System.nanoTime() - started) / 1e9;
        int acked = one.collect("ack", Duration.ofSeconds(1)).size() + two.collect("ack", Duration.ofSeconds(1)).size();
        int accepted = acked + restAccepted.get();
        // Two sockets with a budget each would have taken twice the burst at once.
        assertThat((double) accepted).as("accepted %d in %.2f s", accepted, seconds)
                .isLessThanOrEqualTo(perSecond * 2 + perSecond * seconds + 2);
        assertThat(refused).isNotEmpty();
        Api.Response limited = refused.peek();
        assertProblem(limited, 429, "rate-limited", "messages");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 5L);
        System.out.printf("one budget: %d of %d messages accepted in %.2f s over two sockets and REST%n", accepted,
                perSecond * 6 + 40, seconds);
        one.close();
        two.close();
    }

    private long readEvents(Api user) {
        return db.sql("SELECT count(*) FROM events WHERE type = 'message.read' AND actor = CAST(? AS uuid)")
                .param(user.id()).query(Long.class).single();
    }

    @Test
    void readsThatDoNotMoveTheMarkerWriteNothingAndReadsAreLimited() {
        Pair p = pair();
        var sent = p.ann().post("/api/v1/rooms/" + p.room() + "/messages", Map.of("body", "hello"));
        assertThat(sent.status()).isEqualTo(201);
        long seq = sent.body().path("seq").asLong();
        Socket bob = Socket.connect(p.bob());
        bob.await("hello");
        bob.send(Map.of("type", "read", "room", p.room(), "seq", seq));
        assertThat(Eventually.get(() -> readEvents(p.bob()), n -> n == 1, Duration.ofSeconds(10))).isEqualTo(1);

        // Again and again the same place, and a place past the room's end: nothing new in the log.
        for (int i = 0; i < 10; i++) {
            bob.send(Map.of("type", "read", "room", p.room(), "seq", seq));
        }
        assertThat(p.bob().post("/api/v1/rooms/" + p.room() + "/read", Map.of("seq", seq)).status()).isEqualTo(202);
        assertThat(p.bob().post("/api/v1/rooms/" + p.room() + "/read", Map.of("seq", seq - 1)).status()).isEqualTo(202);
        assertThat(Eventually.settled(() -> readEvents(p.bob()))).isEqualTo(1);

        var next = p.ann().post("/api/v1/rooms/" + p.room() + "/messages", Map.of("body", "more"));
        bob.send(Map.of("type", "read", "room", p.room(), "seq", Long.MAX_VALUE));
        assertThat(Eventually.settled(() -> readEvents(p.bob()))).isEqualTo(2);
        assertThat(db.sql("SELECT seq FROM read_markers WHERE room_id = CAST(? AS uuid) AND user_id = CAST(? AS uuid)")
                .params(p.room(), p.bob().id()).query(Long.class).single()).isEqualTo(next.body().path("seq").asLong());

        // A flood of reads is refused past the budget.
        for (int i = 0; i < props.chat().readsPerSecond() * 3; i++) {
            bob.send(Map.of("type", "read", "room", p.room(), "seq", seq));
        }
        List<JsonNode> errors = bob.collect("error", Duration.ofSeconds(1));
        assertThat(errors).isNotEmpty();
        assertThat(errors).allMatch(e -> e.path("code").asString().equals("rate-limited"));
        bob.close();
    }

    @Test
    void syncPresenceAndTypingFramesAreLimitedPerUser() {
        Pair p = pair();
        for (String type : List.of("sync", "presence", "typing")) {
            Socket bob = Socket.connect(p.bob());
            bob.await("hello");
            Map<String, Object> frame = switch (type) {
                case "sync" -> Map.of("type", "sync", "room", p.room(), "after", -1);
                case "presence" -> Map.of("type", "presence", "status", "away");
                default -> Map.of("type", "typing", "room", p.room());
            };
            for (int i = 0; i < 60; i++) {
                bob.send(frame);
            }
            List<JsonNode> errors = bob.collect("error", Duration.ofSeconds(1));
            assertThat(errors).as(type).isNotEmpty();
            assertThat(errors.get(0).path("code").asString()).isEqualTo("rate-limited");
            bob.close();
        }
    }

    @Test
    void oneUserHoldsAtMostTheConfiguredSockets() throws Exception {
        Api ann = signedUp("sann");
        int cap = props.chat().socketsPerUser();
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < cap; i++) {
            Socket s = Socket.connect(ann);
            s.await("hello");
            open.add(s);
        }
        Socket extra = Socket.connect(ann);
        assertThat(extra.closed.get(5, TimeUnit.SECONDS)).isEqualTo(4030);
        // Someone else is not affected, and a closed socket frees its place.
        Socket other = Socket.connect(signedUp("sbob"));
        other.await("hello");
        open.get(0).close();
        Thread.sleep(500);
        Socket again = Socket.connect(ann);
        again.await("hello");
        again.send(Map.of("type", "ping"));
        again.await("pong");
        again.close();
        other.close();
        open.forEach(Socket::close);
    }
}
