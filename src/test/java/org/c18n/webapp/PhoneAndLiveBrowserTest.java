package org.c18n.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.c18n.client.Api;
import org.c18n.support.Accounts;
import org.c18n.support.Eventually;
import org.c18n.support.BrowserPlatformTest;
import org.junit.jupiter.api.Test;

/**
 * The web app on a phone (390 x 844) and what it shows live: wide code and tables scrolling inside
 * their card (every route's width: EveryRouteBrowserTest), a one-line header with a menu, a ten-level thread that stays readable, presence that flips between
 * two people as it happens, and a direct message that raises the Chat badge and the tab title
 * while its reader is elsewhere.
 */
class PhoneAndLiveBrowserTest extends BrowserPlatformTest {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Browser.NewContextOptions PHONE = new Browser.NewContextOptions().setViewportSize(390, 844);

    @Test
    void atPhoneSizeWideContentScrollsInItsCardTheComposerIsOnScreenAndTheHeaderFoldsIntoAMenu() {
        Api admin = admin();
        Api other = signedUp("phone");
        String community = admin.post("/api/v1/communities", Map.of("name", unique("Phone "))).text("id");
        String post = admin.post("/api/v1/communities/" + community + "/posts", Map.of("title", "Wide things",
                "body", "```\n" + "x = 1; ".repeat(60) + "\n```\n\n| " + "a wide column | ".repeat(12) + "\n|"
                        + "--|".repeat(12) + "\n| " + "cell_without_any_break_at_all | ".repeat(12) + "\n")).text("id");
        String room = admin.post("/api/v1/rooms/direct", Map.of("userId", other.id())).text("id");

        try (BrowserContext context = browser.newContext(PHONE)) {
            Page page = context.newPage();
            signInThroughThePage(page, "admin", "admin-password");
            // The code block and the table scroll inside the card; the chat composer is on screen.
            page.navigate(base() + "/posts/" + post);
            assertThat(page.locator(".markdown pre").first()).isVisible();
            page.navigate(base() + "/chat/" + room);
            assertThat(page.getByTestId("send")).isInViewport();

            // The nav is behind the menu; a choice in it navigates and folds it again.
            assertThat(page.locator("#main-nav")).isHidden();
            page.getByTestId("menu").click();
            page.locator("#main-nav").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Groups")).click();
            assertThat(page).hasURL(base() + "/groups");
            assertThat(page.locator("#main-nav")).isHidden();
        }
    }

    @Test
    void aTenLevelThreadStaysReadableOnAPhoneFoldsAndGrowsLive() {
        Api author = signedUp("thread");
        Api replier = signedUp("replier");
        String community = community(author, replier);
        String post = author.post("/api/v1/communities/" + community + "/posts", Map.of("title", "Deep", "body", "Talk"))
                .text("id");
        List<String> chain = thread(author, post, 10);

        try (BrowserContext context = browser.newContext(PHONE)) {
            Page page = context.newPage();
            signIn(page, author);
            page.navigate(base() + "/posts/" + post);
            assertThat(page.locator(".comment")).hasCount(5); // levels 0-4 indented, the rest one link away
            readable(page);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("thread-phone.png")));

            page.getByTestId("continue-thread").click();
            assertThat(page.locator("#c-" + chain.get(8))).isVisible();
            assertThat(page.locator(".comment")).hasCount(5); // depth 4 (its root) to depth 8
            readable(page);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("thread-phone-continued.png")));
            page.getByTestId("continue-thread").click();
            assertThat(page.locator("#c-" + chain.get(9))).isVisible();
            readable(page);
            page.getByTestId("whole-thread").click();
            assertThat(page.locator(".comment")).hasCount(5);

            // Folding a comment hides its replies and says how many there are.
            Locator first = page.locator("#c-" + chain.get(0));
            first.getByTestId("toggle").first().click();
            assertThat(page.locator(".comment")).hasCount(1);
            assertThat(first).containsText("(9 replies)");
            first.getByTestId("toggle").first().click();
            assertThat(page.locator(".comment")).hasCount(5);

            // Someone else answers: the answer shows up without a reload.
            replier.post("/api/v1/posts/" + post + "/comments", Map.of("body", "A new voice", "parentId", chain.get(0)));
            assertThat(page.getByText("A new voice")).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions
                    .IsVisibleOptions().setTimeout(15_000));
        }
    }

    @Test
    void presenceFlipsLiveBetweenTwoPeopleInANewConversation() {
        String annName = unique("presann");
        String bobName = unique("presbob");
        Api ann = Accounts.signedUp(base(), annName);
        Api bob = Accounts.signedUp(base(), bobName);
        try (BrowserContext first = browser.newContext(); BrowserContext second = browser.newContext()) {
            Page a = first.newPage();
            Page b = second.newPage();
            signIn(a, ann);
            signIn(b, bob);
            a.navigate(base() + "/chat");
            b.navigate(base() + "/chat");
            assertThat(a.getByTestId("rooms")).containsText("Chats");
            assertThat(b.getByTestId("rooms")).containsText("Chats");

            // The conversation starts while both are connected: each sees the other online at once.
            ann.post("/api/v1/rooms/direct", Map.of("userId", bob.id()));
            Locator bobAsAnnSeesHim = a.getByTestId("rooms").getByTestId("presence-" + bob.id());
            Locator annAsBobSeesHer = b.getByTestId("rooms").getByTestId("presence-" + ann.id());
            assertThat(bobAsAnnSeesHim).hasAttribute("data-status", "online");
            assertThat(annAsBobSeesHer).hasAttribute("data-status", "online");

            // Bob switches to another tab: away; back: online; gone: offline.
            visibility(b, "hidden");
            assertThat(bobAsAnnSeesHim).hasAttribute("data-status", "away");
            visibility(b, "visible");
            assertThat(bobAsAnnSeesHim).hasAttribute("data-status", "online");
            a.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("presence-online.png")));
            second.close();
            assertThat(bobAsAnnSeesHim).hasAttribute("data-status", "offline");
        }
    }

    @Test
    void aDirectMessageOnAnotherPageRaisesTheChatBadgeAndTheTitle() {
        String bobName = unique("badgebob");
        Api ann = signedUp("badgeann");
        Api bob = Accounts.signedUp(base(), bobName);
        String room = ann.post("/api/v1/rooms/direct", Map.of("userId", bob.id())).text("id");
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            signIn(page, bob);
            page.navigate(base() + "/communities");
            assertThat(page.getByTestId("bell")).isVisible();
            assertThat(page.getByTestId("chat-unread")).hasCount(0);

            ann.post("/api/v1/rooms/" + room + "/messages", Map.of("body", "Are you there?"));
            assertThat(page.getByTestId("chat-unread")).hasText("1");
            assertThat(page).hasTitle(java.util.regex.Pattern.compile("^\\(1\\) "));
            ann.post("/api/v1/rooms/" + room + "/messages", Map.of("body", "Hello?"));
            assertThat(page.getByTestId("chat-unread")).hasText("2");
            assertThat(page).hasTitle(java.util.regex.Pattern.compile("^\\(2\\) "));
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("chat-badge.png")));

            // Reading the conversation clears both; leaving it, a new message counts again.
            page.getByTestId("nav-chat").click();
            page.getByTestId("rooms").locator("li").first().click();
            assertThat(page.getByTestId("messages")).containsText("Hello?");
            assertThat(page.getByTestId("chat-unread")).hasCount(0);
            assertThat(page).hasTitle(java.util.regex.Pattern.compile("^[^(]"));
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Groups")).click();
            ann.post("/api/v1/rooms/" + room + "/messages", Map.of("body", "Still there?"));
            assertThat(page.getByTestId("chat-unread")).hasText("1");
        }
    }

    /** A chain of replies, each answering the one before; answers their ids, top first. */
    private static List<String> thread(Api author, String post, int depth) {
        List<String> ids = new ArrayList<>();
        for (int level = 0; level < depth; level++) {
            Map<String, Object> body = new java.util.HashMap<>(Map.of("body", "Level " + level + " says something worth"
                    + " reading, at some length, so that it wraps over a few lines on a phone."));
            if (!ids.isEmpty()) {
                body.put("parentId", ids.get(ids.size() - 1));
            }
            // A reply names its parent, which the view must have taken in first.
            var created = Eventually.get(() -> author.post("/api/v1/posts/" + post + "/comments", body),
                    r -> r.status() == 201 || r.status() == 202, Duration.ofSeconds(20));
            ids.add(created.text("id"));
        }
        Eventually.get(() -> author.get("/api/v1/posts/" + post + "/comments?view=flat&limit=100"),
                r -> r.body().path("items").size() >= depth, Duration.ofSeconds(20));
        return ids;
    }

    /** Every comment's text column on screen is at least 200 px wide, and the page no wider than the screen. */
    private static void readable(Page page) {
        @SuppressWarnings("unchecked")
        List<Number> widths = (List<Number>) page.evaluate(
                "() => [...document.querySelectorAll('.comment > .markdown, .comment .blocked > .markdown')].map(e => e.getBoundingClientRect().width)");
        org.assertj.core.api.Assertions.assertThat(widths).isNotEmpty()
                .allSatisfy(w -> org.assertj.core.api.Assertions.assertThat(w.doubleValue()).isGreaterThanOrEqualTo(200));
        org.assertj.core.api.Assertions.assertThat(((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue())
                .isLessThanOrEqualTo(390);
    }

    /** What a browser does when its tab goes to the background or comes back. */
    private static void visibility(Page page, String state) {
        page.evaluate("state => { Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });"
                + " Object.defineProperty(document, 'hidden', { value: state === 'hidden', configurable: true });"
                + " document.dispatchEvent(new Event('visibilitychange')); }", state);
    }
}
