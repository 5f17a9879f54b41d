package org.c18n.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.ColorScheme;
import com.microsoft.playwright.options.LoadState;
import java.awt.Color;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.c18n.client.Api;
import org.c18n.support.BrowserPlatformTest;
import org.c18n.support.Eventually;
import org.c18n.support.TestMedia;
import org.c18n.web.WebAppTest;
import org.junit.jupiter.api.Test;

/**
 * Every page of the web app, filled with real content, on a desktop in light mode and on a phone
 * in dark mode: no page wider than the screen, no serious or critical accessibility violation that
 * axe-core finds, and a screenshot of each in target/screenshots (the README shows a few).
 */
class EveryRouteBrowserTest extends BrowserPlatformTest {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    // An init script reaches the page through the browser's own channel, which the app's CSP (scripts only from the
    // app's origin) does not govern; a <script> tag, as addScriptTag makes, would be refused.
    static final Path AXE = Path.of("frontend", "node_modules", "axe-core", "axe.min.js");
    static final String NOT_FOUND = "/no/such/page";

    record Size(String name, Browser.NewContextOptions options) {}

    @Test
    void everyRouteFitsTheScreenAndHasNoSeriousAccessibilityViolationOnADesktopAndAPhone() throws Exception {
        Map<String, String> paths = concretePaths();
        List<String> publicRoutes = WebAppTest.publicRouterPaths();
        List<String> problems = new ArrayList<>();
        for (Size size : List.of(
                new Size("desktop", new Browser.NewContextOptions().setViewportSize(1280, 800).setColorScheme(ColorScheme.LIGHT)),
                new Size("phone", new Browser.NewContextOptions().setViewportSize(390, 844).setColorScheme(ColorScheme.DARK)))) {
            try (BrowserContext signedIn = browser.newContext(size.options()); BrowserContext signedOut = browser.newContext(size.options())) {
                signedIn.addInitScript(AXE);
                signedOut.addInitScript(AXE);
                Page member = signedIn.newPage();
                signInThroughThePage(member, "admin", "admin-password");
                Page stranger = signedOut.newPage();
                for (var route : paths.entrySet()) {
                    Page page = publicRoutes.contains(route.getKey()) || route.getKey().equals(NOT_FOUND) ? stranger : member;
                    problems.addAll(check(page, route.getKey(), route.getValue(), size.name()));
                }
            }
        }
        org.assertj.core.api.Assertions.assertThat(problems)
                .as("pages wider than the screen, a phone header over 64 px, or serious/critical axe violations")
                .isEmpty();
    }

    /** What is wrong with one page at one size, readably; takes its screenshot. */
    private static List<String> check(Page page, String route, String path, String size) {
        page.navigate(path);
        assertThat(page.locator("main > *").first()).isVisible();
        try { // what the page loads after it is drawn (a feed, a chart)
            page.waitForLoadState(LoadState.NETWORKIDLE, new Page.WaitForLoadStateOptions().setTimeout(3000));
        } catch (TimeoutError stillLoading) {
            // a page that keeps asking is checked as it stands after 3 s
        }
        List<String> problems = new ArrayList<>();
        String where = route + " (" + size + ", " + path.replaceFirst("^https?://[^/]+", "") + ")";
        var width = (Map<?, ?>) page.evaluate("() => ({ scroll: document.documentElement.scrollWidth, inner: innerWidth,"
                + " header: document.querySelector('header').getBoundingClientRect().height })");
        if (((Number) width.get("scroll")).intValue() > ((Number) width.get("inner")).intValue()) {
            problems.add(where + ": " + width.get("scroll") + " px wide in a " + width.get("inner") + " px window");
        }
        if (size.equals("phone") && ((Number) width.get("header")).doubleValue() > 64) {
            problems.add(where + ": the header is " + width.get("header") + " px high");
        }
        @SuppressWarnings("unchecked")
        List<String> violations = (List<String>) page.evaluate("""
                async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                  .filter(v => v.impact === 'serious' || v.impact === 'critical')
                  .map(v => `${v.id} (${v.impact}): ${v.help}` + v.nodes.slice(0, 4)
                    .map(n => `\\n      at ${n.target.join(' ')}: ${n.failureSummary.replace(/\\s+/g, ' ')}`).join(''))
                """);
        violations.forEach(v -> problems.add(where + ": " + v));
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name(route) + "-" + size + ".png")));
        return problems;
    }

    /** "/posts/{id}" is "posts-id", "/" is "home". */
    static String name(String route) {
        String name = route.replaceAll("[{}]", "").replaceAll("[^a-z]+", "-").replaceAll("^-|-$", "");
        return name.isEmpty() ? "home" : name;
    }

    /**
     * Every route of the router, and a wrong address, with a full address to open: the variables filled with what
     * the test makes, so that each page shows real content (a post with a picture, wide code, a table and replies;
     * a chat with messages; a notification; a report to moderate).
     */
    private Map<String, String> concretePaths() throws Exception {
        Api admin = admin();
        Api other = signedUp("everyroute");
        String otherName = other.get("/api/v1/users/me").text("username");
        String community = admin.post("/api/v1/communities", Map.of("name", unique("Harbour walks "),
                "description", "Walks along the **old harbour**, every Sunday.")).text("id");
        other.post("/api/v1/communities/" + community + "/join", null);
        String image = admin.upload("/api/v1/media", "harbour.png", "image/png",
                TestMedia.image("png", 320, 213, new Color(40, 90, 160))).text("id");
        String post = admin.post("/api/v1/communities/" + community + "/posts", Map.of("title", "Sunset over the harbour",
                "body", "The light at seven.\n\n```\n" + "x = 1; ".repeat(60) + "\n```\n\n| " + "a wide column | ".repeat(8)
                        + "\n|" + "--|".repeat(8) + "\n| " + "cell_without_any_break_at_all | ".repeat(8) + "\n",
                "mediaIds", List.of(image))).text("id");
        // A reply names its post, which the view must have taken in first.
        Eventually.get(() -> other.post("/api/v1/posts/" + post + "/comments", Map.of("body", "Lovely, @admin — same time next week?")),
                r -> r.status() == 201 || r.status() == 202, Duration.ofSeconds(20));
        other.post("/api/v1/posts/" + post + "/reports", Map.of("reason", "A test report, to fill the queue"));
        String group = admin.post("/api/v1/communities/" + community + "/usergroups", Map.of("name", unique("Walkers ")))
                .header("Location");
        group = group.substring(group.lastIndexOf('/') + 1);
        String room = admin.post("/api/v1/rooms/direct", Map.of("userId", other.id())).text("id");
        admin.post("/api/v1/rooms/" + room + "/messages", Map.of("body", "Are you coming on Sunday?"));
        other.post("/api/v1/rooms/" + room + "/messages", Map.of("body", "Yes, @" + otherName + " will bring tea."));

        Map<String, String> ids = Map.of("/posts/", post, "/communities/", community, "/groups/", group,
                "/chat/", room, "/users/", other.id());
        Map<String, String> paths = new LinkedHashMap<>();
        for (String route : WebAppTest.routerPaths()) {
            String path = route;
            for (var id : ids.entrySet()) {
                if (route.startsWith(id.getKey()) && route.contains("{")) {
                    path = id.getKey() + id.getValue();
                }
            }
            paths.put(route, base() + path + (route.equals("/search") ? "?q=harbour" : ""));
        }
        paths.put(NOT_FOUND, base() + NOT_FOUND);
        return paths;
    }
}
