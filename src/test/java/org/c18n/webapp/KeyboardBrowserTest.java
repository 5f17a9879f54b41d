package org.c18n.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.awt.Color;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.c18n.client.Api;
import org.c18n.support.BrowserPlatformTest;
import org.c18n.support.Eventually;
import org.c18n.support.Prometheus;
import org.c18n.support.TestMedia;
import org.junit.jupiter.api.Test;

/**
 * The web app without a mouse and with a screen reader: a skip link, shortcuts to search and the
 * main pages (not while typing) with a help dialog, chat rooms opened and written in by keyboard,
 * new messages and notifications in live regions, and images named by what they belong to.
 */
class KeyboardBrowserTest extends BrowserPlatformTest {
    @Test
    void skipLinkAndShortcutsLeadAroundAndWaitWhileTyping() {
        Api ann = signedUp("keys");
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            signInThroughThePage(page, ann.get("/api/v1/users/me").text("username"), null);
            page.navigate(base() + "/feed");
            assertThat(page.locator("main > *").first()).isVisible();

            // The first Tab reaches the skip link, which shows and takes the focus to the page's content.
            page.keyboard().press("Tab");
            Locator skip = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Skip to content"));
            assertThat(skip).isFocused();
            assertThat(skip).isInViewport();
            page.keyboard().press("Enter");
            assertThat(page.locator("main")).isFocused();

            page.keyboard().type("gc");
            assertThat(page).hasURL(base() + "/communities");
            page.keyboard().type("gn");
            assertThat(page).hasURL(base() + "/notifications");
            page.keyboard().type("gp");
            assertThat(page).hasURL(base() + "/chat");
            page.keyboard().type("gh");
            assertThat(page).hasURL(base() + "/feed");

            // "/" puts the cursor in the search field; what is typed there is text, not shortcuts.
            page.keyboard().press("/");
            Locator search = page.getByTestId("search-input");
            assertThat(search).isFocused();
            page.keyboard().type("gc?");
            assertThat(search).hasValue("gc?");
            assertThat(page).hasURL(base() + "/feed");
            assertThat(page.getByTestId("shortcuts-help")).isHidden();

            // "?" lists the shortcuts in a dialog that Escape closes.
            search.blur();
            page.keyboard().press("?");
            Locator help = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Keyboard shortcuts"));
            assertThat(help).isVisible();
            assertThat(help).containsText("Communities");
            assertThat(help.locator("kbd")).hasCount(10);
            page.keyboard().press("Escape");
            assertThat(help).isHidden();
        }
    }

    @Test
    void aChatIsOpenedAndWrittenInByKeyboardAndNewsIsSaidInLiveRegions() throws Exception {
        Api ann = signedUp("reader");
        Api bob = signedUp("writer");
        String bobName = bob.get("/api/v1/users/me").text("username");
        String community = community(ann, bob);
        String image = ann.upload("/api/v1/media", "dunes.png", "image/png", TestMedia.image("png", 320, 213, Color.ORANGE))
                .text("id");
        String post = ann.post("/api/v1/communities/" + community + "/posts",
                Map.of("title", "Dunes at dawn", "body", "Early light.", "mediaIds", List.of(image))).text("id");
        String room = ann.post("/api/v1/rooms/direct", Map.of("userId", bob.id())).text("id");

        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            signInThroughThePage(page, ann.get("/api/v1/users/me").text("username"), null);

            // Bob's reply is a notification, said in the live region as well as shown on the bell.
            Locator said = page.getByTestId("unread-said");
            assertThat(said).hasAttribute("aria-live", "polite");
            assertThat(said).isEmpty();
            Eventually.get(() -> bob.post("/api/v1/posts/" + post + "/comments", Map.of("body", "Beautiful")),
                    r -> r.status() == 201 || r.status() == 202, Duration.ofSeconds(20));
            // The speed layer derives the notification; under a loaded suite that can take seconds (24 s was
            // seen on a fresh node, and a CI run once waited 30 s in vain here).
            try {
                assertThat(said).hasText("1 unread notification", new LocatorAssertions.HasTextOptions().setTimeout(60_000));
            } catch (AssertionError late) {
                // Whether the notification was derived and not shown, or not derived: say what the readers were doing.
                throw new AssertionError(late.getMessage() + "\nAnn's notifications: "
                        + ann.get("/api/v1/notifications?limit=3").body() + "\nreaders:\n"
                        + Prometheus.readers(managementBase()), late);
            }

            // An image is named by the post it belongs to, not by its size.
            page.navigate(base() + "/posts/" + post);
            assertThat(page.locator(".gallery img")).hasAttribute("alt", "Dunes at dawn");

            page.navigate(base() + "/chat");
            Locator roomLink = page.getByTestId("rooms").getByRole(AriaRole.LINK).filter(new Locator.FilterOptions().setHasText(bobName));
            for (int i = 0; i < 30 && !(Boolean) roomLink.evaluate("e => e === document.activeElement"); i++) {
                page.keyboard().press("Tab");
            }
            assertThat(roomLink).isFocused();
            page.keyboard().press("Enter");
            assertThat(page).hasURL(base() + "/chat/" + room);

            Locator messages = page.getByRole(AriaRole.LOG, new Page.GetByRoleOptions().setName("Messages"));
            assertThat(messages).hasAttribute("aria-live", "polite");
            page.getByLabel("Message", new Page.GetByLabelOptions().setExact(true)).focus();
            page.keyboard().type("Typed without a mouse");
            page.keyboard().press("Enter");
            assertThat(messages).containsText("Typed without a mouse");
            bob.post("/api/v1/rooms/" + room + "/messages", Map.of("body", "Heard you"));
            assertThat(messages).containsText("Heard you");
        }
    }
}
