package org.c18n.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.c18n.support.ModerationQueue.itemAbout;
import static org.c18n.support.ModerationQueue.reportThreeTimes;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.util.Map;
import java.util.regex.Pattern;
import org.c18n.client.Api;
import org.c18n.support.Accounts;
import org.c18n.support.BrowserPlatformTest;
import org.junit.jupiter.api.Test;

/**
 * Feeds that say where a post is and when, in excerpts, scrolling on without a "More" button; and
 * the moderation queue: held content kept from others until approved, confirmations before every
 * decision, a mute for a chosen time that its person sees.
 */
class FeedsAndModerationBrowserTest extends BrowserPlatformTest {

    @Test
    void theFeedNamesTheCommunityShowsExcerptsAndRelativeTimesAndScrollsOn() {
        Api owner = signedUp("fowner");
        String readerName = unique("freader");
        Api reader = Accounts.signedUp(base(), readerName);
        String community = community(owner, reader);
        String name = owner.get("/api/v1/communities/" + community).text("name");
        for (int i = 1; i <= 24; i++) {
            owner.post("/api/v1/communities/" + community + "/posts", Map.of("title", "Note " + i, "body", "Short note " + i));
        }
        String longBody = "The beginning of a long story. " + "More words follow here. ".repeat(60) + "THE VERY END.";
        owner.post("/api/v1/communities/" + community + "/posts", Map.of("title", "A long story", "body", longBody));

        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            signIn(page, readerName);
            page.navigate(base() + "/feed");
            Locator newest = page.locator("article.post").first();
            assertThat(newest).containsText("A long story");
            assertThat(newest.getByTestId("post-community")).hasText(name);
            assertThat(newest.getByTestId("post-community")).hasAttribute("href", "/communities/" + community);
            assertThat(newest).containsText("The beginning of a long story.");
            assertThat(newest).not().containsText("THE VERY END.");
            newest.getByTestId("read-more").click();
            assertThat(newest).containsText("THE VERY END.");

            Locator time = newest.getByTestId("relative-time");
            assertThat(time).hasText(Pattern.compile("seconds? ago|a minute ago|\\d+ minutes ago"));
            assertThat(time).hasAttribute("datetime", Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT"));
            assertThat(time).hasAttribute("title", Pattern.compile("\\d\\d:\\d\\d"));

            // 20 posts a page: scrolling to the end brings the rest, with no button pressed.
            assertThat(page.locator("article.post")).hasCount(20);
            page.getByTestId("load-more").scrollIntoViewIfNeeded();
            assertThat(page.locator("article.post")).hasCount(25);
            assertThat(page.getByTestId("feed")).containsText("Note 1");
            assertThat(page.getByTestId("load-more")).isHidden();
        }
    }

    @Test
    void heldContentWaitsForAModeratorWhoConfirmsEachDecisionAndAMutedAuthorSeesUntilWhen() {
        String ownerName = unique("mqowner");
        Api owner = Accounts.signedUp(base(), ownerName);
        String authorName = unique("mqauthor");
        Api author = Accounts.signedUp(base(), authorName);
        String readerName = unique("mqreader");
        Api reader = Accounts.signedUp(base(), readerName);
        String community = community(owner, author, reader);
        String fine = author.post("/api/v1/communities/" + community + "/posts",
                Map.of("title", "Harmless joke", "body", "Reported, but fine")).text("id");
        String rude = author.post("/api/v1/communities/" + community + "/posts",
                Map.of("title", "Rude remark", "body", "Reported, and rightly")).text("id");
        reportThreeTimes(base(), "/api/v1/posts/" + fine + "/reports");
        reportThreeTimes(base(), "/api/v1/posts/" + rude + "/reports");
        String fineItem = itemAbout(owner, community, fine);
        String rudeItem = itemAbout(owner, community, rude);

        try (BrowserContext readerContext = browser.newContext(); BrowserContext ownerContext = browser.newContext();
             BrowserContext authorContext = browser.newContext()) {
            Page readerPage = readerContext.newPage();
            signIn(readerPage, readerName);
            readerPage.navigate(base() + "/communities/" + community);
            assertThat(readerPage.getByTestId("community-name")).isVisible();
            assertThat(readerPage.getByTestId("feed")).not().containsText("Harmless joke");
            assertThat(readerPage.getByTestId("feed")).not().containsText("Rude remark");

            Page authorPage = authorContext.newPage();
            signIn(authorPage, authorName);
            authorPage.navigate(base() + "/posts/" + rude);
            assertThat(authorPage.getByTestId("held")).isVisible();

            Page ownerPage = ownerContext.newPage();
            signIn(ownerPage, ownerName);
            ownerPage.navigate(base() + "/moderation?community=" + community);
            Locator fineRow = ownerPage.locator("[data-item='" + fineItem + "']");
            Locator rudeRow = ownerPage.locator("[data-item='" + rudeItem + "']");
            assertThat(fineRow.getByTestId("queue-content")).containsText("Reported, but fine");

            // Nothing happens until the moderator says yes: cancelling leaves the item as it was.
            rudeRow.getByTestId("remove").click();
            assertThat(ownerPage.locator("dialog[open]")).containsText("Delete this post?");
            ownerPage.locator("dialog[open]").getByTestId("confirm-cancel").click();
            assertThat(ownerPage.locator("dialog[open]")).hasCount(0);
            assertThat(rudeRow).isVisible();

            fineRow.getByTestId("approve").click();
            assertThat(ownerPage.locator("dialog[open]")).containsText("show it to everyone again");
            confirm(ownerPage);
            assertThat(fineRow).hasCount(0);
            readerPage.reload();
            assertThat(readerPage.getByTestId("feed")).containsText("Harmless joke");
            assertThat(readerPage.getByTestId("feed")).not().containsText("Rude remark");

            rudeRow.getByTestId("mute").click();
            ownerPage.locator("dialog[open]").getByTestId("mute-duration").selectOption("P1D");
            confirm(ownerPage);
            assertThat(ownerPage.getByTestId("queue")).containsText("Nothing to review.");

            authorPage.navigate(base() + "/communities/" + community);
            Locator restriction = authorPage.getByTestId("restriction");
            assertThat(restriction).containsText("Muted until");
            String until = author.get("/api/v1/communities/" + community).body().path("myRestriction").path("until").asString();
            assertThat(restriction.locator("time")).hasAttribute("datetime", until);
            assertThat(authorPage.getByTestId("publish")).hasCount(0);
        }
    }
}
