package org.c18n.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.c18n.client.Api;
import org.c18n.infra.EmbeddedKafkaBroker;
import org.c18n.support.Accounts;
import org.c18n.support.ChildPlatform;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Changing a password, and an admin setting one (web API and the `c18n admin` command): the other sessions end at once. */
class PasswordTest extends PlatformTest {
    @Autowired
    HikariDataSource dataSource;

    @Test
    void changingThePasswordSignsOutEveryOtherSessionButKeepsThisOne() {
        String name = unique("chpw");
        Api here = Accounts.signedUp(base(), name);
        Api elsewhere = new Api(base()).login(name, Accounts.password(name));
        assertThat(elsewhere.get("/api/v1/users/me").status()).isEqualTo(200); // its token is verified (and cached) once

        var wrong = here.post("/api/v1/users/me/password", Map.of("currentPassword", "not it", "newPassword", "a fresh lantern by the quay"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.problem()).isEqualTo("400 wrong-password");
        var weak = here.post("/api/v1/users/me/password", Map.of("currentPassword", Accounts.password(name), "newPassword", "password1"));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.problem()).isEqualTo("400 weak-password");
        assertThat(elsewhere.get("/api/v1/users/me").status()).as("refusals change nothing").isEqualTo(200);

        var changed = here.post("/api/v1/users/me/password",
                Map.of("currentPassword", Accounts.password(name), "newPassword", "a fresh lantern by the quay"));
        assertThat(changed.status()).isEqualTo(204);

        assertThat(here.get("/api/v1/users/me").status()).as("this session stays").isEqualTo(200);
        assertThat(elsewhere.get("/api/v1/users/me").status()).as("the other session's token ends at once").isEqualTo(401);
        assertThat(new Api(base()).post("/api/v1/auth/login", Map.of("username", name, "password", Accounts.password(name)))
                .status()).isEqualTo(401);
        new Api(base()).login(name, "a fresh lantern by the quay");
    }

    @Test
    void anAdminSetsAPasswordAndTheUserIsSignedOutEverywhere() {
        String name = unique("adpw");
        Api user = Accounts.signedUp(base(), name);
        String id = user.id();
        Api other = signedUp("notadmin");

        assertThat(other.post("/api/v1/admin/users/" + id + "/password", Map.of()).status()).isEqualTo(403);
        assertThat(admin().post("/api/v1/admin/users/" + id + "/password", Map.of("password", "123456")).problem())
                .isEqualTo("400 weak-password");

        var reset = admin().post("/api/v1/admin/users/" + id + "/password", Map.of());
        assertThat(reset.status()).isEqualTo(200);
        String generated = reset.text("password");
        assertThat(generated).hasSize(16);
        assertThat(reset.body().get("sessionsEnded").asInt()).isEqualTo(1);
        assertThat(user.get("/api/v1/users/me").status()).isEqualTo(401);
        new Api(base()).login(name, generated);

        var chosen = admin().post("/api/v1/admin/users/" + id + "/password", Map.of("password", "copper kettles sing at dawn"));
        assertThat(chosen.status()).isEqualTo(200);
        assertThat(chosen.body().has("password")).as("a chosen password is not echoed").isFalse();
        new Api(base()).login(name, "copper kettles sing at dawn");
        assertThat(new Api(base()).post("/api/v1/auth/login", Map.of("username", name, "password", generated)).status())
                .isEqualTo(401);
    }

    @Test
    void theEmailAddressChangesWithThePassword() {
        String name = unique("chmail");
        Api user = Accounts.signedUp(base(), name);
        String taken = unique("taken");
        Accounts.signedUp(base(), taken);

        assertThat(user.post("/api/v1/users/me/email", Map.of("email", name + "@new.example.org", "currentPassword", "wrong"))
                .status()).isEqualTo(400);
        assertThat(user.post("/api/v1/users/me/email", Map.of("email", "not an address", "currentPassword",
                Accounts.password(name))).status()).isEqualTo(400);
        assertThat(user.post("/api/v1/users/me/email", Map.of("email", taken + "@example.org", "currentPassword",
                Accounts.password(name))).problem()).isEqualTo("409 email-taken");

        var changed = user.post("/api/v1/users/me/email", Map.of("email", name + "@new.example.org", "currentPassword",
                Accounts.password(name)));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(user.get("/api/v1/users/me").text("email")).isEqualTo(name + "@new.example.org");
    }

    @Test
    void theAdminCommandResetsAPasswordAndSaysWhatItDid() throws Exception {
        String name = unique("clipw");
        Api user = Accounts.signedUp(base(), name);
        Path kafkaDir = dataDir().resolve("kafka");
        Path log = Path.of("target", "test-data", "admin-command-" + name + ".log");
        Files.createDirectories(log.getParent());
        // The platform runs, so the command uses its engines as a cluster node would.
        List<String> command = new ChildPlatform(log, 0).command(List.of("admin", "reset-password", name,
                "--password=violet ferries cross at noon",
                "--c18n.data-dir=" + Path.of("target", "test-data", "admin-command-" + name),
                "--c18n.kafka.bootstrap-servers=" + Files.readString(EmbeddedKafkaBroker.addressFile(kafkaDir)).strip(),
                "--c18n.kafka.properties-file=" + EmbeddedKafkaBroker.clientPropertiesFile(kafkaDir).toAbsolutePath(),
                "--c18n.db.url=" + dataSource.getJdbcUrl(), "--c18n.db.username=" + dataSource.getUsername(),
                "--c18n.db.password=" + dataSource.getPassword()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log);
        assertThat(process.exitValue()).as(output).isEqualTo(0);
        assertThat(output).contains("Password of " + name).contains("1 session(s) signed out");

        assertThat(user.get("/api/v1/users/me").status()).isEqualTo(401);
        Api again = new Api(base());
        org.c18n.support.Eventually.get(() -> again.post("/api/v1/auth/login",
                Map.of("username", name, "password", "violet ferries cross at noon")).status(), s -> s == 200,
                java.time.Duration.ofSeconds(10));
        again.login(name, "violet ferries cross at noon");
    }
}
