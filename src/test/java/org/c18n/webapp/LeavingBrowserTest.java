package org.c18n.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.c18n.client.Api;
import org.c18n.support.Accounts;
import org.c18n.support.BrowserPlatformTest;
import org.junit.jupiter.api.Test;

/** In real Chromium: a person downloads their data from "Your data", then deletes their account there. */
class LeavingBrowserTest extends BrowserPlatformTest {
    @Test
    void aPersonDownloadsTheirDataThenDeletesTheirAccount() throws IOException {
        String username = unique("leaver");
        Api api = Accounts.signedUp(base(), username);
        String community = community(api);
        api.post("/api/v1/communities/" + community + "/posts", Map.of("title", "Mine", "body", "a post to take along"));

        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true))) {
            Page page = context.newPage();
            page.navigate(base() + "/login");
            page.getByLabel("Username").fill(username);
            page.getByLabel("Password").fill(Accounts.password(username));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
            page.getByTestId("your-data").click();
            assertThat(page).hasURL(base() + "/me/data");

            Download download = page.waitForDownload(() -> page.getByTestId("download-data").click());
            org.assertj.core.api.Assertions.assertThat(download.suggestedFilename()).isEqualTo("c18n-" + username + "-data.zip");
            Map<String, String> zip = unzip(download.createReadStream());
            org.assertj.core.api.Assertions.assertThat(zip.get("profile.json")).contains(username + "@example.org");
            org.assertj.core.api.Assertions.assertThat(zip.get("posts.json")).contains("a post to take along");

            page.getByTestId("delete-account").click();
            page.getByTestId("delete-confirmation").fill("not my password");
            page.getByTestId("delete-confirm").click();
            assertThat(page.getByTestId("your-data-error")).containsText("password");
            page.getByTestId("delete-confirmation").fill(Accounts.password(username));
            page.getByTestId("delete-confirm").click();
            assertThat(page).hasURL(base() + "/login");
        }
        org.assertj.core.api.Assertions.assertThat(new Api(base()).post("/api/v1/auth/login",
                Map.of("username", username, "password", Accounts.password(username))).status()).isEqualTo(401);
    }

    private static Map<String, String> unzip(InputStream in) throws IOException {
        Map<String, String> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                entries.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }
}
