package org.c18n.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ColorScheme;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.c18n.client.Api;
import org.c18n.support.Accounts;
import org.c18n.support.BrowserPlatformTest;
import org.junit.jupiter.api.Test;

/**
 * The pages around the app's content: a 404 page for a wrong address, a favicon and a title that
 * names the page in the tab, dark mode when the system asks for it, a signed-in person kept off the
 * sign-in page, and a community's settings (its Markdown description shown on its page).
 */
class PagesBrowserTest extends BrowserPlatformTest {
    private String signIn(Page page) {
        String username = unique("pages");
        Accounts.signedUp(base(), username);
        signIn(page, username);
        return username;
    }

    @Test
    void unknownAddressShowsANotFoundPageWithTitleAndFaviconAndNoConsoleError() {
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            List<String> errors = Collections.synchronizedList(new ArrayList<>());
            page.onConsoleMessage(m -> {
                // The 404 of the wrong address itself, and the API's 401 before signing in, are expected.
                String at = String.valueOf(m.location());
                if (m.type().equals("error") && !at.contains("/no/such/page") && !at.contains("/api/")) {
                    errors.add(m.text() + " at " + at);
                }
            });
            List<String> failed = Collections.synchronizedList(new ArrayList<>());
            page.onResponse(r -> {
                if (r.status() >= 400 && !r.url().endsWith("/no/such/page") && !r.url().contains("/api/")) {
                    failed.add(r.status() + " " + r.url());
                }
            });
            var favicon = page.waitForResponse(r -> r.url().endsWith("/favicon.svg"), () -> page.navigate(base() + "/no/such/page"));
            org.assertj.core.api.Assertions.assertThat(favicon.status()).isEqualTo(200);
            org.assertj.core.api.Assertions.assertThat(favicon.headerValue("content-type")).startsWith("image/svg+xml");
            assertThat(page.getByTestId("not-found")).isVisible();
            assertThat(page).hasTitle("Page not found · c18n");

            signIn(page);
            page.navigate(base() + "/chat");
            assertThat(page).hasTitle("Chat · c18n");
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Communities").setExact(true)).click();
            assertThat(page).hasTitle("Communities · c18n");
            org.assertj.core.api.Assertions.assertThat(errors).as("console errors").isEmpty();
            org.assertj.core.api.Assertions.assertThat(failed).as("failed loads").isEmpty();
        }
    }

    @Test
    void signedInPersonOpeningTheSignInPageLandsOnTheFeed() {
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            signIn(page);
            page.navigate(base() + "/login");
            assertThat(page).hasURL(base() + "/feed");
            assertThat(page).hasTitle("Feed · c18n");
        }
    }

    @Test
    void darkModeFollowsTheSystem() {
        String dark;
        String light;
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setColorScheme(ColorScheme.DARK))) {
            Page page = context.newPage();
            page.navigate(base() + "/login");
            assertThat(page.getByLabel("Username")).isVisible();
            dark = (String) page.evaluate("getComputedStyle(document.documentElement).backgroundColor");
            String card = (String) page.evaluate("getComputedStyle(document.querySelector('.card')).backgroundColor");
            String text = (String) page.evaluate("getComputedStyle(document.querySelector('h1')).color");
            org.assertj.core.api.Assertions.assertThat(luminance(dark)).isLessThan(0.1);
            org.assertj.core.api.Assertions.assertThat(luminance(card)).isLessThan(0.15);
            org.assertj.core.api.Assertions.assertThat(luminance(text)).isGreaterThan(0.7);
        }
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setColorScheme(ColorScheme.LIGHT))) {
            Page page = context.newPage();
            page.navigate(base() + "/login");
            assertThat(page.getByLabel("Username")).isVisible();
            light = (String) page.evaluate("getComputedStyle(document.documentElement).backgroundColor");
        }
        org.assertj.core.api.Assertions.assertThat(luminance(light)).isGreaterThan(0.9);
    }

    @Test
    void communityNamedWithAnApostropheGetsSettingsAndAMarkdownDescription() {
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            signIn(page);
            page.navigate(base() + "/communities");
            page.getByTestId("new-community").click();
            String name = unique("Ann's garden ");
            page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill(name);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create").setExact(true)).click();
            assertThat(page.getByTestId("community-name")).hasText(name);
            assertThat(page).hasTitle("Community · c18n");

            var settings = page.getByTestId("community-settings");
            settings.getByLabel("Description (Markdown)").fill("Grow **tomatoes** here.\n\n- sun\n- water");
            settings.getByLabel("Rules (Markdown, shown on the community's page)").fill("1. Be *kind*\n2. No spam");
            settings.getByText("New posts wait for a moderator's approval").click();
            settings.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save settings")).click();
            assertThat(settings.getByText("Settings saved.")).isVisible();
            assertThat(page.getByTestId("community-description").locator("strong")).hasText("tomatoes");
            assertThat(page.getByTestId("community-description").locator("li")).hasCount(2);
            assertThat(page.getByTestId("community-rules").locator("ol li")).hasCount(2);
            assertThat(page.getByTestId("community-rules").locator("em")).hasText("kind");

            // What was saved is what the server holds: a fresh load shows it again.
            page.reload();
            assertThat(page.getByTestId("community-description").locator("strong")).hasText("tomatoes");
            assertThat(page.getByTestId("community-settings").getByRole(AriaRole.CHECKBOX)).isChecked();
            assertThat(page.getByTestId("community-rules")).containsText("No spam");
        }
    }

    @Test
    void historyShowsNestedListsAsLists() {
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            String username = signIn(page);
            Api author = new Api(base()).login(username, Accounts.password(username));
            String community = community(author);
            String post = author.post("/api/v1/communities/" + community + "/posts",
                    Map.of("title", "Packing", "body", "- tent\n  - poles\n  - pegs\n- stove")).text("id");
            page.navigate(base() + "/posts/" + post);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("History").setExact(true)).click();
            var nested = page.locator(".list .markdown li li").first();
            assertThat(nested).hasText("poles");
            // A row of the History list is a flex row with a rule under it; an item of the post's own list is not.
            org.assertj.core.api.Assertions.assertThat(nested.evaluate("e => getComputedStyle(e).display")).isEqualTo("list-item");
            org.assertj.core.api.Assertions.assertThat(nested.evaluate("e => getComputedStyle(e).borderBottomStyle")).isEqualTo("none");
        }
    }

    /** Relative luminance (0 black .. 1 white) of a CSS rgb()/rgba() colour. */
    private static double luminance(String css) {
        var m = Pattern.compile("rgba?\\((\\d+), (\\d+), (\\d+)").matcher(css);
        if (!m.find()) {
            throw new AssertionError("not a colour: " + css);
        }
        double r = Integer.parseInt(m.group(1)) / 255.0;
        double g = Integer.parseInt(m.group(2)) / 255.0;
        double b = Integer.parseInt(m.group(3)) / 255.0;
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    }
}
