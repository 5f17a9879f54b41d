package org.c18n.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import java.awt.Color;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.c18n.client.Api;
import org.c18n.support.BrowserPlatformTest;
import org.c18n.support.TestMedia;
import org.junit.jupiter.api.Test;

/**
 * Media as people look at it: a picture at its size on its post's page and in a lightbox, a video
 * with a poster frame and a duration that plays, and a video sent into a group chat.
 */
class MediaBrowserTest extends BrowserPlatformTest {

    /** The player's state once it knows the video's metadata, after it has played for a second. */
    private static final String PLAY_FOR_A_SECOND = """
            async (v) => {
              v.muted = true;
              if (v.readyState < 1) await new Promise((r) => v.addEventListener('loadedmetadata', r, { once: true }));
              const deadline = Date.now() + 10000;
              while (!Number.isFinite(v.duration) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
              const duration = Number.isFinite(v.duration) ? v.duration : -1;
              await v.play();
              const start = v.currentTime;
              await new Promise((r) => setTimeout(r, 1000));
              return { duration, start, now: v.currentTime, error: v.error && v.error.code };
            }""";

    @Test
    void aPictureShowsAtItsSizeAndInALightboxAndAVideoHasAPosterAndADurationAndPlays() throws IOException {
        Api ann = signedUp("lens");
        String community = ann.post("/api/v1/communities", Map.of("name", unique("Lens "))).text("id");
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            signIn(page, ann);

            publish(page, community, "Wide sky",
                    new FilePayload("sky.png", "image/png", TestMedia.image("png", 1200, 800, Color.decode("#3a5bd9"))));
            Locator picture = page.locator("article .gallery-image img");
            assertThat(picture).hasCount(1);
            page.waitForCondition(() -> (Boolean) picture.evaluate("img => img.complete && img.naturalWidth > 0"));
            org.assertj.core.api.Assertions.assertThat(picture.boundingBox().width).as("rendered width").isGreaterThan(320);
            org.assertj.core.api.Assertions.assertThat(picture.getAttribute("src")).doesNotContain("/thumbnail");

            picture.click();
            Locator lightbox = page.getByTestId("lightbox");
            assertThat(lightbox).isVisible();
            assertThat(lightbox.getByTestId("lightbox-image")).hasAttribute("src", Pattern.compile("/api/v1/media/"));
            assertThat(lightbox.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Open original")))
                    .hasAttribute("href", picture.getAttribute("src"));
            page.keyboard().press("Escape");
            assertThat(lightbox).isHidden();
            org.assertj.core.api.Assertions.assertThat(page.evaluate("() => document.activeElement.className"))
                    .as("focus back on the picture").asString().contains("gallery-image");

            // Several pictures: a grid, and the arrow keys move between them in the lightbox.
            publish(page, community, "Two skies",
                    new FilePayload("one.png", "image/png", TestMedia.image("png", 600, 400, Color.RED)),
                    new FilePayload("two.png", "image/png", TestMedia.image("png", 600, 400, Color.GREEN)));
            Locator pictures = page.locator("article .gallery-image img");
            assertThat(pictures).hasCount(2);
            pictures.first().click();
            assertThat(lightbox).containsText("1 / 2");
            page.keyboard().press("ArrowRight");
            assertThat(lightbox).containsText("2 / 2");
            assertThat(lightbox.getByTestId("lightbox-image")).hasAttribute("src", pictures.nth(1).getAttribute("src"));
            page.keyboard().press("ArrowRight");
            assertThat(lightbox).containsText("1 / 2");
            page.keyboard().press("Escape");
            assertThat(lightbox).isHidden();

            // The bundled clip: its poster is a frame the browser captured at upload, and it knows its length.
            publish(page, community, "A clip", new FilePayload("clip.webm", "video/webm", clip()));
            Locator video = page.locator("article video");
            assertThat(video).hasAttribute("poster", Pattern.compile("/api/v1/media/"));
            Object posterWidth = page.evaluate("src => new Promise((r) => { const i = new Image(); i.onload = () => "
                    + "r(i.naturalWidth); i.onerror = () => r(0); i.src = src; })", video.getAttribute("poster"));
            org.assertj.core.api.Assertions.assertThat(((Number) posterWidth).intValue()).as("poster width").isEqualTo(320);
            Map<?, ?> played = (Map<?, ?>) video.evaluate(PLAY_FOR_A_SECOND);
            org.assertj.core.api.Assertions.assertThat(((Number) played.get("duration")).doubleValue()).as("duration")
                    .isBetween(3.9, 4.1);
            org.assertj.core.api.Assertions.assertThat(((Number) played.get("now")).doubleValue()).as("played")
                    .isGreaterThan(((Number) played.get("start")).doubleValue() + 0.3);
            org.assertj.core.api.Assertions.assertThat(played.get("error")).isNull();
        }
    }

    @Test
    void aVideoSentIntoAGroupChatPlaysForTheOtherMemberAndFindsItsLength() {
        Api ann = signedUp("reel");
        Api bob = signedUp("reelbob");
        String community = ann.post("/api/v1/communities", Map.of("name", unique("Reels "))).text("id");
        bob.post("/api/v1/communities/" + community + "/join", null);
        String group = ann.post("/api/v1/communities/" + community + "/usergroups", Map.of("name", unique("crew"),
                "memberIds", List.of(bob.id()))).header("Location");
        String room = "/chat/" + group.substring(group.lastIndexOf('/') + 1);
        try (BrowserContext first = browser.newContext(); BrowserContext second = browser.newContext()) {
            Page a = first.newPage();
            Page b = second.newPage();
            signIn(a, ann);
            signIn(b, bob);
            a.navigate(base() + room);
            b.navigate(base() + room);
            // Recorded by the browser: a WebM without a duration in its header, as people's uploads often are.
            byte[] recorded = BrowserTest.recordVideo(a);
            a.getByTestId("chat-attach").setInputFiles(new FilePayload("recorded.webm", "video/webm", recorded));
            assertThat(a.locator(".conversation .previews video")).hasCount(1);
            a.getByLabel("Message", new Page.GetByLabelOptions().setExact(true)).fill("Watch this");
            a.getByTestId("send").click();

            Locator video = b.getByTestId("messages").locator("video");
            assertThat(video).hasCount(1);
            assertThat(video).hasAttribute("poster", Pattern.compile("/api/v1/media/"));
            assertThat(video).hasAttribute("controls", "");
            Map<?, ?> played = (Map<?, ?>) video.evaluate(PLAY_FOR_A_SECOND);
            org.assertj.core.api.Assertions.assertThat(((Number) played.get("duration")).doubleValue()).as("duration")
                    .isGreaterThan(1.5);
            org.assertj.core.api.Assertions.assertThat(((Number) played.get("now")).doubleValue()).as("played")
                    .isGreaterThan(((Number) played.get("start")).doubleValue());
        }
    }

    /** Posts {@code files} with a title in the community through its composer, then opens the post's own page. */
    private void publish(Page page, String community, String title, FilePayload... files) {
        page.navigate(base() + "/communities/" + community);
        page.getByTestId("attach").setInputFiles(files);
        assertThat(page.locator(".previews > *")).hasCount(files.length);
        page.getByLabel("Post title").fill(title);
        page.getByLabel("Post body").fill("Have a look.");
        page.getByTestId("publish").click();
        page.getByTestId("feed").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(title)).click();
        assertThat(page.locator("article h2")).hasText(title);
    }

    private static byte[] clip() throws IOException {
        try (InputStream in = MediaBrowserTest.class.getResourceAsStream("/seed/clip.webm")) {
            return in.readAllBytes();
        }
    }
}
