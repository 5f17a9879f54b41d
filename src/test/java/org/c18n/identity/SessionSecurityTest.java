package org.c18n.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.c18n.support.Problems.assertProblem;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.c18n.client.Api;
import org.c18n.infra.C18nProperties;
import org.c18n.support.PlatformTest;
import org.c18n.web.SecretTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sign-in limits that an attacker cannot turn against a victim, sign-in timing that does not tell
 * which accounts exist, refresh token families, logout, CSRF on the cookie calls, weak passwords.
 * Different client addresses are real: Linux routes all of 127.0.0.0/8 to the loopback, so a
 * socket bound to 127.0.0.2 reaches the server from that address.
 */
class SessionSecurityTest extends PlatformTest {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @Autowired
    SigningKey signingKey;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient db;

    @Test
    void anAttackerHammeringAUsernameCannotLockOutItsOwner() {
        String victim = signedUp("victim").get("/api/v1/users/me").text("username");
        String password = "password-" + victim;

        int failures = failUntilLimited("127.0.0.3", () -> victim, 40);
        assertThat(failures).as("wrong passwords answered 401 before the first 429").isBetween(10, 12);
        // The limit is checked before the password: the attacker's address learns nothing more.
        Reply limited = login("127.0.0.3", victim, password);
        assertRawProblem(limited, 429, "rate-limited", "wait a minute");
        assertThat(Long.parseLong(limited.headers().get("retry-after").get(0))).isBetween(1L, 60L);

        // The owner, from an address that has not failed, signs in at once; a typo of theirs does not change that.
        assertThat(login("127.0.0.2", victim, password).status()).isEqualTo(200);
        assertThat(login("127.0.0.2", victim, "typo-" + password).status()).isEqualTo(401);
        assertThat(login("127.0.0.2", victim, password).status()).isEqualTo(200);
    }

    @Test
    void oneAddressTryingManyUsernamesIsLimitedToo() {
        String someone = signedUp("someone").get("/api/v1/users/me").text("username");
        // Unknown names count like known ones: a 429 tells nothing about which accounts exist.
        // (The budget of 100 refills as the attempts go, hence the range.)
        int failures = failUntilLimited("127.0.0.4", () -> unique("spray"), 400);
        assertThat(failures).isBetween(100, 400);
        assertThat(login("127.0.0.4", someone, "password-" + someone).status()).isEqualTo(429);
        assertThat(login("127.0.0.5", someone, "password-" + someone).status()).isEqualTo(200);
    }

    /** Wrong sign-ins from {@code from} until one answers 429; answers how many answered 401 before. */
    private int failUntilLimited(String from, java.util.function.Supplier<String> username, int atMost) {
        for (int i = 0; i < atMost; i++) {
            int status = login(from, username.get(), "guess-" + i).status();
            if (status == 429) {
                return i;
            }
            assertThat(status).isEqualTo(401);
        }
        throw new AssertionError("no 429 after " + atMost + " failed sign-ins from " + from);
    }

    @Test
    void anUnknownUsernameTakesAsLongAsAWrongPassword() {
        String known = signedUp("timed").get("/api/v1/users/me").text("username");
        login("127.0.0.6", unique("warm"), "warm-up-password");
        long[] wrong = new long[7];
        long[] unknown = new long[7];
        for (int i = 0; i < wrong.length; i++) {
            wrong[i] = timed(() -> assertThat(login("127.0.0.6", known, "not-the-password").status()).isEqualTo(401));
            unknown[i] = timed(() -> assertThat(login("127.0.0.6", unique("ghost"), "not-the-password").status())
                    .isEqualTo(401));
        }
        double ratio = (double) median(unknown) / median(wrong);
        assertThat(ratio).as("unknown %s ns vs wrong %s ns", Arrays.toString(unknown), Arrays.toString(wrong))
                .isBetween(0.5, 2.0);
    }

    @Test
    void reusingARotatedRefreshTokenRevokesTheWholeFamily() {
        String name = signedUp("family").get("/api/v1/users/me").text("username");
        Reply signIn = login("127.0.0.7", name, "password-" + name);
        String first = signIn.refreshCookie();
        Reply rotated = refresh(first, Map.of("X-C18N", "1"));
        assertThat(rotated.status()).isEqualTo(200);
        String second = rotated.refreshCookie();
        String access = rotated.body().path("accessToken").asString();
        assertThat(second).isNotEqualTo(first);
        assertThat(me(access)).isEqualTo(200);

        // Presented again at once, it is an answer the browser lost (the page was left while refreshing):
        // the family goes on with another successor.
        Reply retried = refresh(first, Map.of("X-C18N", "1"));
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.refreshCookie()).isNotIn(first, second);
        assertThat(me(access)).isEqualTo(200);

        // Someone replays the first token (stolen) once the grace is over: refused, and the family it belongs to ends.
        db.sql("UPDATE public.sessions SET rotated_at = rotated_at - interval '1 hour' WHERE rotated_at IS NOT NULL "
                + "AND family_id = (SELECT family_id FROM public.sessions WHERE token_hash = ?)")
                .param(SecretTokens.hash(first)).update();
        assertRawProblem(refresh(first, Map.of("X-C18N", "1")), 401, "unauthenticated", "sign in again");
        assertThat(refresh(retried.refreshCookie(), Map.of("X-C18N", "1")).status()).isEqualTo(401);
        assertThat(refresh(second, Map.of("X-C18N", "1")).status()).isEqualTo(401);
        assertThat(me(access)).isEqualTo(401);
        assertThat(me(signIn.body().path("accessToken").asString())).isEqualTo(401);

        // Another sign-in of the same person is another family, untouched.
        Reply elsewhere = login("127.0.0.7", name, "password-" + name);
        assertThat(refresh(elsewhere.refreshCookie(), Map.of("X-C18N", "1")).status()).isEqualTo(200);
    }

    @Test
    void logoutEndsTheAccessTokenAndTheRefreshToken() {
        String name = signedUp("leaver").get("/api/v1/users/me").text("username");
        Reply signIn = login("127.0.0.8", name, "password-" + name);
        String access = signIn.body().path("accessToken").asString();
        Reply other = login("127.0.0.8", name, "password-" + name);
        assertThat(me(access)).isEqualTo(200);

        Reply logout = raw("127.0.0.8", "POST", "/api/v1/auth/logout",
                Map.of("Cookie", AuthController.REFRESH_COOKIE + "=" + signIn.refreshCookie(), "X-C18N", "1"), null);
        assertThat(logout.status()).isEqualTo(204);
        assertThat(me(access)).isEqualTo(401);
        assertThat(refresh(signIn.refreshCookie(), Map.of("X-C18N", "1")).status()).isEqualTo(401);
        // Only that sign-in ended.
        assertThat(me(other.body().path("accessToken").asString())).isEqualTo(200);
    }

    @Test
    void cookieCallsFromAnotherSiteAreRefused() {
        String name = signedUp("csrf").get("/api/v1/users/me").text("username");
        String cookie = login("127.0.0.9", name, "password-" + name).refreshCookie();

        assertRawProblem(refresh(cookie, Map.of("Origin", "https://evil.example")), 403,
                "cross-site-request", "X-C18N");
        assertRawProblem(refresh(cookie, Map.of()), 403, "cross-site-request", "X-C18N");
        assertRawProblem(refresh(cookie, Map.of("Origin", "null")), 403, "cross-site-request", "X-C18N");
        Reply evilLogout = raw("127.0.0.9", "POST", "/api/v1/auth/logout", Map.of("Origin", "http://localhost.evil.example",
                "Cookie", AuthController.REFRESH_COOKIE + "=" + cookie), null);
        assertRawProblem(evilLogout, 403, "cross-site-request", "X-C18N");

        // Still signed in: the refused calls changed nothing. The web app's own origin passes.
        Reply sameOrigin = refresh(cookie, Map.of("Origin", "http://localhost:" + port));
        assertThat(sameOrigin.status()).as(sameOrigin.text()).isEqualTo(200);
        assertThat(refresh(sameOrigin.refreshCookie(), Map.of("X-C18N", "1")).status()).isEqualTo(200);
    }

    @Test
    void tokensWithoutExpiryAreRefused() throws Exception {
        String id = signedUp("forever").id();
        var claims = new JWTClaimsSet.Builder().issuer("c18n").subject(id).claim("username", "forever")
                .claim("role", "user").issueTime(new Date());
        assertThat(me(sign(claims.expirationTime(Date.from(Instant.now().plusSeconds(60))).build()))).isEqualTo(200);
        assertThat(me(sign(new JWTClaimsSet.Builder().issuer("c18n").subject(id).claim("username", "forever")
                .claim("role", "user").issueTime(new Date()).build()))).isEqualTo(401);
    }

    @Test
    void theRefreshCookieIsSecureWheneverTheSiteIsHttps() {
        String name = signedUp("cookie").get("/api/v1/users/me").text("username");
        String setCookie = login("127.0.0.10", name, "password-" + name).headers().get("set-cookie").get(0);
        // This test platform is served over plain http with no public URL.
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/api/v1/auth")
                .doesNotContain("Secure");
        assertThat(AuthController.secureCookie(site(false, "https://chat.example.org"))).isTrue();
        assertThat(AuthController.secureCookie(site(false, " HTTPS://chat.example.org/"))).isTrue();
        assertThat(AuthController.secureCookie(site(false, "http://chat.example.org"))).isFalse();
        assertThat(AuthController.secureCookie(site(false, null))).isFalse();
        assertThat(AuthController.secureCookie(site(true, "http://localhost:8080"))).isTrue();
    }

    private static C18nProperties site(boolean forcedSecure, String publicUrl) {
        return new C18nProperties(null, null, publicUrl, null, null, null, null,
                new C18nProperties.Auth(null, null, forcedSecure, 0), null, null, null, false);
    }

    @Test
    void weakPasswordsAreRefusedWithAHelpfulMessage() {
        Api anon = new Api(base());
        String name = unique("weak");
        for (String weak : List.of("password", "12345678", "        ", "qwertyuiop", name + "2024")) {
            assertProblem(anon.post("/api/v1/auth/register", Map.of("username", name, "email", name + "@example.org",
                    "password", weak)), 400, "weak-password", "too easy to guess");
        }
        var common = anon.post("/api/v1/auth/register", Map.of("username", name, "email", name + "@example.org",
                "password", "password"));
        assertThat(common.text("detail")).contains("common password").contains("Add another word");
        assertThat(anon.post("/api/v1/auth/register", Map.of("username", name, "email", name + "@example.org",
                "password", "violet kettle drums")).status()).isEqualTo(201);

        String bulk = unique("weakbulk");
        var created = admin().post("/api/v1/admin/users", Map.of("users", List.of(
                Map.of("username", bulk, "email", bulk + "@example.org", "password", "12345678"))));
        assertThat(created.body().path("results").get(0).path("status").asString()).isEqualTo("weak-password");
        assertThat(created.body().path("created").asInt()).isZero();
    }

    // --- helpers ---

    /** As {@link org.c18n.support.Problems#assertProblem}, for an answer read off a raw socket. */
    private static void assertRawProblem(Reply reply, int status, String type, String detailContains) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.headers().get("content-type").get(0)).as(reply.toString())
                .startsWith("application/problem+json");
        assertThat(reply.body().path("type").asString()).as(reply.toString()).isEqualTo("/problems/" + type);
        assertThat(reply.body().path("detail").asString()).as(reply.toString()).containsIgnoringCase(detailContains);
    }

    private Reply login(String from, String username, String password) {
        return raw(from, "POST", "/api/v1/auth/login", Map.of("Content-Type", "application/json"),
                JSON.writeValueAsString(Map.of("username", username, "password", password)));
    }

    private Reply refresh(String cookie, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Cookie", AuthController.REFRESH_COOKIE + "=" + cookie);
        return raw("127.0.0.11", "POST", "/api/v1/auth/refresh", all, null);
    }

    private int me(String accessToken) {
        return new Api(base()).token(accessToken).get("/api/v1/users/me").status();
    }

    private String sign(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.key().getKeyID()).build(),
                claims);
        jwt.sign(new RSASSASigner(signingKey.key()));
        return jwt.serialize();
    }

    private static long timed(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return System.nanoTime() - start;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** An HTTP answer read off a raw socket. */
    record Reply(int status, Map<String, List<String>> headers, String text) {
        JsonNode body() {
            return JSON.readTree(text);
        }

        /** The refresh token the answer set. */
        String refreshCookie() {
            for (String cookie : headers.getOrDefault("set-cookie", List.of())) {
                if (cookie.startsWith(AuthController.REFRESH_COOKIE + "=")) {
                    return cookie.substring(AuthController.REFRESH_COOKIE.length() + 1, cookie.indexOf(';'));
                }
            }
            throw new AssertionError("no refresh cookie in " + status + " " + headers);
        }
    }

    /** An HTTP/1.0 request from a chosen loopback address (java.net.http cannot choose its local address). */
    private Reply raw(String from, String method, String path, Map<String, String> headers, String body) {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(30_000);
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.0\r\n")
                    .append("Host: localhost:").append(port).append("\r\n")
                    .append("Accept: application/json\r\n")
                    .append("Content-Length: ").append(payload.length).append("\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(payload);
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Reply parse(byte[] bytes) {
        String all = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        String[] lines = all.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        byte[] content = Arrays.copyOfRange(bytes, end + 4, bytes.length);
        return new Reply(status, headers, new String(content, StandardCharsets.UTF_8));
    }
}
