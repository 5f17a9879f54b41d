package org.c18n.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.c18n.support.BrowserPlatformTest.confirm;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.c18n.support.Chromium;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web app in real headless Chromium (Debian's package), against the running platform. */
class BrowserTest extends PlatformTest {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    static Chromium chromium;
    static Browser browser;

    @BeforeAll
    static void launch() {
        chromium = Chromium.launch("--autoplay-policy=no-user-gesture-required");
        browser = chromium.browser();
    }

    @AfterAll
    static void close() {
        if (chromium != null) {
            chromium.close();
        }
    }

    /** What the browser reported as blocked by the Content-Security-Policy, on every page a user signed up in. */
    static final List<String> policyViolations = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    @org.junit.jupiter.api.AfterEach
    void noContentSecurityPolicyViolation() {
        List<String> seen = List.copyOf(policyViolations);
        policyViolations.clear();
        org.assertj.core.api.Assertions.assertThat(seen).as("CSP violations reported by the browser").isEmpty();
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

    /**
     * A real, playable WebM video recorded in the browser itself (canvas animation through
     * MediaRecorder), so the test needs no video file from outside.
     */
    static byte[] recordVideo(Page page) {
        String base64 = (String) page.evaluate("""
                async () => {
                  const canvas = document.createElement('canvas');
                  canvas.width = 160; canvas.height = 120;
                  const g = canvas.getContext('2d');
                  const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm' });
                  const chunks = [];
                  recorder.ondataavailable = (e) => chunks.push(e.data);
                  const stopped = new Promise((resolve) => (recorder.onstop = resolve));
                  recorder.start(100);
                  const started = performance.now();
                  await new Promise((resolve) => {
                    const frame = () => {
                      const t = performance.now() - started;
                      g.fillStyle = `hsl(${(t / 10) % 360}, 80%, 50%)`;
                      g.fillRect(0, 0, 160, 120);
                      g.fillStyle = '#fff';
                      g.fillRect((t / 20) % 160, 40, 30, 30);
                      if (t < 2500) requestAnimationFrame(frame); else resolve();
                    };
                    frame();
                  });
                  recorder.stop();
                  await stopped;
                  const bytes = new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer());
                  let binary = '';
                  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
                  return btoa(binary);
                }""");
        return java.util.Base64.getDecoder().decode(base64);
    }

    @Test
    void membersPostImagesAndVideoCommentReplyLikeAndShare() throws Exception {
        String author = unique("artist");
        String reader = unique("reader");
        String gallery = unique("Gallery ");
        String elsewhere = unique("Elsewhere ");
        try (BrowserContext first = browser.newContext(); BrowserContext second = browser.newContext()) {
            Page page = first.newPage();
            signUp(page, author);
            createCommunity(page, gallery);
            byte[] video = recordVideo(page);
            byte[] image = org.c18n.support.TestMedia.image("png", 640, 400, java.awt.Color.decode("#3a5bd9"));
            page.getByTestId("attach").setInputFiles(new com.microsoft.playwright.options.FilePayload[] {
                    new com.microsoft.playwright.options.FilePayload("sky.png", "image/png", image),
                    new com.microsoft.playwright.options.FilePayload("clip.webm", "video/webm", video)});
            assertThat(page.locator(".previews img")).hasCount(1);
            assertThat(page.locator(".previews video")).hasCount(1);
            page.getByLabel("Post title").fill("Sky and motion");
            page.getByLabel("Post body").fill("A **blue** sky <script>alert('x')</script> and a clip");
            page.getByTestId("publish").click();
            var post = page.getByTestId("feed").locator("article").first();
            assertThat(post).containsText("Sky and motion");
            assertThat(post.locator("strong").filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("blue")))
                    .hasCount(1);
            assertThat(post).containsText("<script>alert('x')</script>");
            assertThat(post.locator(".gallery img")).hasCount(1);
            assertThat(post.locator("video")).hasCount(1);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("4-post-with-media.png")));

            Page other = second.newPage();
            signUp(other, reader);
            createCommunity(other, elsewhere);
            other.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Communities")).click();
            other.getByTestId("community-search").fill(gallery);
            other.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search")).click();
            other.getByTestId("community-list").getByText(gallery).click();
            other.getByTestId("join").click();
            other.getByTestId("feed").getByText("Sky and motion").click();

            other.getByLabel("Comment", new Page.GetByLabelOptions().setExact(true)).fill("Lovely colours");
            other.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Comment").setExact(true)).click();
            assertThat(other.getByTestId("comments")).containsText("Lovely colours");
            other.getByTestId("comments").getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions()
                    .setName("Reply").setExact(true)).first().click();
            other.getByLabel("Reply", new Page.GetByLabelOptions().setExact(true)).fill("And the motion too");
            other.getByTestId("comments").getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions()
                    .setName("Reply").setExact(true)).last().click();
            assertThat(other.locator(".comment .comment")).containsText("And the motion too");
            // The post's author pins the reader's comment: it leads the thread, marked as pinned, for everyone.
            page.getByTestId("feed").getByText("Sky and motion").click();
            var comments = page.getByTestId("comments");
            assertThat(comments).containsText("Lovely colours");
            comments.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Pin")
                    .setExact(true)).first().click();
            assertThat(comments.getByTestId("pinned")).hasCount(1);
            assertThat(comments.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions()
                    .setName("Unpin").setExact(true))).hasCount(1);
            other.reload();
            assertThat(other.getByTestId("comments").getByTestId("pinned")).hasCount(1);
            assertThat(other.getByTestId("comments").getByRole(AriaRole.BUTTON,
                    new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Pin").setExact(true))).hasCount(0);
            other.getByTestId("like").click();
            assertThat(other.getByTestId("like")).containsText("1");
            other.getByTestId("share").click();
            other.getByLabel("Community", new Page.GetByLabelOptions().setExact(true)).selectOption(
                    new com.microsoft.playwright.options.SelectOption().setLabel(elsewhere));
            other.getByTestId("share-confirm").click();
            assertThat(other.locator(".notice")).containsText("Shared");
            assertThat(other.locator("article").first()).containsText("1 share");

            // The video plays from a seek position.
            var videoElement = other.locator("article video").first();
            Object seeked = videoElement.evaluate("""
                    async (v) => {
                      v.muted = true;
                      if (v.readyState < 1) await new Promise((r) => v.addEventListener('loadedmetadata', r, { once: true }));
                      await v.play();
                      v.currentTime = 1.0;
                      await new Promise((r) => v.addEventListener('seeked', r, { once: true }));
                      await new Promise((r) => setTimeout(r, 300));
                      return { time: v.currentTime, paused: v.paused, error: v.error && v.error.code };
                    }""");
            @SuppressWarnings("unchecked")
            var state = (java.util.Map<String, Object>) seeked;
            org.assertj.core.api.Assertions.assertThat(((Number) state.get("time")).doubleValue()).isGreaterThanOrEqualTo(1.0);
            org.assertj.core.api.Assertions.assertThat(state.get("paused")).isEqualTo(false);
            org.assertj.core.api.Assertions.assertThat(state.get("error")).isNull();
            other.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("5-commented-liked-shared.png"))
                    .setFullPage(true));

            other.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Communities")).click();
            other.getByTestId("community-search").fill(elsewhere);
            other.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search")).click();
            other.getByTestId("community-list").getByText(elsewhere).click();
            assertThat(other.getByTestId("feed").getByTestId("shared-origin").first()).containsText("(@" + author + ") in ");
            assertThat(other.getByTestId("feed")).containsText("Sky and motion");
            other.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("6-share-in-other-community.png")));
        }
    }

    @Test
    void twoPeopleChatInRealTimeDirectlyAndInAGroup() throws Exception {
        String ann = unique("chatann");
        String bob = unique("chatbob");
        try (BrowserContext first = browser.newContext(); BrowserContext second = browser.newContext()) {
            Page a = first.newPage();
            Page b = second.newPage();
            signUp(a, ann);
            signUp(b, bob);
            b.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Chat").setExact(true)).click();
            assertThat(b.getByTestId("rooms")).containsText("Chats");

            // Ann finds Bob and writes to him.
            a.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("People")).click();
            a.getByLabel("Find people").fill(bob);
            a.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search")).click();
            a.getByText(bob).first().click();
            a.getByTestId("message-user").click();
            a.getByLabel("Message", new Page.GetByLabelOptions().setExact(true)).fill("Hi Bob, got a minute?");
            a.getByTestId("send").click();
            assertThat(a.getByTestId("messages")).containsText("Hi Bob, got a minute?");

            // Bob's open page learns of the new conversation, with an unread badge, in real time.
            assertThat(b.getByTestId("unread")).hasText("1");
            b.getByTestId("rooms").getByText(ann).click();
            assertThat(b.getByTestId("messages")).containsText("Hi Bob, got a minute?");
            assertThat(a.getByTestId("seen")).isVisible();
            b.getByLabel("Message", new Page.GetByLabelOptions().setExact(true)).pressSequentially("Sure", 
                    new com.microsoft.playwright.Locator.PressSequentiallyOptions().setDelay(30));
            assertThat(a.getByTestId("typing")).containsText(bob + " is typing");
            b.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("7-dm-bob.png")));
            a.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("8-dm-ann-typing-seen.png")));
            b.getByTestId("send").click();
            assertThat(a.getByTestId("messages")).containsText("Sure");

            // A group room: Ann creates it, adds Bob, and they talk there.
            a.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Groups")).click();
            a.getByLabel("New group name").fill("Weekend plans");
            a.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create group")).click();
            a.getByLabel("Username to add").fill(bob);
            a.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add").setExact(true)).click();
            assertThat(a.locator("main")).containsText("@" + bob);
            a.getByTestId("group-chat").click();
            a.getByLabel("Message", new Page.GetByLabelOptions().setExact(true)).fill("Hiking on Saturday?");
            a.getByTestId("send").click();
            assertThat(a.getByTestId("messages")).containsText("Hiking on Saturday?");
            b.getByTestId("rooms").getByText("Weekend plans").click();
            assertThat(b.getByTestId("messages")).containsText("Hiking on Saturday?");
            b.getByTestId("messages").getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions()
                    .setName("Reply").setExact(true)).last().click();
            b.getByLabel("Message", new Page.GetByLabelOptions().setExact(true)).fill("Count me in, @" + ann);
            b.getByTestId("chat-attach").setInputFiles(new com.microsoft.playwright.options.FilePayload("map.png",
                    "image/png", org.c18n.support.TestMedia.image("png", 300, 200, java.awt.Color.decode("#1f7a4d"))));
            assertThat(b.locator(".conversation .previews img")).hasCount(1);
            b.getByTestId("send").click();
            assertThat(a.getByTestId("messages")).containsText("Count me in");
            assertThat(a.getByTestId("messages").locator(".gallery img")).hasCount(1);
            assertThat(a.getByTestId("messages").locator(".quote")).containsText("@" + ann + ": Hiking on Saturday?");
            assertThat(a.getByTestId("messages").locator(".msg.mentioned")).hasCount(1);
            a.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("9-group-chat.png")));
        }
    }

    private void createCommunity(Page page, String name) {
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Communities")).click();
        page.getByTestId("new-community").click();
        page.getByLabel("Name").fill(name);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create").setExact(true)).click();
        assertThat(page.getByTestId("community-name")).hasText(name);
    }

    @Test
    void searchSuggestsACommunityAsYouTypeAndFindsAPhraseHighlighted() {
        String word = "Quill" + java.util.UUID.randomUUID().toString().replaceAll("[^a-f]", "").substring(0, 5);
        String community = word + " Botanists";
        org.c18n.client.Api author = signedUp("botanist");
        var created = author.post("/api/v1/communities", Map.of("name", community, "tags", List.of("plants")));
        String post = author.post("/api/v1/communities/" + created.text("id") + "/posts", Map.of("title", "Ferns at dawn",
                "body", "We found " + word.toLowerCase() + " ferns under the old bridge, then had tea.")).text("id");

        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            signUp(page, unique("seeker"));
            page.getByTestId("search-input").fill(word.substring(0, 7).toLowerCase());
            assertThat(page.getByTestId("suggestions")).containsText(community);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("10-search-suggestions.png")));

            page.getByTestId("search-input").fill("\"" + word.toLowerCase() + " ferns under\"");
            page.getByTestId("search-input").press("Enter");
            var snippet = page.getByTestId("search-results").getByTestId("snippet").first();
            assertThat(snippet.locator("mark")).hasText(word.toLowerCase() + " ferns under");
            assertThat(page.getByTestId("search-tabs")).containsText("Posts 1");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("11-search-results.png")));

            page.getByTestId("search-results").getByTestId("hit-link").first().click();
            page.waitForURL("**/posts/" + post);
            assertThat(page.getByText("Ferns at dawn")).isVisible();
        }
    }

    @Test
    void adminDashboardMovesLiveWhenSomeonePosts() {
        org.c18n.client.Api poster = signedUp("poster");
        String community = poster.post("/api/v1/communities", Map.of("name", unique("Lively "))).text("id");
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            page.navigate(base() + "/login");
            page.getByLabel("Username").fill("admin");
            page.getByLabel("Password").fill("admin-password");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Analytics")).click();
            var textPosts = page.getByTestId("total-posts.text");
            assertThat(textPosts).isVisible();
            assertThat(page.getByTestId("chart").locator("canvas")).isVisible();
            // Wait until the streams have counted everything so far, then read the panel.
            org.c18n.client.Api admin = admin();
            long before = org.c18n.support.Eventually.settled(() -> admin.get("/api/v1/analytics/totals").body()
                    .path("totals").path("posts.text").asLong(0));
            assertThat(textPosts).hasText(Long.toString(before));
            String charted = page.getByTestId("chart").getAttribute("data-events");

            poster.post("/api/v1/communities/" + community + "/posts", Map.of("body", "Watch the chart",
                    "tags", List.of("livechart")));
            assertThat(textPosts).hasText(Long.toString(before + 1));
            assertThat(page.getByTestId("chart")).not().hasAttribute("data-events", charted);
            assertThat(page.getByTestId("live")).isVisible();
            assertThat(page.getByTestId("trending")).containsText("#");
            // Tag scores add up over the whole suite on the shared platform: the panel's eight may all be
            // other tests' tags, so the new one is looked for among the first hundred.
            var tags = org.c18n.support.Eventually.get(() -> admin.get("/api/v1/analytics/trending?limit=100").body()
                    .path("tags").valueStream().map(tag -> tag.path("name").asString()).toList(),
                    names -> names.contains("livechart"), java.time.Duration.ofSeconds(60));
            org.assertj.core.api.Assertions.assertThat(tags).contains("livechart");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("12-analytics-live.png"))
                    .setFullPage(true));
        }
    }

    @Test
    void theBellLightsUpWhenSomeoneReplies() {
        String author = unique("belle");
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            signUp(page, author);
            org.c18n.client.Api ann = new org.c18n.client.Api(base()).login(author, "password-" + author);
            String community = ann.post("/api/v1/communities", Map.of("name", unique("Bells "))).text("id");
            String post = ann.post("/api/v1/communities/" + community + "/posts", Map.of("title", "Ring me", "body", "?"))
                    .text("id");
            org.c18n.client.Api bob = signedUp("ringer");
            bob.post("/api/v1/communities/" + community + "/join", null);
            bob.post("/api/v1/posts/" + post + "/comments", Map.of("body", "Ding"));

            assertThat(page.getByTestId("bell-count")).hasText("1");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("13-bell.png")));
            page.getByTestId("bell").click();
            assertThat(page.getByTestId("notifications")).containsText("replied on “Ring me”");
            page.getByTestId("notifications").getByText("replied on").click();
            page.waitForURL("**/posts/" + post + "?comment=*");
            assertThat(page.getByTestId("comments")).containsText("Ding");
            // Following it read it.
            assertThat(page.getByTestId("bell-count")).isHidden();
        }
    }

    @Test
    void aReportedPostReachesTheModeratorWhoRemovesItFromTheFeed() {
        String ownerName = unique("modowner");
        try (BrowserContext ownerContext = browser.newContext(); BrowserContext readerContext = browser.newContext()) {
            Page owner = ownerContext.newPage();
            signUp(owner, ownerName);
            org.c18n.client.Api ownerApi = new org.c18n.client.Api(base()).login(ownerName, "password-" + ownerName);
            String community = ownerApi.post("/api/v1/communities", Map.of("name", unique("Watched "))).text("id");
            org.c18n.client.Api author = signedUp("modauthor");
            author.post("/api/v1/communities/" + community + "/join", null);
            String post = author.post("/api/v1/communities/" + community + "/posts",
                    Map.of("title", "Miracle pills", "body", "Buy them now")).text("id");

            // One reader reports it in the web app, two more through the API: three reports within the hour.
            String readerName = unique("modreader");
            Page reader = readerContext.newPage();
            signUp(reader, readerName);
            reader.navigate(base() + "/posts/" + post);
            reader.getByTestId("report").click();
            reader.getByLabel("What is wrong with this post?").fill("spam");
            reader.getByTestId("report-confirm").click();
            assertThat(reader.getByText("Reported.")).isVisible();
            for (int i = 0; i < 2; i++) {
                signedUp("modreport").post("/api/v1/posts/" + post + "/reports", Map.of("reason", "spam"));
            }

            owner.navigate(base() + "/communities/" + community);
            assertThat(owner.getByTestId("feed")).containsText("Miracle pills");
            owner.getByTestId("moderation-link").click();
            for (int attempt = 0; attempt < 50 && !owner.getByTestId("queue").textContent().contains("Miracle pills"); attempt++) {
                owner.waitForTimeout(200);
                owner.reload();
            }
            assertThat(owner.getByTestId("queue")).containsText("Miracle pills: Buy them now");
            assertThat(owner.getByTestId("queue")).containsText("3 report(s)");
            owner.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("14-moderation-queue.png")));
            owner.getByTestId("remove").click();
            confirm(owner);
            assertThat(owner.getByTestId("queue")).containsText("Nothing to review.");

            owner.navigate(base() + "/communities/" + community);
            assertThat(owner.getByTestId("community-name")).isVisible();
            assertThat(owner.getByTestId("feed")).not().containsText("Miracle pills");

            // The owner also has the community's own analytics (not the platform's).
            owner.getByTestId("analytics-link").click();
            assertThat(owner.getByTestId("chart")).not().hasAttribute("data-events", "0");
            assertThat(owner.getByTestId("totals")).isHidden();
        }
    }

    @Test
    void aSeededPlatformShowsCommunitiesFeedsWithPicturesPlayableVideosAndChats() {
        var seed = new org.c18n.workload.Seed(org.c18n.workload.SeedOptions.parse(new String[] {"--url", base() + "/",
                "--users", "8", "--communities", "2", "--groups", "2", "--items", "50", "--seed", "1234", "--concurrency", "4",
                "--weights", "posts=2,images=3,videos=3,comments=2,reactions=1,shares=0,messages=5"}),
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        org.assertj.core.api.Assertions.assertThat(seed.run()).isZero();
        org.c18n.client.Api admin = admin();
        String withVideo = seed.communityIds().stream().map(Object::toString)
                .filter(id -> admin.get("/api/v1/communities/" + id).text("visibility").equals("public"))
                .filter(id -> admin.get("/api/v1/communities/" + id + "/posts?limit=100").body().path("items").valueStream().anyMatch(p -> p.path("media").valueStream()
                .anyMatch(m -> m.path("kind").asString().equals("video")))).findFirst().orElseThrow();
        String talker = seed.usernames().stream().filter(name -> new org.c18n.client.Api(base())
                .login(name, org.c18n.workload.SeedOptions.DEFAULT_PASSWORD).get("/api/v1/rooms").body().valueStream()
                .anyMatch(r -> r.path("lastMessage").isObject())).findFirst().orElseThrow();

        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            page.navigate(base() + "/login");
            page.getByLabel("Username").fill(talker);
            page.getByLabel("Password").fill(org.c18n.workload.SeedOptions.DEFAULT_PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
            assertThat(page.getByTestId("me")).not().isEmpty(); // signed in: their display name

            // A community full of posts: pictures that load, a video that plays.
            page.navigate(base() + "/communities/" + withVideo);
            assertThat(page.getByTestId("community-name")).not().isEmpty();
            assertThat(page.locator("article").first()).isVisible();
            org.assertj.core.api.Assertions.assertThat(page.locator("article").count()).isGreaterThan(3);
            // Pictures load lazily, as they come into view.
            page.locator("article .gallery img").first().scrollIntoViewIfNeeded();
            Object loaded = page.locator("article .gallery img").first().evaluate("""
                    async (img) => {
                      const late = new Promise((r) => setTimeout(r, 10000));
                      if (!img.complete) await Promise.race([new Promise((r) => img.addEventListener('load', r, { once: true })), late]);
                      return img.naturalWidth;
                    }""");
            org.assertj.core.api.Assertions.assertThat(((Number) loaded).intValue()).isPositive();
            page.locator("article video").first().scrollIntoViewIfNeeded();
            Object played = page.locator("article video").first().evaluate("""
                    async (v) => {
                      const late = new Promise((r) => setTimeout(r, 10000));
                      v.muted = true;
                      if (v.readyState < 1) {
                        await Promise.race([new Promise((r) => v.addEventListener('loadedmetadata', r, { once: true })), late]);
                      }
                      await Promise.race([v.play(), late]);
                      await new Promise((r) => setTimeout(r, 600));
                      return { time: v.currentTime, paused: v.paused, error: v.error && v.error.code };
                    }""");
            @SuppressWarnings("unchecked")
            var state = (Map<String, Object>) played;
            org.assertj.core.api.Assertions.assertThat(((Number) state.get("time")).doubleValue()).isPositive();
            org.assertj.core.api.Assertions.assertThat(state.get("error")).isNull();
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("20-seeded-community.png")));

            // Their conversations, with what was said.
            page.navigate(base() + "/chat");
            // A fresh page load: the list shows a placeholder until the rooms have come in.
            page.getByTestId("rooms").locator("li:has(.last)").first().click();
            assertThat(page.getByTestId("messages")).not().isEmpty();
            org.assertj.core.api.Assertions.assertThat(page.getByTestId("messages").innerText()).isNotBlank();
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("21-seeded-chat.png")));
        }
    }

    private void signUp(Page page, String username) {
        page.onConsoleMessage(m -> {
            if (m.text().contains("Content Security Policy")) {
                policyViolations.add(page.url() + ": " + m.text());
            }
        });
        page.navigate(base() + "/register");
        page.getByLabel("Username").fill(username);
        page.getByLabel("Email").fill(username + "@example.org");
        page.getByLabel("Password (at least 8 characters)").fill("password-" + username);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign up")).click();
        assertThat(page.getByTestId("me")).hasText(username);
    }
}
