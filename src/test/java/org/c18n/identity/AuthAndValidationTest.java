package org.c18n.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.c18n.support.Problems.assertProblem;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.c18n.client.Api;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every bad input of the foundation's endpoints gets the right 4xx in problem+json, and nothing is written. */
class AuthAndValidationTest extends PlatformTest {

    @Autowired
    SigningKey signingKey;

    @Test
    void registrationRulesAreEnforcedWithErrorsNamingTheField() {
        Api anon = new Api(base());
        String name = unique("dora");
        assertProblem(anon.post("/api/v1/auth/register", Map.of("email", "d@example.org", "password", "long-enough")),
                400, "validation", "username");
        assertProblem(anon.post("/api/v1/auth/register", Map.of("username", name, "email", "not-an-email",
                "password", "long-enough")), 400, "validation", "email");
        assertProblem(anon.post("/api/v1/auth/register", Map.of("username", name, "email", name + "@example.org",
                "password", "short")), 400, "validation", "password");
        assertProblem(anon.post("/api/v1/auth/register", Map.of("username", "x".repeat(33), "email",
                name + "@example.org", "password", "long-enough")), 400, "validation", "username");
        assertProblem(anon.post("/api/v1/auth/register", Map.of("username", name, "email", name + "@example.org",
                "password", "p".repeat(129))), 400, "validation", "password");
        assertProblem(anon.post("/api/v1/auth/register", Map.of("username", List.of("a"), "email", name + "@example.org",
                "password", "long-enough")), 400, "validation", "username");
        assertProblem(anon.post("/api/v1/auth/register", "{not json"), 400, "malformed-body", "JSON");
        assertProblem(anon.send("POST", "/api/v1/auth/register", null), 400, "malformed-body", "missing");

        assertThat(anon.post("/api/v1/auth/register", Map.of("username", name, "email", name + "@example.org",
                "password", "long-enough")).status()).isEqualTo(201);
        assertProblem(anon.post("/api/v1/auth/register", Map.of("username", name.toUpperCase(), "email",
                "other-" + name + "@example.org", "password", "long-enough")), 409, "username-taken", "username");
        assertProblem(anon.post("/api/v1/auth/register", Map.of("username", "other" + name, "email",
                name.toUpperCase() + "@EXAMPLE.ORG", "password", "long-enough")), 409, "email-taken", "email");
    }

    @Test
    void loginFailsWithoutTellingWhichPartWasWrongAndIsRateLimited() {
        Api user = signedUp("eve");
        String username = user.get("/api/v1/users/me").text("username");
        Api anon = new Api(base());
        assertProblem(anon.post("/api/v1/auth/login", Map.of("username", username, "password", "wrong-password")),
                401, "invalid-credentials", "Wrong username or password");
        assertProblem(anon.post("/api/v1/auth/login", Map.of("username", "nobody-" + username, "password", "x")),
                401, "invalid-credentials", "Wrong username or password");
        assertProblem(anon.post("/api/v1/auth/login", Map.of("username", username)), 400, "validation", "password");
        int limited = 0;
        for (int i = 0; i < 12; i++) {
            if (anon.post("/api/v1/auth/login", Map.of("username", username, "password", "wrong")).status() == 429) {
                limited++;
            }
        }
        assertThat(limited).isPositive();
    }

    @Test
    void refreshRotatesTheCookieAndLogoutEndsTheSession() {
        Api user = signedUp("finn");
        var refreshed = user.post("/api/v1/auth/refresh", null);
        assertThat(refreshed.status()).isEqualTo(200);
        String newToken = refreshed.text("accessToken");
        assertThat(new Api(base()).token(newToken).get("/api/v1/users/me").status()).isEqualTo(200);
        assertThat(user.post("/api/v1/auth/logout", null).status()).isEqualTo(204);
        assertProblem(user.post("/api/v1/auth/refresh", null), 401, "unauthenticated", "sign in");
        assertProblem(new Api(base()).post("/api/v1/auth/refresh", null), 401, "unauthenticated", "sign in");
    }

    @Test
    void badExpiredForgedAndUnsignedTokensAreRefused() throws Exception {
        Api user = signedUp("gus");
        String id = user.id();
        Api api = new Api(base());
        assertProblem(api.get("/api/v1/users/me"), 401, "unauthenticated", "token");
        assertProblem(api.token("not-a-jwt").get("/api/v1/users/me"), 401, "unauthenticated", "token");

        RSAKey ours = signingKey.key();
        assertThat(api.token(sign(ours, id, Instant.now().plusSeconds(60))).get("/api/v1/users/me").status())
                .isEqualTo(200);
        assertProblem(api.token(sign(ours, id, Instant.now().minusSeconds(120))).get("/api/v1/users/me"),
                401, "unauthenticated", "token");
        RSAKey forger = new RSAKeyGenerator(2048).keyID(ours.getKeyID()).generate();
        assertProblem(api.token(sign(forger, id, Instant.now().plusSeconds(60))).get("/api/v1/users/me"),
                401, "unauthenticated", "token");

        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String claims = b64("{\"iss\":\"c18n\",\"sub\":\"" + id + "\",\"role\":\"admin\",\"exp\":"
                + Instant.now().plusSeconds(60).getEpochSecond() + "}");
        assertProblem(api.token(header + "." + claims + ".").get("/api/v1/users/me"), 401, "unauthenticated", "token");
        assertProblem(api.token(header + "." + claims + ".").get("/api/v1/admin/users"), 401, "unauthenticated", "token");
    }

    @Test
    void adminToolsAreForAdminsOnlyAndAudited() {
        Api user = signedUp("hal");
        assertThat(user.post("/api/v1/admin/users", Map.of("users", List.of())).status()).isEqualTo(403);
        Api admin = admin();
        String a = unique("bulk");
        String b = unique("bulk");
        var bulk = admin.post("/api/v1/admin/users", Map.of("users", List.of(
                Map.of("username", a, "email", a + "@example.org", "password", "password-" + a),
                Map.of("username", b, "email", b + "@example.org", "password", "password-" + b))));
        assertThat(bulk.status()).as(bulk.toString()).isEqualTo(201);
        assertThat(bulk.body().path("created").asInt()).isEqualTo(2);
        assertProblem(admin.post("/api/v1/admin/users", Map.of("users", List.of(Map.of("username", "?")))),
                400, "validation", "users[0]");

        String aId = bulk.body().path("results").get(0).path("id").asString();
        var minted = admin.post("/api/v1/admin/users/" + aId + "/token", null);
        assertThat(minted.status()).isEqualTo(200);
        var me = new Api(base()).token(minted.text("accessToken")).get("/api/v1/users/me");
        assertThat(me.text("username")).isEqualTo(a);
        assertThat(user.post("/api/v1/admin/users/" + aId + "/token", null).status()).isEqualTo(403);
    }

    @Test
    void unknownIdsAndBadParametersAre4xx() {
        Api user = signedUp("ida");
        String unknown = UUID.randomUUID().toString();
        assertProblem(user.get("/api/v1/communities/" + unknown), 404, "not-found", "Community");
        assertProblem(user.get("/api/v1/users/" + unknown), 404, "not-found", "User");
        assertProblem(user.post("/api/v1/invites/" + unknown + "/accept", null), 404, "not-found", "Invite");
        assertProblem(user.post("/api/v1/communities/" + unknown + "/join", null), 404, "not-found", "Community");
        assertProblem(user.get("/api/v1/usergroups/" + unknown), 404, "not-found", "User-group");
        assertProblem(user.get("/api/v1/communities/not-a-uuid"), 400, "validation", "id");
        assertProblem(user.get("/api/v1/communities?limit=1000"), 400, "validation", "limit");
        assertProblem(user.get("/api/v1/communities?cursor=!!!"), 400, "validation", "cursor");
        assertProblem(user.post("/api/v1/communities/" + unknown + "/invites", Map.of("userId", user.id())),
                404, "not-found", "Community");
    }

    @Test
    void communityInputIsValidated() {
        Api user = signedUp("jon");
        assertProblem(user.post("/api/v1/communities", Map.of()), 400, "validation", "name");
        assertProblem(user.post("/api/v1/communities", Map.of("name", "ab")), 400, "validation", "name");
        assertProblem(user.post("/api/v1/communities", Map.of("name", "n".repeat(65))), 400, "validation", "name");
        assertProblem(user.post("/api/v1/communities", Map.of("name", unique("ok "), "description", "d".repeat(2001))),
                400, "validation", "description");
        assertProblem(user.post("/api/v1/communities", Map.of("name", unique("ok "), "tags", "hiking")),
                400, "validation", "tags");
        assertProblem(user.post("/api/v1/communities", Map.of("name", unique("ok "), "tags", List.of("Not A Tag"))),
                400, "validation", "tags");
        assertProblem(user.post("/api/v1/communities", Map.of("name", unique("ok "), "visibility", "secret")),
                400, "validation", "visibility");
        assertProblem(user.post("/api/v1/communities", Map.of("name", unique("ok "), "visibility", "private",
                "joinPolicy", "open")), 400, "validation", "joinPolicy");
        String name = unique("Unique ");
        assertThat(user.post("/api/v1/communities", Map.of("name", name)).status()).isEqualTo(201);
        assertProblem(user.post("/api/v1/communities", Map.of("name", name.toUpperCase())), 409, "name-taken", "name");
        assertProblem(user.post("/api/v1/usergroups", Map.of("name", "")), 400, "validation", "name");
        assertProblem(user.post("/api/v1/usergroups", Map.of("name", "g", "memberIds", List.of("nope"))),
                400, "validation", "memberIds");
        assertProblem(user.post("/api/v1/usergroups", Map.of("name", "g", "memberIds",
                List.of(UUID.randomUUID().toString()))), 400, "validation", "memberIds");
        assertProblem(user.patch("/api/v1/users/me", Map.of("displayName", "  ")), 400, "validation", "displayName");
        assertProblem(user.send("POST", "/api/v1/communities", null), 400, "malformed-body", "missing");
    }

    private static String sign(RSAKey key, String subject, Instant expires) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("c18n").subject(subject).claim("role", "user")
                .issueTime(Date.from(expires.minusSeconds(300))).expirationTime(Date.from(expires)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
