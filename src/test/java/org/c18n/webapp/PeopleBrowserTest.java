package org.c18n.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import java.awt.Color;
import java.nio.file.Path;
import java.util.Map;
import org.c18n.client.Api;
import org.c18n.support.BrowserPlatformTest;
import org.c18n.support.TestMedia;
import org.junit.jupiter.api.Test;

/** Avatars, mention autocomplete and blocking in the web app, in real headless Chromium. */
class PeopleBrowserTest extends BrowserPlatformTest {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** What an avatar image is once loaded: its type and its natural width. */
    static final String LOADED = """
            async (img) => {
              if (!img.complete || !img.naturalWidth) await new Promise((r) => { img.addEventListener('load', r, { once: true }); setTimeout(r, 10000) })
              const type = (await fetch(img.src)).headers.get('content-type')
              return type + ' ' + img.naturalWidth
            }""";

    @Test
    void anUploadedAvatarShowsOnPostsAndInChat() {
        String ann = unique("avann");
        String bob = unique("avbob");
        try (BrowserContext first = browser.newContext(); BrowserContext second = browser.newContext()) {
            Page a = first.newPage();
            Page b = second.newPage();
            signUp(a, ann);
            signUp(b, bob);
            Api annApi = new Api(base()).login(ann, "password-" + ann);
            Api bobApi = new Api(base()).login(bob, "password-" + bob);

            // Before: the generated default.
            Locator header = a.getByTestId("me").locator("img.avatar");
            org.assertj.core.api.Assertions.assertThat((String) header.evaluate(LOADED)).startsWith("image/svg+xml");

            a.getByTestId("me").click();
            a.getByTestId("avatar-upload").setInputFiles(new FilePayload("me.png", "image/png",
                    png(400, 300, Color.decode("#c0362c"))));
            assertThat(a.getByText("Avatar changed.")).isVisible();
            org.assertj.core.api.Assertions.assertThat((String) a.locator(".profile img.avatar").evaluate(LOADED))
                    .isEqualTo("image/png 256");
            org.assertj.core.api.Assertions.assertThat((String) header.evaluate(LOADED)).isEqualTo("image/png 48");

            // Bob sees it on ann's post and on her message.
            String community = annApi.post("/api/v1/communities", Map.of("name", unique("Faces "))).text("id");
            bobApi.post("/api/v1/communities/" + community + "/join", null);
            annApi.post("/api/v1/communities/" + community + "/posts", Map.of("title", "Look", "body", "new picture"));
            b.navigate(base() + "/communities/" + community);
            Locator postAvatar = b.locator("article").filter(new Locator.FilterOptions().setHasText("new picture"))
                    .locator(".post-head img.avatar");
            org.assertj.core.api.Assertions.assertThat((String) postAvatar.evaluate(LOADED)).isEqualTo("image/png 48");

            String room = annApi.post("/api/v1/rooms/direct", Map.of("userId", bobApi.id())).text("id");
            annApi.post("/api/v1/rooms/" + room + "/messages", Map.of("body", "see my face"));
            b.navigate(base() + "/chat/" + room);
            Locator message = b.getByTestId("messages").locator(".msg").filter(new Locator.FilterOptions()
                    .setHasText("see my face"));
            org.assertj.core.api.Assertions.assertThat((String) message.locator("img.avatar").evaluate(LOADED))
                    .isEqualTo("image/png 48");
            b.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("30-avatar-in-chat.png")));
        }
    }

    @Test
    void mentionsAreOfferedInTheComposerAndChatAndLinkToTheProfile() {
        String ann = unique("mtann");
        String bob = unique("mtbob");
        try (BrowserContext context = browser.newContext()) {
            Api bobApi = org.c18n.support.Accounts.signedUp(base(), bob);
            Page a = context.newPage();
            signUp(a, ann);
            Api annApi = new Api(base()).login(ann, "password-" + ann);
            String community = annApi.post("/api/v1/communities", Map.of("name", unique("Talk "))).text("id");
            bobApi.post("/api/v1/communities/" + community + "/join", null);

            a.navigate(base() + "/communities/" + community);
            Locator body = a.getByLabel("Post body");
            body.pressSequentially("thanks @" + bob.substring(0, 6), new Locator.PressSequentiallyOptions().setDelay(20));
            assertThat(a.getByTestId("mention-suggestions")).containsText("@" + bob);
            body.press("Enter");
            assertThat(body).hasValue("thanks @" + bob + " ");
            a.getByTestId("publish").click();
            Locator link = a.locator("article a.mention");
            assertThat(link).hasText("@" + bob);
            a.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("31-mention.png")));
            link.click();
            assertThat(a.locator(".profile h1")).containsText("@" + bob);

            // The chat input offers people too.
            String room = annApi.post("/api/v1/rooms/direct", Map.of("userId", bobApi.id())).text("id");
            a.navigate(base() + "/chat/" + room);
            Locator input = a.getByLabel("Message", new Page.GetByLabelOptions().setExact(true));
            input.pressSequentially("hey @" + bob.substring(0, 6), new Locator.PressSequentiallyOptions().setDelay(20));
            a.getByTestId("mention-suggestions").getByText("@" + bob).click();
            assertThat(input).hasValue("hey @" + bob + " ");
            a.getByTestId("send").click();
            assertThat(a.getByTestId("messages").locator("a.mention")).hasText("@" + bob);
        }
    }

    @Test
    void blockingSomeoneCollapsesWhatTheyWriteAndEndsTheirMessages() {
        String ann = unique("bkann");
        String bob = unique("bkbob");
        try (BrowserContext context = browser.newContext()) {
            Api annApi = org.c18n.support.Accounts.signedUp(base(), ann);
            Page b = context.newPage();
            signUp(b, bob);
            Api bobApi = new Api(base()).login(bob, "password-" + bob);
            String community = annApi.post("/api/v1/communities", Map.of("name", unique("Loud "))).text("id");
            bobApi.post("/api/v1/communities/" + community + "/join", null);
            annApi.post("/api/v1/communities/" + community + "/posts", Map.of("title", "Hear me", "body", "shouting"));

            b.navigate(base() + "/users/" + annApi.id());
            b.getByTestId("block").click();
            assertThat(b.getByTestId("block")).hasText("Unblock");
            assertThat(b.getByTestId("message-user")).hasCount(0);

            b.navigate(base() + "/communities/" + community);
            Locator post = b.locator("article").filter(new Locator.FilterOptions().setHasText(ann));
            assertThat(post.getByTestId("blocked")).containsText("Blocked user");
            assertThat(post).not().containsText("shouting");
            b.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("32-blocked.png")));
            post.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("show")).click();
            assertThat(post).containsText("shouting");

            // She can no longer write to him.
            var refused = annApi.post("/api/v1/rooms/direct", Map.of("userId", bobApi.id()));
            org.assertj.core.api.Assertions.assertThat(refused.status()).isEqualTo(403);
        }
    }

    private static byte[] png(int width, int height, Color color) {
        try {
            return TestMedia.image("png", width, height, color);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void signUp(Page page, String username) {
        page.navigate(base() + "/register");
        page.getByLabel("Username").fill(username);
        page.getByLabel("Email").fill(username + "@example.org");
        page.getByLabel("Password (at least 8 characters)").fill("password-" + username);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign up")).click();
        assertThat(page.getByTestId("me")).hasText(username);
    }
}
