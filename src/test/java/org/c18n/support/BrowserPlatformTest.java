package org.c18n.support;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
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
    }

    /** Signs {@code who} (an account made by {@link Accounts}) in through the sign-in page. */
    protected void signIn(Page page, Api who) {
        signInAs(page, who.get("/api/v1/users/me").text("username"), null);
    }

    /** {@code password} null: the one {@link Accounts} gave the account. */
    protected void signInAs(Page page, String username, String password) {
        page.navigate(base() + "/login");
        page.getByLabel("Username").fill(username);
        page.getByLabel("Password").fill(password != null ? password : Accounts.password(username));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
        assertThat(page.getByTestId("bell")).isVisible();
    }

    @AfterAll
    static void closeChromium() {
        if (chromium != null) {
            chromium.close();
        }
    }
}
