package org.c18n.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.c18n.client.Api;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Tests against the whole platform as it runs by default: the embedded Kafka broker and
 * PostgreSQL under a fresh data dir, the web server on a random port. One instance is shared by
 * every test class that extends this.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class PlatformTest {
    static final Path DATA_DIR = Path.of("target", "test-data", "platform-" + UUID.randomUUID());
    protected static final String DATA_DIR_SUFFIX = "c18n.test.data-dir-suffix";
    /** How often the test platform re-announces who is connected: shorter than the default 20 s, so a test can wait a round. */
    protected static final java.time.Duration PRESENCE_INTERVAL = java.time.Duration.ofSeconds(10);

    @LocalServerPort
    protected int port;

    /** Actuator's own port (on 127.0.0.1, as by default): health and metrics are not on the public one. */
    @LocalManagementPort
    protected int managementPort;

    /** A real OpenID Connect provider for the SSO tests, started once beside the platform. */
    protected static final MockOAuth2Server OIDC = new MockOAuth2Server();

    /** A real SMTP server the platform mails through; tests read what it received ({@link Mailbox}). */
    protected static final Mailbox MAIL = Mailbox.start();

    static {
        OIDC.start(0);
    }

    /**
     * The platform's settings. A subclass that needs a platform of its own (another search backend)
     * sets {@value #DATA_DIR_SUFFIX} in its own {@code @DynamicPropertySource}: its context then
     * gets a data dir of its own, so embedded engines of its own.
     */
    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("c18n.data-dir", () -> DATA_DIR + "${" + DATA_DIR_SUFFIX + ":}");
        registry.add("c18n.oidc.providers.testidp.issuer-uri", () -> OIDC.issuerUrl("testidp").toString());
        registry.add("c18n.oidc.providers.testidp.client-id", () -> "c18n-client");
        registry.add("c18n.oidc.providers.testidp.client-secret", () -> "c18n-secret");
        registry.add("c18n.oidc.providers.testidp.name", () -> "Test IdP");
        registry.add("c18n.oidc.providers.testidp.admin-emails", () -> "boss@example.org");
        registry.add("c18n.admin.username", () -> "admin");
        registry.add("c18n.hub.presence-interval", () -> PRESENCE_INTERVAL.toSeconds() + "s");
        // A small outbound queue, so that a stalled client is cut off after a few hundred frames.
        registry.add("c18n.chat.connection-queue", () -> "100");
        // A quota a test can fill (MediaLimitsTest).
        registry.add("c18n.media.quota", () -> "30MB");
        registry.add("c18n.admin.password", () -> "admin-password");
        registry.add("c18n.smtp.host", () -> "127.0.0.1");
        registry.add("c18n.smtp.port", MAIL::port);
        registry.add("c18n.smtp.tls", () -> "none");
        registry.add("c18n.smtp.from", () -> "c18n@example.org");
    }

    protected String base() {
        return "http://localhost:" + port;
    }

    /** Where health and metrics answer (the management port). */
    protected String managementBase() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** The platform's data dir (the embedded engines' data and credentials live under it). */
    protected static Path dataDir() {
        return DATA_DIR;
    }

    protected Api signedUp(String prefix) {
        return Accounts.signedUp(base(), unique(prefix));
    }

    /** A new community of {@code owner}'s ({@code settings} besides a name) that {@code members} have joined; answers its id. */
    protected String community(Api owner, Map<String, ?> settings, Api... members) {
        Map<String, Object> body = new HashMap<>(settings);
        body.put("name", unique("Community "));
        var created = owner.post("/api/v1/communities", body);
        if (created.status() != 201) {
            throw new AssertionError("create community: " + created);
        }
        for (Api member : members) {
            var joined = member.post("/api/v1/communities/" + created.text("id") + "/join", null);
            if (!joined.ok()) {
                throw new AssertionError("join: " + joined);
            }
        }
        return created.text("id");
    }

    protected String community(Api owner, Api... members) {
        return community(owner, Map.of(), members);
    }

    protected Api admin() {
        return new Api(base()).login("admin", "admin-password");
    }

    public static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }
}
