package org.c18n.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.c18n.client.Api;
import org.c18n.support.Accounts;
import org.c18n.support.ChildPlatform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The platform is killed ({@code kill -9}) while clients write; after a restart on the same
 * data dir every write that was answered 201 or 202 is in the views, and none is applied twice.
 */
class CrashTest {
    final Path dataDir = Path.of("target", "test-data", "crash-" + UUID.randomUUID());
    ChildPlatform platform;

    @AfterEach
    void stop() throws Exception {
        if (platform != null) {
            platform.stop();
        }
        killOrphanedPostgres();
    }

    @Test
    void acknowledgedWritesSurviveAKill9() throws Exception {
        platform = new ChildPlatform(dataDir.resolveSibling(dataDir.getFileName() + ".log"), ChildPlatform.freePort(),
                "--c18n.data-dir=" + dataDir.toAbsolutePath(), "--c18n.admin.username=admin",
                "--c18n.admin.password=crash-admin-password").start();
        String base = platform.base();
        Api owner = Accounts.signedUp(base, "crashowner");
        Api member = Accounts.signedUp(base, "crashmember");

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> joinedAcknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int c = 0; c < 4; c++) {
            int client = c;
            clients.submit(() -> {
                for (int i = 0; writing.get(); i++) {
                    String name = "Crash " + client + " " + i;
                    var created = owner.post("/api/v1/communities", Map.of("name", name));
                    if (created.status() == 0) {
                        return; // the connection is lost
                    }
                    if (created.status() == 201 || created.status() == 202) {
                        acknowledged.add(name);
                    }
                    if (created.status() == 201) {
                        var joined = member.post("/api/v1/communities/" + created.text("id") + "/join", null);
                        if (joined.status() == 200 || joined.status() == 202) {
                            joinedAcknowledged.add(name);
                        }
                    }
                }
            });
        }
        Thread.sleep(4000);
        platform.kill();
        writing.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(acknowledged).hasSizeGreaterThan(10);

        platform.start();
        Api ownerAgain = new Api(base).login("crashowner", "password-crashowner");
        List<JsonNode> communities = listOwned(ownerAgain);

        Set<String> names = new HashSet<>();
        for (JsonNode community : communities) {
            assertThat(names.add(community.path("name").asString())).as("listed once").isTrue();
            int members = ownerAgain.get("/api/v1/communities/" + community.path("id").asString() + "/members?limit=100")
                    .body().path("items").size();
            // A join applied twice would count a member twice.
            assertThat(community.path("memberCount").asInt()).isEqualTo(members);
        }
        assertThat(names).containsAll(acknowledged);
        for (JsonNode community : communities) {
            if (joinedAcknowledged.contains(community.path("name").asString())) {
                assertThat(community.path("memberCount").asInt()).isEqualTo(2);
            }
        }
        System.out.printf("crash test: %d writes acknowledged before kill -9, %d communities after restart%n",
                acknowledged.size(), names.size());

        // The restarted node takes its projector partitions back at once (static membership):
        // new writes are read-your-writes again straight away, not 202 while a dead session expires.
        for (int i = 0; i < 5; i++) {
            var created = ownerAgain.post("/api/v1/communities", Map.of("name", "After restart " + i));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }

        // `c18n replay` (platform stopped) rebuilds the views from the log, finds them equal to the
        // live ones table by table (nothing lost, nothing doubled), and puts them in place.
        platform.stop();
        Process replay = new ProcessBuilder(platform.command(List.of("replay"))).redirectErrorStream(true).start();
        String output = new String(replay.getInputStream().readAllBytes());
        assertThat(replay.waitFor()).as(output).isZero();
        assertThat(output).containsPattern("Replayed \\d+ events").contains("communities").doesNotContain("differences");
        platform.start();
        List<JsonNode> rebuilt = listOwned(new Api(base).login("crashowner", "password-crashowner"));
        assertThat(rebuilt.stream().map(c -> c.path("name").asString())).containsAll(acknowledged).doesNotHaveDuplicates();
        assertThat(rebuilt.size()).isGreaterThanOrEqualTo(names.size() + 5);
    }

    static List<JsonNode> listOwned(Api owner) {
        List<JsonNode> communities = new ArrayList<>();
        String cursor = null;
        do {
            var page = owner.get("/api/v1/communities?mine=true&limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
            page.body().path("items").forEach(communities::add);
            cursor = page.body().path("nextCursor").isNull() ? null : page.body().path("nextCursor").asString();
        } while (cursor != null);
        return communities;
    }

    void killOrphanedPostgres() throws IOException {
        Path pid = dataDir.resolve("postgres").resolve("postmaster.pid");
        if (Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).trim())).ifPresent(ProcessHandle::destroy);
        }
    }

}
