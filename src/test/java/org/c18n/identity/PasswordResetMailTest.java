package org.c18n.identity;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.c18n.client.Api;
import org.c18n.support.Accounts;
import org.c18n.support.Mailbox;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * "Forgot password" against a real SMTP server: the mail arrives, its link resets the password
 * once, the answer never tells whether an account exists, and reading the log again mails nothing twice.
 */
class PasswordResetMailTest extends PlatformTest {
    @Autowired
    AccountMails accountMails;

    @Autowired
    JdbcClient db;

    static Map<String, String> query(String link) {
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(link).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], kv[1]);
        }
        return query;
    }

    @Test
    void theMailedLinkResetsThePasswordOnceAndSignsOutEverySession() throws Exception {
        assertThat(new Api(base()).get("/api/v1/config").body().get("mail").asBoolean()).isTrue();
        String name = unique("forgot");
        Api signedIn = Accounts.signedUp(base(), name);
        String address = name + "@example.org";
        Api anonymous = new Api(base());

        var asked = anonymous.post("/api/v1/auth/password/forgot", Map.of("login", address.toUpperCase()));
        assertThat(asked.status()).isEqualTo(202);
        var unknown = anonymous.post("/api/v1/auth/password/forgot", Map.of("login", unique("nobody") + "@example.org"));
        assertThat(unknown.status()).isEqualTo(202);
        assertThat(unknown.raw()).as("no account enumeration").isEqualTo(asked.raw());

        MimeMessage mail = MAIL.await(address, 1);
        assertThat(mail.getSubject()).isEqualTo("Reset your password");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("c18n@example.org");
        String link = Mailbox.link(mail);
        assertThat(link).startsWith(base() + "/reset-password?request=");
        Map<String, String> q = query(link);

        // The link's page is the web app's.
        assertThat(anonymous.getBytes(URI.create(link).getRawPath() + "?" + URI.create(link).getRawQuery()).statusCode())
                .isEqualTo(200);

        var tampered = anonymous.post("/api/v1/auth/password/reset",
                Map.of("request", q.get("request"), "token", q.get("token") + "x", "password", "seven owls in the barn"));
        assertThat(tampered.status()).isEqualTo(400);
        assertThat(tampered.problem()).isEqualTo("400 link-invalid");
        var weak = anonymous.post("/api/v1/auth/password/reset",
                Map.of("request", q.get("request"), "token", q.get("token"), "password", "qwerty123"));
        assertThat(weak.problem()).isEqualTo("400 weak-password");

        var reset = anonymous.post("/api/v1/auth/password/reset",
                Map.of("request", q.get("request"), "token", q.get("token"), "password", "seven owls in the barn"));
        assertThat(reset.status()).isEqualTo(204);
        assertThat(signedIn.get("/api/v1/users/me").status()).as("every session ends").isEqualTo(401);
        assertThat(anonymous.post("/api/v1/auth/login", Map.of("username", name, "password", Accounts.password(name)))
                .status()).isEqualTo(401);
        new Api(base()).login(name, "seven owls in the barn");

        var again = anonymous.post("/api/v1/auth/password/reset",
                Map.of("request", q.get("request"), "token", q.get("token"), "password", "another owl in the barn"));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.problem()).isEqualTo("400 link-used");

        // Sent mail keeps no link in the outbox; the admin sees it counted.
        assertThat(db.sql("SELECT body FROM public.mail_outbox WHERE id = ?").param(q.get("request") + ":password-reset")
                .query(String.class).optional()).isEmpty();
        var status = admin().get("/api/v1/admin/mail");
        assertThat(status.body().get("configured").asBoolean()).isTrue();
        assertThat(status.body().get("outbox").get("sent").asLong()).isPositive();
    }

    @Test
    void readingTheLogAgainMailsNothingTwice() throws Exception {
        String name = unique("replaymail");
        Accounts.signedUp(base(), name);
        String address = name + "@example.org";
        assertThat(new Api(base()).post("/api/v1/auth/password/forgot", Map.of("login", name)).status()).isEqualTo(202);
        MAIL.await(address, 1);

        accountMails.stop();
        db.sql("DELETE FROM public.mail_reader_positions").update();
        accountMails.start();
        // A marker mail, requested after the reader started over from the log's beginning, shows it has read past the old request.
        String marker = unique("marker");
        Accounts.signedUp(base(), marker);
        new Api(base()).post("/api/v1/auth/password/forgot", Map.of("login", marker));
        MAIL.await(marker + "@example.org", 1);
        assertThat(MAIL.to(address)).hasSize(1);
    }

    @Test
    void requestsForOneAccountAreRateLimited() {
        String name = unique("limited");
        Accounts.signedUp(base(), name);
        Api anonymous = new Api(base());
        for (int i = 0; i < AccountController.RESETS_PER_ACCOUNT_PER_HOUR; i++) {
            assertThat(anonymous.post("/api/v1/auth/password/forgot", Map.of("login", name)).status()).isEqualTo(202);
        }
        var limited = anonymous.post("/api/v1/auth/password/forgot", Map.of("login", name));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isNotNull();
        // The same for a name that has no account: the limit tells nothing either.
        String nobody = unique("nobody");
        for (int i = 0; i < AccountController.RESETS_PER_ACCOUNT_PER_HOUR; i++) {
            anonymous.post("/api/v1/auth/password/forgot", Map.of("login", nobody));
        }
        assertThat(anonymous.post("/api/v1/auth/password/forgot", Map.of("login", nobody)).status()).isEqualTo(429);
    }
}
