package org.c18n.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.c18n.client.Api;
import org.c18n.support.BrowserPlatformTest;
import org.junit.jupiter.api.Test;

/** The search page in real headless Chromium: filters by author, community and date; "did you mean". */
class SearchBrowserTest extends BrowserPlatformTest {
    @Test
    void searchResultsNarrowByAuthorCommunityAndDateAndAMisspellingIsCorrected() {
        String word = "kestrel" + java.util.UUID.randomUUID().toString().replaceAll("[^a-f]", "").substring(0, 5);
        Api ann = signedUp("falconer");
        Api bob = signedUp("birder");
        String bobName = bob.get("/api/v1/users/me").text("username");
        String hills = ann.post("/api/v1/communities", Map.of("name", unique("Hills "), "tags", List.of("birds"))).text("id");
        String coast = bob.post("/api/v1/communities", Map.of("name", unique("Coast "), "tags", List.of("birds"))).text("id");
        ann.post("/api/v1/communities/" + hills + "/posts", Map.of("title", "Hovering " + word, "body", "Over the ridge at noon."));
        ann.post("/api/v1/communities/" + hills + "/posts", Map.of("title", "Another " + word, "body", "Perched on a **fence**."));
        bob.post("/api/v1/communities/" + coast + "/posts", Map.of("title", "Coastal " + word, "body", "Above the dunes."));

        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            page.navigate(base() + "/register");
            String seeker = unique("seeker");
            page.getByLabel("Username").fill(seeker);
            page.getByLabel("Email").fill(seeker + "@example.org");
            page.getByLabel("Password (at least 8 characters)").fill("password-" + seeker);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign up")).click();
            assertThat(page.getByTestId("me")).hasText(seeker);

            page.getByTestId("search-input").fill(word);
            page.getByTestId("search-input").press("Enter");
            var results = page.getByTestId("search-results").getByTestId("hit-link");
            assertThat(results).hasCount(3);
            assertThat(page.getByTestId("search-results")).not().containsText("**");

            page.getByTestId("filter-author").fill(bobName);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter")).click();
            assertThat(results).hasCount(1);
            assertThat(results.first()).containsText("Coastal");

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Clear")).click();
            assertThat(results).hasCount(3);
            page.getByTestId("filter-community").selectOption(hills);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter")).click();
            assertThat(results).hasCount(2);
            assertThat(page.getByTestId("search-results")).not().containsText("Coastal");

            String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
            page.getByTestId("filter-to").fill(yesterday);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter")).click();
            assertThat(page.getByTestId("search-results")).containsText("Nothing found.");
            page.screenshot(new Page.ScreenshotOptions().setPath(BrowserTest.SCREENSHOTS.resolve("12-search-filters.png")));

            // A misspelt word (one letter dropped) still finds the posts, and the page offers the word meant.
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Clear")).click();
            page.getByTestId("search-input").fill("hoverng " + word);
            page.getByTestId("search-input").press("Enter");
            assertThat(page.getByTestId("did-you-mean")).containsText("hovering " + word);
            assertThat(results).hasCount(1);
            page.getByTestId("did-you-mean").getByRole(AriaRole.LINK).click();
            assertThat(page.getByTestId("did-you-mean")).isHidden();
            assertThat(results).hasCount(1);
        }
    }
}
