package org.c18n.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.c18n.support.Problems.assertProblem;

import java.io.IOException;
import org.c18n.infra.HubProperties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.c18n.client.Api;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Every page of the web app opens directly (reload, bookmark, shared link), an unknown path gets
 * the app's own 404 page, the API keeps its problem+json, and every answer carries the browser
 * defences (CSP, Referrer-Policy, Permissions-Policy).
 */
public class WebAppTest extends PlatformTest {
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** The paths of frontend/src/router.js in Spring's syntax, without the catch-all "not found" route. */
    public static List<String> routerPaths() throws IOException {
        return routerPaths(false);
    }

    /** Those of {@link #routerPaths()} open without signing in ({@code meta: { public: true }}). */
    public static List<String> publicRouterPaths() throws IOException {
        return routerPaths(true);
    }

    private static List<String> routerPaths(boolean onlyPublic) throws IOException {
        String source = Files.readString(Path.of("frontend", "src", "router.js"));
        String router = source.substring(source.indexOf("routes: ["), source.indexOf("\n  ],", source.indexOf("routes: [")));
        var matcher = Pattern.compile("path:\\s*'([^']*)'([^\\n]*)").matcher(router);
        List<String> paths = new ArrayList<>();
        while (matcher.find()) {
            String path = matcher.group(1);
            if (!path.contains("(") && (!onlyPublic || matcher.group(2).contains("public: true"))) {
                paths.add(path.replaceAll(":(\\w+)", "{$1}"));
            }
        }
        return paths;
    }

    /** A concrete path for a route: its variables filled with an id (the page itself says if it does not exist). */
    static String concrete(String route) {
        return route.replaceAll("\\{\\w+}", "01a21d51-4d18-78d1-9fe7-b12e24959aae");
    }

    HttpResponse<String> get(String path, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theServerServesEveryRouteOfTheRouter() throws IOException {
        assertThat(routerPaths()).as("frontend/src/router.js against WebApp.ROUTES")
                .containsExactlyInAnyOrderElementsOf(WebApp.ROUTES);
    }

    @Test
    void everyRouteLoadsDirectlyAndAnUnknownPathGetsTheAppsNotFoundPage() throws Exception {
        for (String route : WebApp.ROUTES) {
            for (String accept : List.of("text/html,application/xhtml+xml,*/*;q=0.8", "*/*")) {
                var page = get(concrete(route), accept);
                assertThat(page.statusCode()).as(route + " with Accept " + accept).isEqualTo(200);
                assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
                assertThat(page.body()).contains("<div id=\"app\">");
            }
        }
        for (String unknown : List.of("/no/such/page", "/posts", "/posts/1/2", "/feed.php", "/assets/missing.js")) {
            var page = get(unknown, "text/html");
            assertThat(page.statusCode()).as(unknown).isEqualTo(404);
            assertThat(page.headers().firstValue("Content-Type").orElse("")).as(unknown).startsWith("text/html");
            assertThat(page.body()).contains("<div id=\"app\">");
        }
        // The API and the actuator keep their own answers, whatever the client accepts.
        Api anon = new Api(base());
        assertProblem(anon.get("/api/v1/no-such-thing"), 401, "unauthenticated", "token");
        assertProblem(signedUp("routes").get("/api/v1/no-such-thing"), 404, "not-found", "No such resource");
        var api = get("/api/v1/no-such-thing", "text/html");
        assertThat(api.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        var actuator = get("/actuator/no-such-thing", "text/html");
        assertThat(actuator.statusCode()).isEqualTo(404);
        assertThat(actuator.body()).doesNotContain("<div id=\"app\">");
    }

    @Test
    void everyAnswerCarriesTheBrowserDefences() throws Exception {
        for (String path : List.of("/", "/posts/x", "/no/such/page", "/api/v1/auth/providers", "/api/v1/feed")) {
            var answer = get(path, "*/*");
            String csp = answer.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(csp).as(path).contains("script-src 'self';").contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe-eval");
            assertThat(csp.substring(csp.indexOf("script-src"))).startsWith("script-src 'self';");
            // The page may open the socket, on the hub's own port, and nothing else.
            assertThat(csp).as(path).containsPattern("connect-src 'self' ws://localhost:\\d+;");
            assertThat(answer.headers().firstValue("Referrer-Policy")).as(path).hasValue("same-origin");
            assertThat(answer.headers().firstValue("Permissions-Policy").orElse("")).as(path).contains("camera=()");
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            // Served over plain http with no https public URL: no HSTS (a browser would ignore it anyway).
            assertThat(answer.headers().firstValue("Strict-Transport-Security")).as(path).isEmpty();
        }
        String docs = get("/api/docs.json", "*/*").headers().firstValue("Content-Security-Policy").orElse("");
        assertThat(docs).contains("script-src 'self';");
    }

    private static final SocketUrl PROXIED_SOCKET = new SocketUrl(new HubProperties(null, null, "wss://chat.example.org/ws", null));

    @Test
    void hstsIsSentWhenThePublicUrlIsHttpsOrTheRequestCameOverTls() {
        var plain = new MockHttpServletRequest("GET", "/feed");
        var https = new SecurityHeaders(true, PROXIED_SOCKET);
        var response = new MockHttpServletResponse();
        https.writeHeaders(plain, response);
        assertThat(response.getHeader("Strict-Transport-Security")).isEqualTo("max-age=31536000");
        // Behind the proxy the page opens the socket where the proxy serves it.
        assertThat(response.getHeader("Content-Security-Policy")).contains("connect-src 'self' wss://chat.example.org;");

        var http = new SecurityHeaders(false, PROXIED_SOCKET);
        response = new MockHttpServletResponse();
        http.writeHeaders(plain, response);
        assertThat(response.getHeader("Strict-Transport-Security")).isNull();
        var secure = new MockHttpServletRequest("GET", "/feed");
        secure.setSecure(true);
        response = new MockHttpServletResponse();
        http.writeHeaders(secure, response);
        assertThat(response.getHeader("Strict-Transport-Security")).isEqualTo("max-age=31536000");
    }
}
