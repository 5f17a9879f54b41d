package org.c18n.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.c18n.client.Api;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;

/**
 * Single sign-on against a real OpenID Connect server (mock-oauth2-server speaks the protocol:
 * discovery, authorization code with PKCE, token endpoint, signed ID tokens).
 */
class SsoTest extends PlatformTest {

    @Test
    void firstSignInProvisionsTheUserAndReturnsOurToken() {
        Api browser = new Api(base());
        var providers = browser.get("/api/v1/auth/providers");
        assertThat(providers.body().get(0).path("url").asString()).isEqualTo("/api/v1/auth/oidc/testidp");

        String username = unique("sso");
        String subject = "subject-" + username;
        Api.Response tokens = signIn(browser, subject, Map.of("email", username + "@example.org",
                "preferred_username", username, "name", "Sso Person"));
        assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
        Api me = new Api(base()).token(tokens.text("accessToken"));
        var profile = me.get("/api/v1/users/me");
        assertThat(profile.text("username")).isEqualTo(username);
        assertThat(profile.text("email")).isEqualTo(username + "@example.org");
        assertThat(profile.text("displayName")).isEqualTo("Sso Person");
        assertThat(profile.text("role")).isEqualTo("user");

        // Signing in again finds the same account rather than creating another.
        Api again = new Api(base());
        var second = signIn(again, subject, Map.of("email", username + "@example.org", "preferred_username", username));
        assertThat(second.body().path("user").path("id").asString()).isEqualTo(profile.text("id"));
    }

    @Test
    void configuredAdminEmailsBecomeAdmins() {
        Api browser = new Api(base());
        var tokens = signIn(browser, "boss-subject", Map.of("email", "boss@example.org", "preferred_username", "boss"));
        assertThat(tokens.body().path("user").path("role").asString()).isEqualTo("admin");
    }

    @Test
    void anUnknownProviderIsNotFound() {
        var response = new Api(base()).get("/api/v1/auth/oidc/nope");
        assertThat(response.status()).as(response.toString()).isEqualTo(404);
    }

    /** Walks the redirects a browser would follow, then exchanges our refresh cookie for a token. */
    private Api.Response signIn(Api browser, String subject, Map<String, Object> claims) {
        OIDC.enqueueCallback(new DefaultOAuth2TokenCallback("testidp", subject, "JWT", List.of("c18n-client"), claims, 3600));
        var start = browser.get("/api/v1/auth/oidc/testidp");
        assertThat(start.status()).as(start.toString()).isEqualTo(302);
        String authorize = start.header("Location");
        assertThat(authorize).contains("code_challenge=").contains("code_challenge_method=S256");
        Api idp = new Api("");
        var atIdp = idp.get(authorize);
        assertThat(atIdp.status()).as(atIdp.toString()).isEqualTo(302);
        URI callback = URI.create(atIdp.header("Location"));
        assertThat(callback.getPath()).isEqualTo("/api/v1/auth/oidc/callback/testidp");
        var done = browser.get(callback.getRawPath() + "?" + callback.getRawQuery());
        assertThat(done.status()).as(done.toString()).isEqualTo(302);
        assertThat(done.header("Location")).endsWith("/sso");
        return browser.post("/api/v1/auth/refresh", null);
    }
}
