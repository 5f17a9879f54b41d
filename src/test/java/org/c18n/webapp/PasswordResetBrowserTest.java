package org.c18n.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.c18n.support.Accounts;
import org.c18n.support.Mailbox;
import org.c18n.support.BrowserPlatformTest;
import org.junit.jupiter.api.Test;

/** The "forgot password" journey in real Chromium: asked on the sign-in page, mailed, link followed, new password works, old one refused. */
class PasswordResetBrowserTest extends BrowserPlatformTest {
    private static void signIn(Page page, String username, String password) {
        page.getByLabel("Username", new Page.GetByLabelOptions().setExact(true)).fill(username);
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
    }

    @Test
    void aForgottenPasswordIsResetThroughTheMailedLink() {
        String name = unique("browserreset");
        Accounts.signedUp(base(), name);
        try (BrowserContext context = chromium.browser().newContext()) {
            Page page = context.newPage();
            page.navigate(base() + "/login");
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Forgot password?")).click();
            page.getByLabel("Username or e-mail").fill(name + "@example.org");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Mail me a link")).click();
            assertThat(page.getByTestId("forgot-sent")).containsText("on its way");

            String link = Mailbox.link(MAIL.await(name + "@example.org", 1));
            page.navigate(link);
            page.getByLabel("New password").fill("amber tides under a paper moon");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Set password")).click();
            assertThat(page.getByTestId("reset-done")).isVisible();

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Sign in")).click();
            signIn(page, name, Accounts.password(name));
            assertThat(page.locator(".error")).containsText("Wrong username or password");
            signIn(page, name, "amber tides under a paper moon");
            assertThat(page.getByTestId("me")).isVisible();

            // The same link a second time: refused, said plainly.
            page.navigate(link);
            page.getByLabel("New password").fill("another tide under the moon");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Set password")).click();
            assertThat(page.locator(".error")).containsText("used already");
        }
    }
}
