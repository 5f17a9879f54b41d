package org.c18n.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.c18n.client.Api;
import org.c18n.support.Accounts;
import org.c18n.support.Eventually;
import org.c18n.support.BrowserPlatformTest;
import org.junit.jupiter.api.Test;

/** In real Chromium: on the account page a person chooses what is mailed to them while away. */
class EmailDigestBrowserTest extends BrowserPlatformTest {
    @Test
    void theAccountPageSetsWhichNotificationsAreMailed() {
        String name = unique("browserdigest");
        Api api = Accounts.signedUp(base(), name);
        try (BrowserContext context = chromium.browser().newContext()) {
            Page page = context.newPage();
            page.navigate(base() + "/login?next=/account");
            page.getByLabel("Username", new Page.GetByLabelOptions().setExact(true)).fill(name);
            page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill(Accounts.password(name));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
            assertThat(page).hasURL(base() + "/account");
            var section = page.getByTestId("email-digest");
            assertThat(section.getByLabel("Mentions")).isChecked();
            section.getByLabel("Mentions").uncheck();
            section.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Save")).click();
            assertThat(section).containsText("Saved.");

            Eventually.get(() -> api.get("/api/v1/users/me/email-preferences").body().path("mentions").asBoolean(),
                    on -> !on, java.time.Duration.ofSeconds(10));
            org.assertj.core.api.Assertions.assertThat(
                    api.get("/api/v1/users/me/email-preferences").body().path("mentions").asBoolean()).isFalse();
            assertThat(section.getByLabel("Mentions")).not().isChecked();
            assertThat(section.getByLabel("Replies")).isChecked();
        }
    }
}
