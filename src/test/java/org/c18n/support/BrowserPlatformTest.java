package org.c18n.support;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import org.c18n.client.Api;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test of the web app in real headless Chromium, against the shared test platform: one browser per class. */
public abstract class BrowserPlatformTest extends PlatformTest {
    protected static Chromium chromium;
    protected static Browser browser;

    @BeforeAll
    static void launchChromium() {
        // Videos may play without a click, so a test can watch one play.
        chromium = Chromium.launch("--autoplay-policy=no-user-gesture-required");
        browser = chromium.browser();
        // What a page shows often comes through the log, the projector and the speed layer: on a loaded
        // 2-core machine that can take longer than Playwright's default of 5 s.
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
    }

    /** Signs {@code username} (signed up through {@link Accounts}) in on the sign-in page. */
    protected void signIn(Page page, String username) {
        signInThroughThePage(page, username, null);
    }

    /** Answers the confirmation dialog now open (ConfirmButton) with its confirm button. */
    public static void confirm(Page page) {
        assertThat(page.locator("dialog[open]")).isVisible();
        page.locator("dialog[open]").getByTestId("confirm-ok").click();
    }

    /** Signs {@code who} (an account made by {@link Accounts}) in through the sign-in page. */
    protected void signIn(Page page, Api who) {
        signInThroughThePage(page, who.get("/api/v1/users/me").text("username"), null);
    }

    @AfterAll
    static void closeChromium() {
        if (chromium != null) {
            chromium.close();
        }
    }

    /** Registers {@code username} through the web app's form; the page ends signed in. */
    protected void registerInBrowser(Page page, String username) {
        page.navigate(base() + "/register");
        page.getByLabel("Username").fill(username);
        page.getByLabel("Email").fill(username + "@example.org");
        page.getByLabel("Password (at least 8 characters)").fill(Accounts.password(username));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign up")).click();
        assertThat(page.getByTestId("me")).hasText(username);
    }

    /** Signs in through the sign-in page (password null: the test account's), and waits for the signed-in header. */
    protected void signInThroughThePage(Page page, String username, String password) {
        page.navigate(base() + "/login");
        page.getByLabel("Username").fill(username);
        page.getByLabel("Password").fill(password != null ? password : Accounts.password(username));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
        assertThat(page.getByTestId("bell")).isVisible();
    }
}
