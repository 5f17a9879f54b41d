package org.c18n.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.c18n.client.Api;
import org.c18n.support.ChildPlatform;
import org.c18n.support.Eventually;
import org.c18n.support.Mailbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With C18N_EMAIL_VERIFICATION on (a platform of its own, mailing a real SMTP server): a new
 * account signs in only after following the mailed link, and again after changing its address.
 */
class EmailVerificationTest {
    static final Mailbox MAIL = Mailbox.start();
    static ChildPlatform platform;
    static Path log;

    @BeforeAll
    static void start() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        log = Path.of("target", "test-data", "verify-" + run + ".log");
        platform = new ChildPlatform(log, ChildPlatform.freePort(),
                "--c18n.data-dir=" + Path.of("target", "test-data", "verify-" + run), "--c18n.admin.username=admin",
                "--c18n.admin.password=verify-admin-password", "--c18n.smtp.host=127.0.0.1", "--c18n.smtp.port=" + MAIL.port(),
                "--c18n.smtp.tls=none", "--c18n.smtp.from=c18n@example.org", "--c18n.accounts.email-verification=true")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.stop();
        }
    }

    static Map<String, String> linkQuery(String link) {
        Map<String, String> query = new java.util.HashMap<>();
        for (String pair : URI.create(link).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], kv[1]);
        }
        return query;
    }

    static Api.Response signIn(String name, String password) {
        return new Api(platform.base()).post("/api/v1/auth/login", Map.of("username", name, "password", password));
    }

    @Test
    void anAccountSignsInOnceItsAddressIsConfirmed() throws Exception {
        String name = "verify" + UUID.randomUUID().toString().substring(0, 8);
        String address = name + "@example.org";
        String password = "lanterns over the harbour wall";
        int created = new Api(platform.base()).register(name, address, password, null).status();
        assertThat(created).isIn(201, 202);

        var refused = Eventually.get(() -> signIn(name, password), r -> r.status() == 403, Duration.ofSeconds(10));
        assertThat(refused.problem()).isEqualTo("403 email-unverified");
        assertThat(refused.text("detail")).contains("Confirm your e-mail address");

        var mail = MAIL.await(address, 1);
        assertThat(mail.getSubject()).isEqualTo("Confirm your e-mail address");
        String link = Mailbox.link(mail);
        assertThat(link).startsWith(platform.base() + "/verify-email?user=");
        Map<String, String> q = linkQuery(link);
        Api anonymous = new Api(platform.base());
        assertThat(anonymous.post("/api/v1/auth/email/verify", Map.of("user", q.get("user"), "token", "forged")).status())
                .isEqualTo(400);
        assertThat(anonymous.post("/api/v1/auth/email/verify", Map.of("user", q.get("user"), "token", q.get("token")))
                .status()).isEqualTo(204);
        assertThat(Eventually.get(() -> signIn(name, password), r -> r.status() == 200, Duration.ofSeconds(10)).status())
                .isEqualTo(200);

        // A new address must be confirmed in turn; the old address's link no longer counts.
        Api user = new Api(platform.base()).login(name, password);
        String newAddress = name + "@new.example.org";
        var changed = user.post("/api/v1/users/me/email", Map.of("email", newAddress, "currentPassword", password));
        assertThat(changed.status()).isIn(200, 202);
        assertThat(user.get("/api/v1/users/me").status()).as("the session goes on").isEqualTo(200);
        assertThat(Eventually.get(() -> signIn(name, password), r -> r.status() == 403, Duration.ofSeconds(10)).status())
                .isEqualTo(403);
        assertThat(anonymous.post("/api/v1/auth/email/verify", Map.of("user", q.get("user"), "token", q.get("token")))
                .status()).isEqualTo(400);
        Map<String, String> fresh = linkQuery(Mailbox.link(MAIL.await(newAddress, 1)));
        assertThat(anonymous.post("/api/v1/auth/email/verify", Map.of("user", fresh.get("user"), "token", fresh.get("token")))
                .status()).isEqualTo(204);
        assertThat(Eventually.get(() -> signIn(name, password), r -> r.status() == 200, Duration.ofSeconds(10)).status())
                .isEqualTo(200);
    }

    @Test
    void theAdminNeedsNoConfirmation() {
        // The first start creates the admin a moment after the server answers, and says so.
        Eventually.get(() -> read(log), text -> text.contains("Admin account: admin"), Duration.ofSeconds(30));
        assertThat(Eventually.get(() -> signIn("admin", "verify-admin-password"), r -> r.status() == 200,
                Duration.ofSeconds(5)).status()).isEqualTo(200);
    }

    private static String read(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void theLosersOfARaceForAUsernameGetNoMail() throws Exception {
        String name = "claim" + UUID.randomUUID().toString().substring(0, 8);
        List<String> addresses = java.util.stream.IntStream.range(0, 4).mapToObj(i -> name + "-" + i + "@example.org").toList();
        // All at once: hashing the password between the view's check and the log lets them all reach
        // the log, where the projector keeps the first claim and refuses the others.
        var pool = java.util.concurrent.Executors.newFixedThreadPool(addresses.size());
        List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
        for (String address : addresses) {
            statuses.add(pool.submit(() -> new Api(platform.base()).register(name, address, "ropes and pulleys all day", null)
                    .status()));
        }
        List<String> won = new java.util.ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            int status = statuses.get(i).get();
            assertThat(status).isIn(201, 202, 409);
            if (status != 409) {
                won.add(addresses.get(i));
            }
        }
        pool.shutdown();
        assertThat(won).hasSize(1);
        MAIL.await(won.get(0), 1);
        Thread.sleep(2_000); // the losers' events were read with the winner's: their mails would be out by now
        for (String address : addresses) {
            assertThat(MAIL.to(address)).as(address).hasSize(won.contains(address) ? 1 : 0);
        }
    }
}
