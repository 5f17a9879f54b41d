package org.c18n.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;
import org.c18n.support.ChildPlatform;
import org.c18n.support.Chromium;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web app when the projection is slower than the write's wait: a platform started with
 * {@code c18n.write-wait=0s} answers every write {@code 202 Accepted} before its projection has
 * applied it. Signing up, creating a community, posting and liking still work: the post shows as
 * written (marked pending) at once, then as the server reads it back, with a link that opens it.
 */
class SlowProjectionBrowserTest {
    static final Path DIR = Path.of("target", "test-data", "slow-projection-" + UUID.randomUUID());
    static ChildPlatform platform;
    static Chromium chromium;

    @BeforeAll
    static void start() throws Exception {
        platform = new ChildPlatform(DIR.resolve("platform.log"), ChildPlatform.freePort(),
                "--c18n.data-dir=" + DIR.resolve("data").toAbsolutePath(), "--c18n.write-wait=0s",
                "--c18n.admin.username=admin", "--c18n.admin.password=slow-admin-password").start();
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (platform != null) {
            platform.stop();
        }
    }

    @Test
    void aPostShowsAsWrittenThenAsTheServerReadsItBack() {
        String username = PlatformTest.unique("slow");
        String community = PlatformTest.unique("Slowpokes ");
        try (BrowserContext context = chromium.browser().newContext()) {
            Page page = context.newPage();
            // Whether a pending post card was ever drawn (it may land before an assertion could look).
            page.addInitScript("""
                    window.sawPending = false;
                    new MutationObserver(() => {
                      if (document.querySelector('[data-testid=pending]')) window.sawPending = true;
                    }).observe(document, { childList: true, subtree: true });""");

            page.navigate(platform.base() + "/register");
            page.getByLabel("Username").fill(username);
            page.getByLabel("Email").fill(username + "@example.org");
            page.getByLabel("Password (at least 8 characters)").fill("password-" + username);
            Response registered = page.waitForResponse(r -> r.url().endsWith("/api/v1/auth/register"),
                    () -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign up")).click());
            org.assertj.core.api.Assertions.assertThat(registered.status()).as("register answer").isEqualTo(202);
            assertThat(page.getByTestId("me")).hasText(username);

            page.getByTestId("new-community").click();
            page.getByLabel("Name").fill(community);
            Response created = page.waitForResponse(r -> r.url().endsWith("/api/v1/communities")
                            && r.request().method().equals("POST"),
                    () -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create").setExact(true)).click());
            org.assertj.core.api.Assertions.assertThat(created.status()).as("community answer").isEqualTo(202);
            assertThat(page.getByTestId("community-name")).hasText(community);

            page.getByLabel("Post title").fill("Patience");
            page.getByLabel("Post body").fill("Written **before** it was projected");
            Response posted = page.waitForResponse(r -> r.url().endsWith("/posts") && r.request().method().equals("POST"),
                    () -> page.getByTestId("publish").click());
            org.assertj.core.api.Assertions.assertThat(posted.status()).as("post answer").isEqualTo(202);
            String id = posted.headerValue("location").replaceAll(".*/", "");

            Locator card = page.getByTestId("feed").locator("article").first();
            assertThat(card).containsText("Patience");
            assertThat(card).containsText("Written before it was projected");
            assertThat(card).containsText("@" + username);
            org.assertj.core.api.Assertions.assertThat(page.evaluate("window.sawPending")).as("pending card drawn")
                    .isEqualTo(true);
            // Landed: the server's post, with its reactions and a link to it.
            assertThat(card.getByTestId("pending")).hasCount(0);
            assertThat(card).hasAttribute("data-post", id);

            Response liked = page.waitForResponse(r -> r.url().endsWith("/posts/" + id + "/reaction"),
                    () -> card.getByTestId("like").click());
            org.assertj.core.api.Assertions.assertThat(liked.status()).as("reaction answer").isEqualTo(202);
            assertThat(card.getByTestId("like")).containsText("1");
            assertThat(card).containsText("@" + username);
            assertThat(card.getByTestId("pending")).hasCount(0);

            card.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Patience")).click();
            page.waitForURL(Pattern.compile(".*/posts/" + id + "$"));
            assertThat(page.locator("article")).containsText("Written before it was projected");
            assertThat(page.getByTestId("like")).containsText("1");
            assertThat(page.locator(".error")).hasCount(0);
        }
    }
}
