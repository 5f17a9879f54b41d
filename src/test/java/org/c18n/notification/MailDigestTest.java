package org.c18n.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.c18n.support.Problems.assertProblem;

import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.c18n.client.Api;
import org.c18n.hub.Ephemeral;
import org.c18n.support.Eventually;
import org.c18n.support.Mailbox;
import org.c18n.support.PlatformTest;
import org.c18n.support.Socket;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * E-mail digests against the real SMTP test server: someone away gets one with their mentions,
 * messages and replies; someone connected gets none; a digest goes out once per interval; the
 * preferences and the one-click unsubscribe link are obeyed.
 */
class MailDigestTest extends PlatformTest {
    @Autowired
    MailDigests digests;

    @Autowired
    MailDigestProperties settings;

    @Autowired
    Ephemeral presence;

    @Autowired
    JdbcClient db;

    static String name(Api api) {
        return api.get("/api/v1/users/me").text("username");
    }

    static String address(Api api) {
        return name(api) + "@example.org";
    }

    String dm(Api from, Api to, String body) {
        String room = from.post("/api/v1/rooms/direct", Map.of("userId", to.id())).text("id");
        assertThat(from.post("/api/v1/rooms/" + room + "/messages", Map.of("body", body)).status()).isIn(201, 202);
        return room;
    }

    /** When the digests of the interval holding {@code at} are due. */
    Instant dueFor(Instant at) {
        long interval = settings.interval().toMillis();
        long end = Math.floorDiv(at.toEpochMilli(), interval) * interval + interval;
        return Instant.ofEpochMilli(end).plus(settings.delay());
    }

    /**
     * Waits, if the current interval ends within two minutes, for the next one: the notifications
     * the test makes must fall in one interval, or the earlier part would be due a whole interval
     * before the rest.
     */
    void startWellInsideAnInterval() throws InterruptedException {
        long interval = settings.interval().toMillis();
        long now = System.currentTimeMillis();
        long left = Math.floorDiv(now, interval) * interval + interval - now;
        if (left < 120_000) {
            Thread.sleep(left + 1_000);
        }
    }

    Instant newestNotification(Api api, int items) {
        JsonNode inbox = Eventually.items(api, "/api/v1/notifications", items);
        assertThat(inbox.path("items")).hasSize(items);
        return Instant.parse(inbox.path("items").get(0).path("at").asString());
    }

    boolean digestQueued(Api api) {
        return db.sql("SELECT count(*) FROM public.mail_outbox WHERE id LIKE ?").param("digest:" + api.id() + ":%")
                .query(Long.class).single() > 0;
    }

    @Test
    void someoneAwayGetsOneDigestThatHonoursTheirChoicesAndItsLinkUnsubscribes() throws Exception {
        startWellInsideAnInterval();
        Api ann = signedUp("dann");
        Api bob = signedUp("dbob");
        Api cat = signedUp("dcat");
        Api dan = signedUp("ddan");
        Api eve = signedUp("deve");
        String community = community(bob, ann);
        Socket catSocket = Socket.connect(cat);
        catSocket.await("hello");
        Eventually.get(() -> presence.statusOf(UUID.fromString(cat.id())), "online"::equals, Duration.ofSeconds(10));

        // Choices: dan wants no mentions mailed, eve no digests at all.
        JsonNode defaults = dan.get("/api/v1/users/me/email-preferences").body();
        assertThat(defaults.path("available").asBoolean()).isTrue();
        assertThat(defaults.path("digest").asBoolean()).isTrue();
        assertThat(defaults.path("mentions").asBoolean()).isTrue();
        var changed = dan.put("/api/v1/users/me/email-preferences",
                Map.of("digest", true, "mentions", false, "messages", true, "replies", true));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.body().path("mentions").asBoolean()).isFalse();
        assertThat(eve.put("/api/v1/users/me/email-preferences",
                Map.of("digest", false, "mentions", true, "messages", true, "replies", true)).status()).isEqualTo(200);
        assertProblem(eve.put("/api/v1/users/me/email-preferences", Map.of("digest", true)), 400, "validation", "mentions");
        assertThat(new Api(base()).get("/api/v1/users/me/email-preferences").status()).isEqualTo(401);

        // Bob, away: a reply, a message and a mention.
        String post = bob.post("/api/v1/communities/" + community + "/posts", Map.of("title", "Lunch plans", "body", "Who?"))
                .text("id");
        ann.post("/api/v1/posts/" + post + "/comments", Map.of("body", "Me!"));
        dm(ann, bob, "Are you around?");
        dm(cat, bob, "Hi @" + name(bob));
        // Dan: a mention (not wanted in mail) and a message. Cat (connected) and eve (digests off): a mention each.
        dm(ann, dan, "Hi @" + name(dan));
        dm(cat, dan, "Ping");
        dm(ann, cat, "Hi @" + name(cat));
        dm(ann, eve, "Hi @" + name(eve));

        Instant due = dueFor(newestNotification(bob, 3));
        newestNotification(dan, 2);
        newestNotification(cat, 1);
        newestNotification(eve, 1);
        // Earlier intervals may still hold other tests' people on the shared platform: only ours are asserted.
        digests.mailDue(due.minusSeconds(1));
        assertThat(digestQueued(bob)).as("nothing is due before the interval and the delay are over").isFalse();
        assertThat(digestQueued(dan)).as("nothing is due before the interval and the delay are over").isFalse();
        digests.mailDue(due);

        MimeMessage bobs = MAIL.await(address(bob), 1);
        assertThat(bobs.getSubject()).isEqualTo("3 new notifications while you were away");
        String text = Mailbox.text(bobs);
        assertThat(text).contains("replied to \"Lunch plans\"", "sent you messages", "mentioned you in a chat",
                base() + "/posts/" + post);
        String unsubscribe = bobs.getHeader("List-Unsubscribe")[0];
        assertThat(unsubscribe).startsWith("<" + base() + "/api/v1/email-digests/unsubscribe?user=" + bob.id());
        assertThat(bobs.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");

        String dans = Mailbox.text(MAIL.await(address(dan), 1));
        assertThat(dans).contains("sent you messages").doesNotContain("mentioned you");
        assertThat(digestQueued(cat)).as("cat is connected").isFalse();
        assertThat(digestQueued(eve)).as("eve turned digests off").isFalse();

        // Once per interval: running again (another node, a restart) adds nothing.
        digests.mailDue(due);
        digests.mailDue(due.plusSeconds(60));
        assertThat(db.sql("SELECT count(*) FROM public.mail_outbox WHERE id LIKE ?").param("digest:" + bob.id() + ":%")
                .query(Long.class).single()).isEqualTo(1);

        // The link: the page asks first, a forged one is refused, the one-click POST turns digests off.
        String link = unsubscribe.substring(1, unsubscribe.length() - 1);
        HttpClient http = HttpClient.newHttpClient();
        var page = http.send(HttpRequest.newBuilder(URI.create(link)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\"");
        var forged = http.send(HttpRequest.newBuilder(URI.create(link.replace("user=" + bob.id(), "user=" + eve.id())))
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click"))
                .header("Content-Type", "application/x-www-form-urlencoded").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(400);
        var oneClick = http.send(HttpRequest.newBuilder(URI.create(link))
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click"))
                .header("Content-Type", "application/x-www-form-urlencoded").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(oneClick.statusCode()).isEqualTo(200);
        Eventually.get(() -> bob.get("/api/v1/users/me/email-preferences").body().path("digest").asBoolean(), on -> !on,
                Duration.ofSeconds(10));
        assertThat(bob.get("/api/v1/users/me/email-preferences").body().path("digest").asBoolean()).isFalse();

        // Unsubscribed, bob gets no digest even for an interval not mailed yet.
        db.sql("DELETE FROM public.mail_outbox WHERE id LIKE ?").param("digest:" + bob.id() + ":%").update();
        digests.mailDue(due);
        assertThat(digestQueued(bob)).isFalse();
        catSocket.close();
    }
}
