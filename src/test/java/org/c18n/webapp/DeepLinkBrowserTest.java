package org.c18n.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.c18n.client.Api;
import org.c18n.support.BrowserPlatformTest;
import org.c18n.web.WebAppTest;
import org.junit.jupiter.api.Test;

/**
 * Every route of the web app's router, opened with a fresh page load as a shared link or a
 * reload would, in real Chromium: it answers 200 and the app draws the page, and the browser
 * reports no Content-Security-Policy violation on any of them (nor on the API's Swagger UI).
 */
class DeepLinkBrowserTest extends BrowserPlatformTest {
    /** Console messages in which the browser reports a blocked load or script. */
    static List<String> watchCsp(Page page) {
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        page.onConsoleMessage(m -> {
            if (m.text().contains("Content Security Policy")) {
                violations.add(page.url() + ": " + m.text());
            }
        });
        return violations;
    }

    @Test
    void everyRouteOpensDirectlyWithoutAPolicyViolation() throws Exception {
        Api admin = admin();
        Api other = signedUp("linked");
        String community = admin.post("/api/v1/communities", Map.of("name", unique("Linked "))).text("id");
        String post = admin.post("/api/v1/communities/" + community + "/posts",
                Map.of("title", "Deep link", "body", "| left | right |\n|:--|--:|\n| a | b |\n\n**bold**")).text("id");
        String group = admin.post("/api/v1/communities/" + community + "/usergroups", Map.of("name", unique("g")))
                .header("Location");
        group = group.substring(group.lastIndexOf('/') + 1);
        String room = admin.post("/api/v1/rooms/direct", Map.of("userId", other.id())).text("id");
        Map<String, String> ids = Map.of("/posts/", post, "/communities/", community, "/groups/", group,
                "/chat/", room, "/users/", other.id());

        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            List<String> violations = watchCsp(page);
            page.navigate(base() + "/login");
            page.getByLabel("Username").fill("admin");
            page.getByLabel("Password").fill("admin-password");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
            assertThat(page.getByTestId("me")).isVisible();

            List<String> routes = WebAppTest.routerPaths();
            org.assertj.core.api.Assertions.assertThat(routes).hasSizeGreaterThan(15).contains("/posts/{id}", "/chat/{room}");
            for (String route : routes) {
                String path = route;
                for (var id : ids.entrySet()) {
                    if (route.startsWith(id.getKey()) && route.contains("{")) {
                        path = id.getKey() + id.getValue();
                    }
                }
                var response = page.navigate(base() + path);
                org.assertj.core.api.Assertions.assertThat(response.status()).as(path).isEqualTo(200);
                org.assertj.core.api.Assertions.assertThat(response.headers().get("content-type")).as(path)
                        .startsWith("text/html");
                // Still signed in (the fresh load restored the session) and the route's own page is drawn.
                assertThat(page.getByTestId("me")).isVisible();
                assertThat(page.locator("main > *").first()).isVisible();
                // A signed-in person is sent from the sign-in pages to the feed.
                if (!path.equals("/") && !path.equals("/sso") && !path.equals("/login") && !path.equals("/register")) {
                    assertThat(page).hasURL(base() + path);
                }
                assertThat(page.getByTestId("not-found")).hasCount(0);
            }
            // The pages that matter most show what they link to.
            page.navigate(base() + "/posts/" + post);
            assertThat(page.getByText("Deep link")).isVisible();
            assertThat(page.locator(".markdown table")).isVisible();
            page.navigate(base() + "/communities/" + community);
            assertThat(page.getByTestId("community-name")).isVisible();

            // A link from before the app used real paths still leads to its page.
            page.navigate(base() + "/#/posts/" + post);
            page.waitForURL(base() + "/posts/" + post);
            assertThat(page.getByText("Deep link")).isVisible();

            // An unknown path: the app's own page, with a 404.
            var missing = page.navigate(base() + "/no/such/page");
            org.assertj.core.api.Assertions.assertThat(missing.status()).isEqualTo(404);
            assertThat(page.getByTestId("not-found")).isVisible();
            page.getByTestId("not-found").getByRole(AriaRole.LINK).click();
            assertThat(page.getByTestId("me")).isVisible();

            org.assertj.core.api.Assertions.assertThat(violations).as("CSP violations reported by the browser").isEmpty();
        }
    }

    @Test
    void swaggerUiRunsUnderItsPolicy() {
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            List<String> violations = watchCsp(page);
            page.navigate(base() + "/api/docs");
            assertThat(page.locator(".swagger-ui .info .title")).isVisible();
            assertThat(page.locator(".opblock-tag-section").first()).isVisible();
            org.assertj.core.api.Assertions.assertThat(violations).as("CSP violations reported by the browser").isEmpty();
        }
    }
}
