package org.c18n.support;

import com.microsoft.playwright.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test of the web app in real headless Chromium, against the shared test platform: one browser per class. */
public abstract class BrowserPlatformTest extends PlatformTest {
    protected static Chromium chromium;
    protected static Browser browser;

    @BeforeAll
    static void launchChromium() {
        chromium = Chromium.launch();
        browser = chromium.browser();
    }

    @AfterAll
    static void closeChromium() {
        if (chromium != null) {
            chromium.close();
        }
    }
}
