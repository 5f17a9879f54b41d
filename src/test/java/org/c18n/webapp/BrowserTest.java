package org.c18n.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web app in real headless Chromium (Debian's package), against the running platform. */
class BrowserTest extends PlatformTest {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    static Playwright playwright;
    static Browser browser;

    @BeforeAll
    static void launch() {
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Path.of("/usr/bin/chromium"))
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @Test
    void newUserCreatesACommunityAndASecondUserFindsAndJoinsIt() {
        String founder = unique("founder");
        String joiner = unique("joiner");
        String community = unique("Birdwatchers ");

        try (BrowserContext first = browser.newContext(); BrowserContext second = browser.newContext(
                new Browser.NewContextOptions().setViewportSize(390, 844))) {
            Page page = first.newPage();
            signUp(page, founder);
            page.getByTestId("new-community").click();
            page.getByLabel("Name").fill(community);
            page.getByLabel("Description").fill("Binoculars and patience");
            page.getByLabel("Tags (comma separated)").fill("birds, outdoors");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create").setExact(true)).click();
            assertThat(page.getByTestId("community-name")).hasText(community);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("1-community-created.png")));

            // A second person, on a phone-sized screen, finds it by searching and joins.
            Page phone = second.newPage();
            signUp(phone, joiner);
            phone.getByTestId("community-search").fill(community.substring(0, 14));
            phone.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search")).click();
            phone.getByTestId("community-list").getByText(community).click();
            assertThat(phone.getByTestId("community-name")).hasText(community);
            phone.getByTestId("join").click();
            assertThat(phone.getByTestId("members")).containsText("@" + joiner);
            assertThat(phone.getByTestId("members")).containsText("@" + founder);
            phone.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("2-joined-on-phone.png")));

            page.reload();
            assertThat(page.getByTestId("members")).containsText("@" + joiner);
            assertThat(page.getByTestId("members")).containsText("@" + founder);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("3-founder-sees-member.png")));
        }
    }

    private void signUp(Page page, String username) {
        page.navigate(base() + "/#/register");
        page.getByLabel("Username").fill(username);
        page.getByLabel("Email").fill(username + "@example.org");
        page.getByLabel("Password (at least 8 characters)").fill("password-" + username);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign up")).click();
        assertThat(page.getByTestId("me")).hasText(username);
    }
}
