package org.c18n.eventlog;

import org.c18n.client.Api;
import org.c18n.infra.InfrastructureConfig;
import org.c18n.infra.KafkaConnection;
import org.c18n.support.QuietLog;
import org.c18n.projection.Replayer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Views rebuilt from the log equal the live views, table by table. */
class ReplayTest extends PlatformTest {

    @Autowired
    Replayer replayer;

    @Autowired
    ProjectionTracker tracker;

    @Autowired
    JdbcClient db;

    @Autowired
    Commands commands;

    @Autowired
    KafkaConnection kafka;

    @Test
    void rebuildingFromTheLogGivesTheSameViews() throws Exception {
        Api ann = signedUp("rann");
        Api bob = signedUp("rbob");
        String open = ann.post("/api/v1/communities", Map.of("name", unique("Replay open "), "tags", List.of("replay")))
                .text("id");
        String closed = ann.post("/api/v1/communities", Map.of("name", unique("Replay closed "), "visibility", "private"))
                .text("id");
        bob.post("/api/v1/communities/" + open + "/join", null);
        String invite = ann.post("/api/v1/communities/" + closed + "/invites", Map.of("userId", bob.id())).text("id");
        bob.post("/api/v1/invites/" + invite + "/accept", null);
        ann.post("/api/v1/communities/" + closed + "/usergroups", Map.of("name", "core", "memberIds", List.of(bob.id())));
        ann.patch("/api/v1/users/me", Map.of("bio", "replayed", "interests", List.of("replay")));
        bob.post("/api/v1/communities/" + open + "/leave", null);
        // Posts, comments, reactions, shares and media metadata.
        var media = ann.upload("/api/v1/media", "r.png", "image/png", org.c18n.support.TestMedia.image("png", 30, 20,
                java.awt.Color.ORANGE));
        // A video with its poster (media.uploaded posterOf), and an upload written before events named a poster.
        String video = ann.upload("/api/v1/media", "v.webm", "video/webm", org.c18n.support.TestMedia.webm(5_000))
                .text("id");
        assertThat(ann.upload("/api/v1/media?poster=" + video, "p.png", "image/png", org.c18n.support.TestMedia.image(
                "png", 32, 18, java.awt.Color.GRAY)).status()).isEqualTo(201);
        java.util.UUID older = Uuids.v7();
        commands.submit(Topics.MEDIA, org.c18n.media.MediaEvents.UPLOADED, java.util.UUID.fromString(ann.id()),
                older.toString(), Map.of("mediaId", older, "ownerId", ann.id(), "sha256", "0".repeat(64),
                        "contentType", "image/png", "kind", "image", "size", 10, "thumbnail", false));
        String post = ann.post("/api/v1/communities/" + open + "/posts", Map.of("title", "Replayed", "body", "text",
                "mediaIds", List.of(media.text("id")))).text("id");
        ann.patch("/api/v1/posts/" + post, Map.of("body", "edited text"));
        String comment = ann.post("/api/v1/posts/" + post + "/comments", Map.of("body", "c1")).text("id");
        ann.post("/api/v1/posts/" + post + "/comments", Map.of("body", "reply", "parentId", comment));
        ann.put("/api/v1/posts/" + post + "/reaction", Map.of("kind", "like"));
        ann.put("/api/v1/posts/" + post + "/comments/" + comment + "/reaction", Map.of("kind", "dislike"));
        ann.put("/api/v1/posts/" + post + "/comments/" + comment + "/pin", Map.of("pinned", true));
        // Emoji reactions: added, one taken back, one repeated (which changes nothing).
        String thumbs = java.net.URLEncoder.encode("👍", java.nio.charset.StandardCharsets.UTF_8);
        String party = java.net.URLEncoder.encode("🎉", java.nio.charset.StandardCharsets.UTF_8);
        ann.put("/api/v1/posts/" + post + "/reactions/" + thumbs, null);
        ann.put("/api/v1/posts/" + post + "/reactions/" + party, null);
        ann.put("/api/v1/posts/" + post + "/reactions/" + party, null);
        ann.delete("/api/v1/posts/" + post + "/reactions/" + thumbs);
        ann.put("/api/v1/posts/" + post + "/comments/" + comment + "/reactions/" + thumbs, null);
        ann.post("/api/v1/posts/" + post + "/shares", Map.of("communityId", closed, "comment", "see"));
        String gone = ann.post("/api/v1/communities/" + open + "/posts", Map.of("body", "to delete")).text("id");
        ann.delete("/api/v1/posts/" + gone);
        // A community archived, unarchived and archived again; another deleted with its post.
        String archived = ann.post("/api/v1/communities", Map.of("name", unique("Replay archived "))).text("id");
        ann.post("/api/v1/communities/" + archived + "/archive", null);
        ann.post("/api/v1/communities/" + archived + "/unarchive", null);
        ann.post("/api/v1/communities/" + archived + "/archive", null);
        String droppedName = unique("Replay deleted ");
        String dropped = ann.post("/api/v1/communities", Map.of("name", droppedName)).text("id");
        ann.post("/api/v1/communities/" + dropped + "/posts", Map.of("body", "goes with it"));
        assertThat(ann.delete("/api/v1/communities/" + dropped + "?confirm="
                + java.net.URLEncoder.encode(droppedName, java.nio.charset.StandardCharsets.UTF_8)).status()).isEqualTo(200);

        // Derived by the speed layer: a reply notification (bob answers ann), a report and a flagged link-spam comment.
        bob.post("/api/v1/communities/" + open + "/join", null);
        bob.post("/api/v1/posts/" + post + "/comments", Map.of("body", "an answer"));
        bob.post("/api/v1/posts/" + post + "/reports", Map.of("reason", "replayed report"));
        bob.post("/api/v1/posts/" + post + "/comments", Map.of("body",
                "http://1.example http://2.example http://3.example http://4.example http://5.example"));
        org.c18n.support.Eventually.items(ann, "/api/v1/notifications", 1);
        org.c18n.support.Eventually.items(ann, "/api/v1/moderation/queue?community=" + open, 1);
        ann.post("/api/v1/notifications/read", Map.of());

        // Chat: a direct room, messages (one edited, one deleted) and a read marker.
        String direct = ann.post("/api/v1/rooms/direct", Map.of("userId", bob.id())).text("id");
        String hello = ann.post("/api/v1/rooms/" + direct + "/messages", Map.of("body", "hello")).text("id");
        var answer = bob.post("/api/v1/rooms/" + direct + "/messages", Map.of("body", "hi", "replyTo", hello));
        ann.patch("/api/v1/rooms/" + direct + "/messages/" + hello, Map.of("body", "hello!"));
        bob.delete("/api/v1/rooms/" + direct + "/messages/" + answer.text("id"));
        ann.post("/api/v1/rooms/" + direct + "/read", Map.of("seq", answer.body().path("seq").asLong()));
        bob.put("/api/v1/rooms/" + direct + "/messages/" + hello + "/reactions/" + party, null);
        bob.put("/api/v1/rooms/" + direct + "/messages/" + hello + "/reactions/" + thumbs, null);
        bob.delete("/api/v1/rooms/" + direct + "/messages/" + hello + "/reactions/" + thumbs);

        // A name claimed twice (as in a race the pre-check cannot see): the projector rejects the
        // second claim, and replay must reject it again.
        var duplicate = commands.submit(Topics.USERS, "user.registered", null, "username:admin",
                new org.c18n.identity.UserEvents.Registered(Uuids.v7(), "admin", "other@example.org", null, "Other",
                        "user", null, null));
        assertThat(duplicate.rejection()).contains("username-taken");

        QuietLog.await(kafka);
        Replayer.Summary summary = replayer.rebuild("c18n_replaytest", n -> {});
        assertThat(summary.records()).isGreaterThan(10);
        summary.endOffsets().forEach((partition, end) -> {
            if (end > 0) {
                assertThat(tracker.awaitApplied(partition.topic(), partition.partition(), end - 1, Duration.ofSeconds(10)))
                        .isTrue();
            }
        });

        assertThat(db.sql("SELECT count(*) FROM media WHERE id = ? OR poster_of = ?").params(older,
                java.util.UUID.fromString(video)).query(Integer.class).single()).isEqualTo(2);
        assertThat(db.sql("SELECT count(*) FROM c18n_replaytest.media WHERE id = ? OR poster_of = ?").params(older,
                java.util.UUID.fromString(video)).query(Integer.class).single()).isEqualTo(2);
        Map<String, String> live = replayer.checksums(InfrastructureConfig.VIEW_SCHEMA);
        Map<String, String> rebuilt = replayer.checksums("c18n_replaytest");
        assertThat(rebuilt).isEqualTo(live);
        // Every table the view migrations create is compared, none listed by hand.
        assertThat(live.keySet()).containsExactlyInAnyOrderElementsOf(tablesCreatedByViewMigrations());
        assertThat(live.get("communities")).doesNotStartWith("0:");
        assertThat(live.get("usergroup_members")).doesNotStartWith("0:");
        assertThat(live.get("event_rejections")).doesNotStartWith("0:");
        for (String table : List.of("posts", "comments", "reactions", "media", "direct_rooms", "messages",
                "read_markers", "notifications", "reports", "moderation_queue", "emoji_reactions")) {
            assertThat(live.get(table)).as(table).doesNotStartWith("0:");
        }
        db.sql("DROP SCHEMA c18n_replaytest CASCADE").update();
    }

    private static Set<String> tablesCreatedByViewMigrations() throws IOException {
        Set<String> tables = new TreeSet<>();
        Pattern createTable = Pattern.compile("(?i)create table (?:if not exists )?(\\w+)");
        for (var migration : new PathMatchingResourcePatternResolver().getResources("classpath:db/views/*.sql")) {
            var matcher = createTable.matcher(migration.getContentAsString(StandardCharsets.UTF_8));
            while (matcher.find()) {
                tables.add(matcher.group(1).toLowerCase());
            }
        }
        return tables;
    }
}
