package org.c18n.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.c18n.client.Api;
import org.c18n.infra.KafkaConnection;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The generator and the emulator against the running platform, through its real API, socket and log. */
class WorkloadTest extends PlatformTest {
    @Autowired
    KafkaConnection kafka;

    @Autowired
    DataSource dataSource;

    @TempDir
    Path dir;

    final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void seedFillsThePlatformThroughTheApiWithThreadsMediaAndChats() {
        var options = SeedOptions.parse(new String[] {"--url", base() + "/", "--users", "14", "--communities", "3",
                "--groups", "2", "--items", "140", "--seed", "42", "--concurrency", "4",
                "--weights", "posts=30,images=10,videos=5,comments=30,reactions=15,shares=5,messages=15"});
        Seed seed = new Seed(options, out);
        long failed = seed.run();
        assertThat(failed).as(printed()).isZero();
        for (String kind : List.of("users", "communities", "memberships", "groups", "posts", "images", "videos", "comments",
                "reactions", "shares", "messages", "total")) {
            assertThat(printed()).as("summary row " + kind).containsPattern("(?m)^" + kind + " +[0-9,]+ +0 ");
        }

        Api admin = admin();
        List<JsonNode> seeded = seed.communityIds().stream()
                .map(id -> admin.get("/api/v1/communities/" + id).body()).toList();
        assertThat(seeded).hasSize(3);
        assertThat(seeded).anySatisfy(c -> assertThat(c.path("memberCount").asInt()).isGreaterThan(2));
        assertThat(seeded).allSatisfy(c -> assertThat(c.path("tags")).isNotEmpty());

        List<JsonNode> posts = new ArrayList<>();
        for (JsonNode community : seeded) {
            admin.get("/api/v1/communities/" + community.path("id").asString() + "/posts?limit=100").body().path("items")
                    .forEach(posts::add);
        }
        List<JsonNode> media = new ArrayList<>();
        posts.forEach(p -> p.path("media").forEach(media::add));
        assertThat(media).anySatisfy(m -> assertThat(m.path("kind").asString()).isEqualTo("image"));
        JsonNode video = media.stream().filter(m -> m.path("kind").asString().equals("video")).findFirst().orElseThrow();
        var clip = new Api(base()).token(admin.token()).get(video.path("url").asString());
        assertThat(clip.status()).isEqualTo(200);
        assertThat(clip.header("Content-Type")).startsWith("video/webm");
        assertThat(posts).anySatisfy(p -> assertThat(p.path("commentCount").asInt()).isPositive());
        assertThat(posts).anySatisfy(p -> assertThat(p.path("likeCount").asInt()).isPositive());
        assertThat(posts).anySatisfy(p -> assertThat(p.path("body").asString()).hasSizeGreaterThan(60));
    }

    @Test
    void emulatedUsersActChatAndReportEveryAction() throws Exception {
        Path report = dir.resolve("report.json");
        var options = EmulateOptions.parse(new String[] {"--url", base(), "--users", "6", "--duration", "8s", "--rate", "12",
                "--report", report.toString(), "--seed", "5", "--concurrency", "8",
                "--mix", "browse=3,read=2,comment=2,react=2,share=1,post=2,media=1,join=1,invite=1,chat=4,search=1"});
        int exit = new Emulator(options, out).run();
        assertThat(exit).as(printed()).isZero();
        assertThat(printed()).contains("actions/s", "p99", "socket deliveries");
        JsonNode json = Api.JSON.readTree(Files.readString(report));
        assertThat(json.path("errors").asLong()).as(printed()).isZero();
        assertThat(json.path("actions").asLong()).isGreaterThan(60);
        assertThat(json.path("byAction").path("chat").path("count").asInt()).isPositive();
        assertThat(json.path("byAction").path("chat").path("p99Ms").asDouble()).isPositive();
        assertThat(json.path("socketDeliveries").asLong()).isPositive(); // both ends of each conversation are connected
        assertThat(json.path("byAction").properties()).hasSize(11);
    }

    @Test
    void peopleWhoseSignUpIsStillBeingAppliedSignInOnceItIs() throws Exception {
        var options = EmulateOptions.parse(new String[] {"--url", base(), "--users", "2", "--duration", "2s", "--rate", "2",
                "--seed", "11", "--mix", "browse=1", "--report", dir.resolve("report.json").toString()});
        int exit;
        try (Connection projectorHeld = dataSource.getConnection()) {
            // While the projector's offsets are locked nothing is applied: the sign-ups are answered 202.
            projectorHeld.setAutoCommit(false);
            projectorHeld.createStatement().execute("LOCK TABLE projector_offsets IN EXCLUSIVE MODE");
            // Not on the common pool, whose one worker (2 cores) completes the JDK's WebSocket openings.
            var run = new java.util.concurrent.FutureTask<>(() -> new Emulator(options, out).run());
            new Thread(run, "emulator").start();
            Thread.sleep(3_500);
            projectorHeld.rollback();
            exit = run.get();
        }
        assertThat(exit).as(printed()).isZero();
        assertThat(printed()).doesNotContain("Sign-up failed");
    }

    @Test
    void aRampBringsTheAccountsInStepsAndSaysHowManyItHeld() throws Exception {
        var accounts = SeedOptions.parse(new String[] {"--fast", "--bootstrap", kafka.bootstrapServers(),
                "--kafka-properties", org.c18n.infra.EmbeddedKafkaBroker.clientPropertiesFile(dataDir().resolve("kafka")).toString(),
                "--url", base() + "/", "--users", "12", "--communities", "2", "--posts", "30", "--seed", "78"});
        assertThat(FastSeed.run(accounts, out)).as(printed()).isZero();
        // An erased member stays listed, as "Deleted user": the ramp must not try to act as them.
        Api owner = signedUp("owner");
        Api leaver = signedUp("leaver");
        String open = community(owner, leaver);
        String leaverId = leaver.get("/api/v1/users/me").text("id");
        Api admin = admin();
        assertThat(admin.delete("/api/v1/admin/users/" + leaverId).status()).isEqualTo(204);
        org.c18n.support.Eventually.get(() -> admin.get("/api/v1/communities/" + open + "/members?limit=100").body(),
                members -> members.path("items").toString().contains("deleted-" + leaverId), java.time.Duration.ofSeconds(30));
        Path report = dir.resolve("ramp.json");
        var options = EmulateOptions.parse(new String[] {"--url", base(), "--admin", "admin:admin-password", "--users", "8",
                "--ramp", "4/3s", "--pace", "1s", "--warm-up", "0s", "--duration", "30s", "--stop-p99", "10s", "--report", report.toString(),
                "--seed", "6", "--concurrency", "8"});
        int exit = new Emulator(options, out).run();
        assertThat(exit).as(printed()).isZero();
        assertThat(printed()).contains("== step 1: 4 people", "== step 2: 8 people", "Held 8 people")
                .containsPattern("Found [0-9,]+ accounts in the platform's communities \\([1-9][0-9,]* erased left out");
        JsonNode json = Api.JSON.readTree(Files.readString(report));
        assertThat(json.path("ramp").path("held").asInt()).isEqualTo(8);
        assertThat(json.path("ramp").path("steps")).hasSize(3); // the last one with everyone acting
        assertThat(json.path("errors").asLong()).as(printed()).isZero();
        assertThat(json.path("actions").asLong()).as("about 4 a second, then 8").isGreaterThan(30);
        assertThatThrownBy(() -> EmulateOptions.parse(new String[] {"--ramp", "lots"})).hasMessageContaining("--ramp: 'lots'");
    }

    @Test
    void fastSeedWritesStraightIntoTheLogAndWaitsForThePlatform() {
        var options = SeedOptions.parse(new String[] {"--fast", "--bootstrap", kafka.bootstrapServers(),
                "--kafka-properties", org.c18n.infra.EmbeddedKafkaBroker.clientPropertiesFile(dataDir().resolve("kafka")).toString(), "--url", base() + "/",
                "--users", "30", "--communities", "4", "--posts", "3000", "--seed", "77"});
        int exit = FastSeed.run(options, out);
        assertThat(exit).as(printed()).isZero();
        assertThat(printed()).containsPattern("Wrote [0-9,]+ events in [0-9.]+ s: [0-9,]+ events/s \\(3,000 posts");
        assertThat(printed()).contains("Applied: all");
    }

    @Test
    void badOptionsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> SeedOptions.parse(new String[] {"--users", "many"})).hasMessageContaining("--users: 'many'");
        assertThatThrownBy(() -> SeedOptions.parse(new String[] {"--weights", "posts=5,gifs=2"}))
                .hasMessageContaining("unknown kind 'gifs'");
        assertThatThrownBy(() -> SeedOptions.parse(new String[] {"--colour", "red"})).hasMessageContaining("unknown option --colour");
        assertThatThrownBy(() -> EmulateOptions.parse(new String[] {"--duration", "soon"})).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> EmulateOptions.parse(new String[] {"--users", "1"})).hasMessageContaining("at least 2");
        Path yaml = dir.resolve("seed.yaml");
        try {
            Files.writeString(yaml, "users: 12\nweights: {posts: 5, videos: 1}\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        var fromFile = SeedOptions.parse(new String[] {"--config", yaml.toString(), "--items", "60"});
        assertThat(fromFile.users()).isEqualTo(12);
        assertThat(fromFile.counts()).containsEntry("posts", 50L).containsEntry("videos", 10L).containsEntry("comments", 0L);
        assertThat(fromFile.url()).isEqualTo(URI.create(SeedOptions.defaultUrl()));
    }
}
