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

/** The editor (multi-line Markdown, preview, drafts), delete confirmations and emoji reactions, in real Chromium. */
class EditorBrowserTest extends BrowserPlatformTest {

    @Test
    void aCommentWithACodeBlockIsPreviewedSentAndDeletedOnlyWhenConfirmed() {
        String ann = unique("edann");
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            registerInBrowser(page, ann);
            Api annApi = new Api(base()).login(ann, Accounts.password(ann));
            String community = annApi.post("/api/v1/communities", Map.of("name", unique("Editors "))).text("id");
            String post = annApi.post("/api/v1/communities/" + community + "/posts",
                    Map.of("title", "Code review", "body", "What is wrong here?")).text("id");
            page.navigate(base() + "/posts/" + post);

            Locator comment = page.getByLabel("Comment", new Page.GetByLabelOptions().setExact(true));
            comment.fill("It needs **one** line:");
            comment.press("Enter"); // a new line, not a send
            page.getByTestId("code-block").first().click();
            page.keyboard().type("int x = 1;");
            assertThat(comment).hasValue("It needs **one** line:\n```\nint x = 1;\n```\n");

            page.getByTestId("preview-tab").first().click();
            Locator preview = page.getByTestId("preview");
            assertThat(preview.locator("strong")).hasText("one");
            assertThat(preview.locator("pre code")).hasText("int x = 1;");
            page.getByRole(AriaRole.TAB,
                    new Page.GetByRoleOptions().setName("Write")).first().click();
            comment.press("Control+Enter");

            Locator comments = page.getByTestId("comments");
            assertThat(comments.locator(".comment pre code")).hasText("int x = 1;");
            assertThat(comment).hasValue("");

            // Delete asks first: cancel keeps the comment, confirming deletes it.
            comments.getByTestId("delete-comment").click();
            Locator dialog = page.locator("dialog[open]");
            assertThat(dialog).containsText("Delete this comment?");
            dialog.getByTestId("confirm-cancel").click();
            assertThat(dialog).hasCount(0);
            assertThat(comments.locator(".comment pre code")).hasText("int x = 1;");
            comments.getByTestId("delete-comment").click();
            page.locator("dialog[open]").getByTestId("confirm-ok").click();
            assertThat(comments.locator(".comment")).containsText("deleted");
            assertThat(comments.locator(".comment pre")).hasCount(0);
        }
    }

    @Test
    void aDraftSurvivesNavigationAndReloadUntilItIsSent() {
        String bob = unique("edbob");
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            registerInBrowser(page, bob);
            Api bobApi = new Api(base()).login(bob, Accounts.password(bob));
            String community = bobApi.post("/api/v1/communities", Map.of("name", unique("Drafts "))).text("id");
            String post = bobApi.post("/api/v1/communities/" + community + "/posts", Map.of("body", "Thoughts?"))
                    .text("id");

            page.navigate(base() + "/posts/" + post);
            Locator comment = page.getByLabel("Comment", new Page.GetByLabelOptions().setExact(true));
            comment.fill("A long answer\nthat I have not finished");
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Feed").setExact(true)).first().click();
            assertThat(page).hasURL(java.util.regex.Pattern.compile("/feed$"));
            page.goBack();
            assertThat(comment).hasValue("A long answer\nthat I have not finished");
            page.reload();
            assertThat(comment).hasValue("A long answer\nthat I have not finished");

            // The post composer of another place keeps its own draft.
            page.navigate(base() + "/communities/" + community);
            Locator body = page.getByLabel("Post body");
            assertThat(body).hasValue("");
            body.fill("A post in the making");
            page.reload();
            assertThat(body).hasValue("A post in the making");

            // Sent, the comment's draft is gone.
            page.navigate(base() + "/posts/" + post);
            page.getByTestId("send-comment").click();
            assertThat(page.getByTestId("comments")).containsText("that I have not finished");
            page.reload();
            assertThat(comment).hasValue("");
        }
    }

    @Test
    void aReactionTogglesAndShowsItsCountAndWho() {
        String cat = unique("edcat");
        String dan = unique("eddan");
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            registerInBrowser(page, cat);
            Api catApi = new Api(base()).login(cat, Accounts.password(cat));
            Api danApi = Accounts.signedUp(base(), dan);
            String community = catApi.post("/api/v1/communities", Map.of("name", unique("Cheers "))).text("id");
            danApi.post("/api/v1/communities/" + community + "/join", null);
            String post = danApi.post("/api/v1/communities/" + community + "/posts", Map.of("body", "We shipped it"))
                    .text("id");
            danApi.put("/api/v1/posts/" + post + "/reactions/" + java.net.URLEncoder.encode("🎉",
                    java.nio.charset.StandardCharsets.UTF_8), null);

            page.navigate(base() + "/posts/" + post);
            Locator reactions = page.locator("article.post").getByTestId("reactions");
            Locator party = reactions.getByTestId("reaction").filter(new Locator.FilterOptions().setHasText("🎉"));
            assertThat(party).hasText("🎉 1");
            assertThat(party).hasAttribute("title", dan);
            assertThat(party).hasAttribute("aria-pressed", "false");

            party.click();
            assertThat(party).hasText("🎉 2");
            assertThat(party).hasAttribute("aria-pressed", "true");
            assertThat(party).hasAttribute("title", dan + ", " + cat);

            reactions.getByTestId("add-reaction").click();
            reactions.locator("[data-emoji='👀']").click();
            assertThat(reactions.getByTestId("reaction")).hasCount(2);

            party.click();
            assertThat(party).hasText("🎉 1");
            page.reload();
            assertThat(party).hasText("🎉 1");
            assertThat(party).hasAttribute("aria-pressed", "false");
        }
    }
}
