package org.c18n.leaving;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.c18n.client.Api;
import org.c18n.eventlog.Commands;
import org.c18n.eventlog.ProjectionTracker;
import org.c18n.identity.UserEvents;
import org.c18n.eventlog.Topics;
import org.c18n.infra.InfrastructureConfig;
import org.c18n.infra.KafkaConnection;
import org.c18n.support.QuietLog;
import org.c18n.projection.Replayer;
import org.c18n.support.Eventually;
import org.c18n.support.PlatformTest;
import org.c18n.support.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** A person takes their data along, then deletes their account: nothing readable of them is left, replay agrees. */
class LeavingTest extends PlatformTest {
    @Autowired
    Replayer replayer;

    @Autowired
    ProjectionTracker tracker;

    @Autowired
    KafkaConnection kafka;

    @Autowired
    JdbcClient db;

    @Autowired
    Commands commands;

    record Person(Api api, String id, String username, String email, String displayName, String password) {}

    Person person(String prefix) {
        String username = unique(prefix);
        String email = username + "@leaving.example";
        String displayName = "Zelda " + UUID.randomUUID().toString().substring(0, 8) + " Quixote";
        String password = "password-" + username;
        Api api = new Api(base());
        assertThat(api.register(username, email, password, displayName).status()).isEqualTo(201);
        api.login(username, password);
        return new Person(api, api.id(), username, email, displayName, password);
    }

    @Test
    void theExportHoldsWhatThePersonWroteAndTheirFiles() throws Exception {
        Person ann = person("exp");
        Api bob = signedUp("expbob");
        String community = community(bob, ann.api());
        byte[] image = TestMedia.image("png", 30, 20, Color.ORANGE);
        String media = ann.api().upload("/api/v1/media", "a.png", "image/png", image).text("id");
        String post = ann.api().post("/api/v1/communities/" + community + "/posts",
                Map.of("title", "Exported", "body", "an exported body", "mediaIds", List.of(media))).text("id");
        ann.api().post("/api/v1/posts/" + post + "/comments", Map.of("body", "an exported comment"));
        ann.api().put("/api/v1/posts/" + post + "/reaction", Map.of("kind", "like"));
        ann.api().put("/api/v1/posts/" + post + "/reactions/%F0%9F%91%80", null);
        String room = ann.api().post("/api/v1/rooms/direct", Map.of("userId", bob.id())).text("id");
        ann.api().post("/api/v1/rooms/" + room + "/messages", Map.of("body", "an exported message"));
        ann.api().patch("/api/v1/users/me", Map.of("bio", "my exported bio"));

        HttpResponse<byte[]> response = download(ann.api().token());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/zip");
        assertThat(response.headers().firstValue("Content-Disposition").orElse("")).contains("attachment");
        Map<String, byte[]> zip = unzip(response.body());
        assertThat(zip).containsKeys("profile.json", "posts.json", "comments.json", "reactions.json", "messages.json",
                "communities.json", "groups.json", "media.json", "media/" + media + ".png");

        JsonNode profile = Api.JSON.readTree(zip.get("profile.json"));
        assertThat(profile.path("email").asString()).isEqualTo(ann.email());
        assertThat(profile.path("displayName").asString()).isEqualTo(ann.displayName());
        assertThat(profile.path("bio").asString()).isEqualTo("my exported bio");
        assertThat(Api.JSON.readTree(zip.get("posts.json")).get(0).path("body").asString()).isEqualTo("an exported body");
        assertThat(Api.JSON.readTree(zip.get("comments.json")).get(0).path("body").asString()).isEqualTo("an exported comment");
        assertThat(Api.JSON.readTree(zip.get("reactions.json")).get(0).path("targetId").asString()).isEqualTo(post);
        assertThat(Api.JSON.readTree(zip.get("emoji-reactions.json")).get(0).path("emoji").asString()).isEqualTo("👀");
        assertThat(Api.JSON.readTree(zip.get("messages.json")).get(0).path("body").asString()).isEqualTo("an exported message");
        assertThat(Api.JSON.readTree(zip.get("communities.json")).get(0).path("id").asString()).isEqualTo(community);
        assertThat(Api.JSON.readTree(zip.get("media.json")).get(0).path("file").asString()).isEqualTo("media/" + media + ".png");
        assertThat(zip.get("media/" + media + ".png")).isEqualTo(image);
        // Bob's things are not in Ann's export.
        assertThat(new String(zip.get("messages.json"), StandardCharsets.UTF_8)).doesNotContain(bob.id());

        assertThat(download(null).statusCode()).isEqualTo(401);
    }

    @Test
    void anErasedPersonLeavesNothingReadableAndReplayAgrees() throws Exception {
        Person ann = person("era");
        Api bob = signedUp("erabob");
        String community = community(bob, ann.api());
        String media = ann.api().upload("/api/v1/media", "e.png", "image/png",
                TestMedia.image("png", 31, 21, Color.MAGENTA)).text("id");
        String body = unique("a post that stays ");
        String post = ann.api().post("/api/v1/communities/" + community + "/posts",
                Map.of("title", "Stays", "body", body, "mediaIds", List.of(media))).text("id");
        ann.api().post("/api/v1/posts/" + post + "/comments", Map.of("body", "a comment that stays"));
        // What only her own events made (her avatar, her blocks, a reset request) must go live as it goes on replay.
        assertThat(ann.api().put("/api/v1/users/me/avatar", Map.of("mediaId", media)).status()).isEqualTo(200);
        Api carl = signedUp("eracarl");
        assertThat(ann.api().post("/api/v1/users/" + carl.id() + "/block", null).status()).isEqualTo(200);
        assertThat(new Api(base()).post("/api/v1/auth/password/forgot", Map.of("login", ann.username())).status())
                .isLessThan(300);
        ann.api().patch("/api/v1/users/me", Map.of("displayName", ann.displayName() + " Jr", "bio", "a bio to forget"));
        String room = ann.api().post("/api/v1/rooms/direct", Map.of("userId", bob.id())).text("id");
        ann.api().post("/api/v1/rooms/" + room + "/messages", Map.of("body", "a message that stays"));
        Eventually.get(() -> bob.get("/api/v1/search?q=" + ann.username() + "&type=users").body().path("items").size(),
                n -> n > 0, Duration.ofSeconds(10));
        // A claim of hers the projector refused (as in a race): sealed for her, so shredded with the rest.
        var refusedClaim = commands.submit(Topics.USERS, UserEvents.REGISTERED, UUID.fromString(ann.id()),
                UserEvents.usernameClaim(bob.get("/api/v1/users/me").text("username")),
                new UserEvents.Registered(UUID.fromString(ann.id()), bob.get("/api/v1/users/me").text("username"),
                        unique("x") + "@leaving.example", null, ann.displayName(), "user", null, null));
        assertThat(refusedClaim.rejection()).contains("username-taken");
        // The log never held Ann's personal data in clear: her events on the users topic are sealed.
        assertThat(clearRecordsMentioning(ann.email())).isEmpty();

        var refused = ann.api().send("DELETE", "/api/v1/users/me", Map.of("password", "not-her-password"));
        assertThat(refused.status()).isEqualTo(403);
        var erased = ann.api().send("DELETE", "/api/v1/users/me", Map.of("password", ann.password()));
        assertThat(erased.status()).isEqualTo(204);

        // Her sessions ended; she cannot sign in; her name and e-mail are free for someone else.
        assertThat(ann.api().get("/api/v1/users/me").status()).isEqualTo(401);
        assertThat(new Api(base()).post("/api/v1/auth/login", Map.of("username", ann.username(), "password", ann.password()))
                .status()).isEqualTo(401);
        // What she wrote stays, by "Deleted user"; her upload is gone.
        JsonNode shown = bob.get("/api/v1/users/" + ann.id()).body();
        assertThat(shown.path("displayName").asString()).isEqualTo("Deleted user");
        assertThat(shown.toString()).doesNotContain(ann.username()).doesNotContain(ann.displayName());
        JsonNode stays = bob.get("/api/v1/posts/" + post).body();
        assertThat(stays.path("body").asString()).isEqualTo(body);
        assertThat(stays.toString()).doesNotContain(ann.displayName()).contains("Deleted user");
        assertThat(bob.get("/api/v1/media/" + media).status()).isEqualTo(404);
        assertThat(bob.get("/api/v1/users/" + ann.id() + "/avatar?size=48").header("Content-Type")).contains("svg");
        assertThat(db.sql("SELECT count(*) FROM user_blocks WHERE user_id = ?::uuid").param(ann.id()).query(Long.class)
                .single()).isZero();
        assertThat(Eventually.get(() -> bob.get("/api/v1/search?q=" + ann.username() + "&type=users").body()
                .path("items").size(), n -> n == 0, Duration.ofSeconds(10))).isZero();
        assertThat(bob.get("/api/v1/users?q=" + ann.username()).body().path("items").size()).isZero();
        // Deleting again finds nobody.
        assertThat(admin().delete("/api/v1/admin/users/" + ann.id()).status()).isEqualTo(404);
        assertThat(new Api(base()).register(ann.username(), ann.email(), "another-password", null).status()).isEqualTo(201);

        // Neither the audit table nor any record of the log, decompressed (the speed layer's topics included), holds her e-mail or name.
        assertThat(db.sql("SELECT count(*) FROM events WHERE data::text LIKE ? OR data::text LIKE ?")
                .params("%" + ann.email() + "%", "%" + ann.displayName() + "%").query(Long.class).single()).isZero();
        QuietLog.await(kafka);
        assertThat(clearRecordsMentioning(body)).as("the scan reads the log: her post is there").isNotEmpty();
        // The new account registered with her e-mail and name has its own events; hers were sealed and are shredded.
        assertThat(clearRecordsMentioning(ann.displayName())).isEmpty();
        assertThat(clearRecordsMentioning("a bio to forget")).isEmpty();
        assertThat(clearRecordsMentioning(ann.username())).as("her username, not even as a record key").isEmpty();

        // Replay: the rebuilt views equal the live ones, Ann "Deleted user" in both.
        Replayer.Summary summary = replayer.rebuild("c18n_leavingtest", n -> {});
        summary.endOffsets().forEach((partition, end) -> {
            if (end > 0) {
                assertThat(tracker.awaitApplied(partition.topic(), partition.partition(), end - 1, Duration.ofSeconds(10)))
                        .isTrue();
            }
        });
        assertThat(replayer.checksums("c18n_leavingtest")).isEqualTo(replayer.checksums(InfrastructureConfig.VIEW_SCHEMA));
        assertThat(db.sql("SELECT display_name FROM c18n_leavingtest.users WHERE id = ?::uuid").param(ann.id())
                .query(String.class).single()).isEqualTo("Deleted user");
        db.sql("DROP SCHEMA c18n_leavingtest CASCADE").update();
    }

    @Test
    void wrongConfirmationsAreLimitedAndTheAccountStays() {
        Person dora = person("lim");
        for (int i = 0; i < 5; i++) {
            assertThat(dora.api().send("DELETE", "/api/v1/users/me", Map.of("password", "guess-" + i)).status())
                    .isEqualTo(403);
        }
        var limited = dora.api().send("DELETE", "/api/v1/users/me", Map.of("password", "guess-6"));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isNotNull();
        assertThat(dora.api().send("DELETE", "/api/v1/users/me", Map.of("password", List.of("x"))).status()).isEqualTo(400);
        assertThat(dora.api().get("/api/v1/users/me").text("email")).isEqualTo(dora.email());
    }

    @Test
    void anAdminDeletesAnAccount() {
        Person carl = person("adm");
        Api admin = admin();
        assertThat(carl.api().delete("/api/v1/admin/users/" + admin.id()).status()).isEqualTo(403);
        assertThat(admin.delete("/api/v1/admin/users/" + carl.id()).status()).isEqualTo(204);
        assertThat(carl.api().get("/api/v1/users/me").status()).isEqualTo(401);
        assertThat(admin.get("/api/v1/users/" + carl.id()).body().path("displayName").asString()).isEqualTo("Deleted user");
        assertThat(admin.get("/api/v1/users/" + carl.id()).body().path("email").asString()).isEmpty();
    }

    private HttpResponse<byte[]> download(String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/api/v1/users/me/export"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Map<String, byte[]> unzip(byte[] bytes) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }

    /**
     * Every record in the embedded broker's segment files on disk (all topics, batches
     * decompressed) whose key or value holds {@code text}, as "topic file: value".
     */
    private static List<String> clearRecordsMentioning(String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<Path> segments;
        try (var files = Files.walk(dataDir().resolve("kafka"))) {
            segments = files.filter(p -> p.getFileName().toString().endsWith(".log")).toList();
        }
        assertThat(segments).isNotEmpty();
        List<String> found = new java.util.ArrayList<>();
        for (Path segment : segments) {
            byte[] raw = Files.readAllBytes(segment);
            if (contains(raw, needle)) {
                found.add(segment + ": raw bytes");
            }
            // A snapshot of the segment's bytes: the broker may be appending to the file meanwhile.
            try {
                for (RecordBatch batch : MemoryRecords.readableRecords(ByteBuffer.wrap(raw)).batches()) {
                    for (Record record : batch) {
                        if (contains(bytes(record.value()), needle) || contains(bytes(record.key()), needle)) {
                            found.add(segment.getParent().getFileName() + ": " + new String(bytes(record.value()), StandardCharsets.UTF_8));
                        }
                    }
                }
            } catch (org.apache.kafka.common.KafkaException e) {
                // A batch cut off at the snapshot's end: what was read before it counts.
            }
        }
        return found;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return new byte[0];
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

}
