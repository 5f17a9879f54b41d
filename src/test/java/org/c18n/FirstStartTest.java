package org.c18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.c18n.client.Api;
import org.c18n.support.Accounts;
import org.c18n.support.ChildPlatform;
import org.c18n.support.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first start as a person makes it, in a JVM of its own with the platform's logging (not the
 * tests'): the terminal shows the URL, the admin account (which then signs in) and where the full
 * log is, and no more than a handful of lines; the log file under the data dir has the rest and
 * no error; and the speed layer is up when the node says it is ready, so a reply's notification
 * comes at once rather than after a rebalance.
 */
class FirstStartTest {
    @TempDir
    Path dir;

    @Test
    void aFirstStartShowsWhatAPersonNeedsLogsNoErrorAndNotifiesAtOnce() throws Exception {
        int port = ChildPlatform.freePort();
        Path dataDir = dir.resolve("data");
        // The main classes and libraries, without the tests' logback-test.xml.
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(java.io.File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ChildPlatform.JDK_OPTIONS);
        command.addAll(List.of("-Xmx768m", "-cp", classpath, "org.c18n.C18nApplication", "--server.port=" + port,
                "--management.server.port=" + ChildPlatform.freePort(), "--c18n.hub.port=0", "--c18n.data-dir=" + dataDir));
        Process node = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> terminal = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))
                .lines().forEach(terminal::add));
        reader.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (terminal.stream().noneMatch(line -> line.contains("c18n is ready at"))) {
                assertThat(node.isAlive()).as("the node exited: %s", terminal).isTrue();
                assertThat(System.nanoTime()).as("not ready in 180 s: %s", terminal).isLessThan(deadline);
                Thread.sleep(100);
            }
            Thread.sleep(200); // the rest of the banner
            String shown = String.join("\n", terminal);
            String base = "http://localhost:" + port;
            assertThat(shown).contains("c18n is ready at " + base + "/");
            Matcher admin = Pattern.compile("Admin account: (\\S+) / (\\S+)").matcher(shown);
            assertThat(admin.find()).as(shown).isTrue();
            Api adminApi = new Api(base).login(admin.group(1), admin.group(2));
            assertThat(adminApi.get("/api/v1/analytics/totals").status()).isEqualTo(200);
            // No SMTP configured: the web app is told not to offer mail, the admin is told why, a reset by mail is refused.
            assertThat(new Api(base).get("/api/v1/config").body().path("mail").asBoolean()).isFalse();
            assertThat(adminApi.get("/api/v1/admin/mail").text("reason")).contains("no mail is sent");
            assertThat(new Api(base).post("/api/v1/auth/password/forgot", Map.of("login", "admin")).status())
                    .isBetween(400, 499);
            Path log = dataDir.resolve("logs").resolve("c18n.log").toAbsolutePath().normalize();
            assertThat(shown).contains("Full log: " + log);

            // At once: a reply notifies the post's author within a second.
            Api ann = Accounts.signedUp(base, "firstann");
            Api bob = Accounts.signedUp(base, "firstbob");
            String community = ann.post("/api/v1/communities", Map.of("name", "First")).text("id");
            String post = ann.post("/api/v1/communities/" + community + "/posts", Map.of("body", "Hello")).text("id");
            assertThat(bob.post("/api/v1/communities/" + community + "/join", null).status()).isLessThan(300);
            Socket inbox = Socket.connect(ann);
            inbox.await("hello");
            long replied = System.nanoTime();
            assertThat(bob.post("/api/v1/posts/" + post + "/comments", Map.of("body", "Hi")).status()).isEqualTo(201);
            inbox.await("notification");
            long millis = (System.nanoTime() - replied) / 1_000_000;
            System.out.printf("First start: reply notified in %d ms; terminal:%n%s%n", millis, shown);
            assertThat(millis).as("notification after the reply, ms").isLessThan(1000);
            inbox.close();

            node.destroy();
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
            reader.join(5000);
            List<String> printed = terminal.stream().filter(line -> !line.isBlank()).toList();
            assertThat(printed).as("the terminal").noneMatch(line -> line.contains("ERROR")).hasSizeLessThanOrEqualTo(6);
            List<String> logged = Files.readAllLines(log);
            assertThat(logged).as("the log file").anyMatch(line -> line.contains("Started C18nApplication"))
                    .noneMatch(line -> line.contains(" ERROR "));
        } finally {
            node.destroyForcibly().waitFor();
        }
    }
}
