package org.c18n.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.Map;
import org.c18n.client.Api;
import org.c18n.support.Accounts;
import org.c18n.support.BrowserPlatformTest;
import org.junit.jupiter.api.Test;

/**
 * Notifications in real Chromium: replies to one post show as one entry ("… and 1 other
 * replied"), following it reads the whole entry and the bell's count drops; opening a post's
 * page reads what is about it; once allowed (one click), a new one shows as a system notification
 * while the tab is hidden.
 */
class NotificationBrowserTest extends BrowserPlatformTest {
    /**
     * The browser's Notification API as a page sees it, recorded: asking for permission grants it,
     * every notification shown is kept in {@code window.shown}; {@code window.hide()} makes the
     * tab hidden (headless Chromium has no window to minimise).
     */
    private static final String SYSTEM_NOTIFICATIONS = """
            window.shown = [];
            let hidden = false;
            window.hide = () => { hidden = true; };
            Object.defineProperty(document, 'visibilityState', { get: () => hidden ? 'hidden' : 'visible' });
            window.Notification = class {
              static permission = 'default';
              static async requestPermission() { window.Notification.permission = 'granted'; return 'granted'; }
              constructor(title, options) { window.shown.push({ title, body: options.body }); }
            };
            """;

    @Test
    void groupedRepliesAreReadWhenFollowedOrTheirPageIsOpenedAndNewOnesReachTheDesktop() {
        String annName = unique("bann");
        Api ann = Accounts.signedUp(base(), annName);
        Api bob = signedUp("bbob");
        Api cat = signedUp("bcat");
        String community = community(ann, bob, cat);
        String post = ann.post("/api/v1/communities/" + community + "/posts", Map.of("title", "Group me", "body", "x")).text("id");
        String other = ann.post("/api/v1/communities/" + community + "/posts", Map.of("title", "Other", "body", "y")).text("id");
        bob.post("/api/v1/posts/" + post + "/comments", Map.of("body", "one"));
        cat.post("/api/v1/posts/" + post + "/comments", Map.of("body", "two"));

        try (BrowserContext context = browser.newContext()) {
            context.addInitScript(SYSTEM_NOTIFICATIONS);
            Page page = context.newPage();
            page.navigate(base() + "/login");
            page.getByLabel("Username").fill(annName);
            page.getByLabel("Password").fill(Accounts.password(annName));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
            assertThat(page.getByTestId("me")).isVisible();

            Locator bellCount = page.getByTestId("bell-count");
            page.getByTestId("bell").click();
            Locator entry = page.getByTestId("notifications").locator("li").filter(new Locator.FilterOptions().setHasText("Group me"));
            // The speed layer may still be on its way: the list is read again until both replies are in one entry.
            for (int i = 0; i < 60 && (entry.count() == 0 || !entry.first().textContent().contains("and 1 other")); i++) {
                page.waitForTimeout(500);
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Refresh")).click();
            }
            assertThat(entry).containsText("and 1 other replied on “Group me”");
            assertThat(entry.getByTestId("group-count")).hasText("(2)");
            assertThat(bellCount).hasText("2");

            // Following the entry reads both, and the bell says so.
            entry.getByRole(AriaRole.LINK).click();
            assertThat(page.getByText("one", new Page.GetByTextOptions().setExact(true))).isVisible();
            assertThat(bellCount).isHidden();
            page.getByTestId("bell").click();
            assertThat(entry).not().containsText("new");

            // Allowed once, on a click; then a reply while the tab is hidden shows on the desktop,
            // and opening the page it is about reads it.
            page.getByTestId("allow-system").click();
            assertThat(page.getByTestId("allow-system")).isHidden();
            page.evaluate("window.hide()");
            bob.post("/api/v1/posts/" + other + "/comments", Map.of("body", "elsewhere"));
            assertThat(bellCount).hasText("1");
            org.assertj.core.api.Assertions.assertThat(page.evaluate("JSON.stringify(window.shown)").toString())
                    .contains("Someone replied to you");
            page.navigate(base() + "/posts/" + other);
            assertThat(page.getByText("elsewhere", new Page.GetByTextOptions().setExact(true))).isVisible();
            assertThat(bellCount).isHidden();
        }
    }
}
