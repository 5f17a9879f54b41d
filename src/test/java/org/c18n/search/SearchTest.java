package org.c18n.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.c18n.support.Problems.assertProblem;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.c18n.client.Api;
import org.c18n.support.Eventually;
import org.c18n.support.PlatformTest;
import org.c18n.web.CurrentUser;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Search through the API against the live index fed from the log. Each test makes its own
 * community and searches inside it (or with words nobody else uses), so the corpus is fixed.
 * {@link OpenSearchSearchTest} runs every case again against the OpenSearch backend.
 */
class SearchTest extends PlatformTest {
    /** The Lucene backend's parts: absent when a subclass runs these tests against another backend. */
    @Autowired(required = false)
    SearchIndexer indexer;
    @Autowired(required = false)
    Search search;

    static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    String community(Api owner, String name, Map<String, Object> extra) {
        var body = new java.util.HashMap<String, Object>(Map.of("name", name, "description", "A place", "tags", List.of("search")));
        body.putAll(extra);
        var created = owner.post("/api/v1/communities", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.text("id");
    }

    String post(Api author, String community, String title, String body) {
        var fields = new java.util.HashMap<String, Object>(Map.of("body", body));
        if (title != null) {
            fields.put("title", title);
        }
        var created = author.post("/api/v1/communities/" + community + "/posts", fields);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.text("id");
    }

    /** The search result once it has the expected number of hits (the index refreshes within a second; a loaded machine is given 20). */
    static JsonNode searchUntil(Api api, String query, int hits) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        Api.Response response;
        do {
            response = api.get("/api/v1/search?" + query);
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            if (response.body().path("items").size() == hits) {
                return response.body();
            }
            sleep(50);
        } while (System.nanoTime() < deadline);
        return response.body();
    }

    static List<String> ids(JsonNode result) {
        List<String> ids = new ArrayList<>();
        result.path("items").forEach(item -> ids.add(item.path("id").asString()));
        return ids;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void exactTitleRanksAboveBodyMentionsEvenNewerOnes() {
        Api ann = signedUp("sann");
        String c = community(ann, unique("Bakers "), Map.of());
        String titled = post(ann, c, "Sourdough fermentation", "How I keep my starter alive through winter.");
        String mention = post(ann, c, "Kitchen notes", "Bread, cabbage and a little fermentation on the side, among "
                + "many other things that happened in the kitchen this week, like soup.");
        String newest = post(ann, c, null, "Nothing about bread here except one word: fermentation.");
        String unrelated = post(ann, c, "Garden", "Tomatoes and beans.");

        JsonNode result = searchUntil(ann, "q=fermentation&community=" + c, 3);
        // The title hit first, though it is not the newest; body mentions after it (shorter text first, as BM25 weighs).
        assertThat(ids(result)).containsExactly(titled, newest, mention).doesNotContain(unrelated);
        assertThat(result.path("total").asLong()).isEqualTo(3);
        assertThat(result.path("facets").path("type").path("posts").asLong()).isEqualTo(3);

        // A phrase in quotes matches those words in that order only.
        post(ann, c, "Foxes", "The quick brown fox jumps.");
        post(ann, c, "Other foxes", "A brown and quick fox sleeps.");
        JsonNode phrase = searchUntil(ann, "q=" + q("\"quick brown\"") + "&community=" + c, 1);
        assertThat(phrase.path("items").get(0).path("title").asString()).isEqualTo("Foxes");
        assertThat(phrase.path("items").get(0).path("snippet").asString()).contains("<mark>quick brown</mark>");
        assertThat(searchUntil(ann, "q=" + q("quick brown") + "&community=" + c, 2).path("items")).hasSize(2);
        assertThat(searchUntil(ann, "q=" + q("fox -jumps") + "&community=" + c, 1).path("items").get(0)
                .path("title").asString()).isEqualTo("Other foxes");

        // A typo in a longer word still finds it; a prefix with * matches the start of words.
        assertThat(ids(searchUntil(ann, "q=fermentatoin&community=" + c, 3))).contains(titled);
        assertThat(ids(searchUntil(ann, "q=" + q("sourd*") + "&community=" + c, 1))).containsExactly(titled);
        // Tag and type filters.
        assertThat(searchUntil(ann, "q=fermentation&type=comments&community=" + c, 0).path("facets").path("type")
                .path("posts").asLong()).isEqualTo(3);
    }

    @Test
    void suggestionsCompleteCommunityAndUserNamesAsYouType() {
        Api ann = signedUp("sugann");
        String word = "Zephyr" + UUID.randomUUID().toString().substring(0, 6).replaceAll("[0-9-]", "q");
        String c = community(ann, word + " Gliders", Map.of());
        Api.Response typed = null;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            typed = ann.get("/api/v1/search/suggest?q=" + q(word.substring(0, 8).toLowerCase()));
            if (typed.body().size() > 0) {
                break;
            }
            sleep(50);
        }
        assertThat(typed.status()).isEqualTo(200);
        assertThat(typed.body().get(0).path("id").asString()).isEqualTo(c);
        assertThat(typed.body().get(0).path("type").asString()).isEqualTo("communities");
        assertThat(typed.body().get(0).path("name").asString()).isEqualTo(word + " Gliders");

        String username = ann.get("/api/v1/users/me").text("username");
        var users = ann.get("/api/v1/search/suggest?q=" + q(username.substring(0, username.length() - 2)));
        assertThat(users.body().valueStream().map(s -> s.path("name").asString()).toList()).contains(username);
    }

    @Test
    void snippetsEscapeUserTextAndMarkTheHit() {
        Api ann = signedUp("xss");
        String c = community(ann, unique("Escapes "), Map.of());
        post(ann, c, "<b>Bold</b> marmalade", "<script>alert('x')</script> and some marmalade & toast");
        JsonNode hit = searchUntil(ann, "q=marmalade&community=" + c, 1).path("items").get(0);
        assertThat(hit.path("snippet").asString())
                .contains("&lt;script&gt;", "<mark>marmalade</mark>", "&amp;")
                .doesNotContain("<script>");
        assertThat(hit.path("titleHtml").asString()).contains("&lt;b&gt;Bold&lt;", "<mark>marmalade</mark>")
                .doesNotContain("<b>");
        assertThat(hit.path("title").asString()).isEqualTo("<b>Bold</b> marmalade");
    }

    @Test
    void snippetsShowTheTextAsReadWithoutMarkdownSyntax() {
        Api ann = signedUp("md");
        String c = community(ann, unique("Markdown "), Map.of());
        post(ann, c, "Wombat notes", """
                # Wombat care

                Feed the **wombat** _twice_ a day, see [the guide](https://example.org/wombat) and `wombat --help`.

                ```
                wombat.feed(2)
                ```

                | food | wombat portions |
                |---|---|
                | grass | 3 |

                > a wombat quote & more""");
        JsonNode hit = searchUntil(ann, "q=wombat&community=" + c, 1).path("items").get(0);
        String snippet = hit.path("snippet").asString();
        assertThat(snippet).contains("<mark>wombat</mark>", "<mark>Wombat</mark> care", "twice", "the guide", "&amp;")
                .doesNotContain("**", "```", "|", "](", "# ", "> a", "https://");
    }

    @Test
    void aWordFindsItsPluralAndPossessiveForms() {
        Api ann = signedUp("forms");
        String c = community(ann, unique("Oceans "), Map.of());
        String plural = post(ann, c, "Whales at dawn", "Three humpbacks breached near the boats.");
        String possessive = post(ann, c, "Listening", "The whale's song carried for miles.");
        post(ann, c, "Harbour", "Nothing but gulls today.");
        assertThat(ids(searchUntil(ann, "q=whale&community=" + c, 2))).containsExactlyInAnyOrder(plural, possessive);
        assertThat(ids(searchUntil(ann, "q=whales&community=" + c, 2))).containsExactlyInAnyOrder(plural, possessive);
        assertThat(ids(searchUntil(ann, "q=boat&community=" + c, 1))).containsExactly(plural);
        assertThat(ids(searchUntil(ann, "q=" + q("\"whale song\"") + "&community=" + c, 1))).containsExactly(possessive);
    }

    @Test
    void aMisspeltWordFindsWhatWasMeantAndSuggestsIt() {
        Api ann = signedUp("typo");
        String c = community(ann, unique("Cameras "), Map.of());
        String meant = post(ann, c, "Photography at dawn", "Light is soft before sunrise.");
        JsonNode corrected = searchUntil(ann, "q=" + q("photograpy dawn") + "&community=" + c, 1);
        assertThat(ids(corrected)).containsExactly(meant);
        assertThat(corrected.path("didYouMean").asString()).isEqualTo("photography dawn");
        JsonNode exact = searchUntil(ann, "q=photography&community=" + c, 1);
        assertThat(exact.path("didYouMean").isNull() || exact.path("didYouMean").isMissingNode()).isTrue();
        // Counted exactly up to a thousand; the timing of each part is in the Server-Timing header.
        assertThat(exact.path("totalExact").asBoolean()).isTrue();
        assertThat(ann.get("/api/v1/search?q=photography&community=" + c).header("Server-Timing")).contains("rights;dur=", "count;dur=");
    }

    @Test
    void nonMembersNeverSeePrivatePostsOrOthersMessagesNotEvenInCounts() {
        Api ann = signedUp("pann");
        Api bob = signedUp("pbob");
        Api cat = signedUp("pcat");
        String word = "axolotl" + UUID.randomUUID().toString().substring(0, 6).replaceAll("[0-9-]", "k");
        String secret = community(ann, unique("Hidden "), Map.of("visibility", "private"));
        post(ann, secret, "Private " + word, "Only members read about the " + word + ".");
        String open = community(ann, unique("Open "), Map.of());
        String visible = post(ann, open, "Public " + word, "Everyone may read this.");

        String room = ann.post("/api/v1/rooms/direct", Map.of("userId", cat.id())).text("id");
        var sent = ann.post("/api/v1/rooms/" + room + "/messages", Map.of("body", "Our " + word + " plan"));
        assertThat(sent.status()).as(sent.toString()).isIn(201, 202);

        JsonNode owner = searchUntil(ann, "q=" + word, 3);
        assertThat(owner.path("facets").path("type").path("posts").asLong()).isEqualTo(2);
        assertThat(owner.path("facets").path("type").path("messages").asLong()).isEqualTo(1);
        JsonNode message = searchUntil(cat, "q=" + word + "&type=messages", 1).path("items").get(0);
        assertThat(message.path("room").path("id").asString()).isEqualTo(room);
        assertThat(message.path("room").path("name").asString()).isEqualTo(ann.get("/api/v1/users/me").text("username"));
        assertThat(message.path("author").path("id").asString()).isEqualTo(ann.id());

        JsonNode outsider = searchUntil(bob, "q=" + word, 1);
        assertThat(ids(outsider)).containsExactly(visible);
        assertThat(outsider.path("total").asLong()).isEqualTo(1);
        assertThat(outsider.path("facets").path("type").path("posts").asLong()).isEqualTo(1);
        assertThat(outsider.path("facets").path("type").path("messages").asLong()).isZero();
        assertThat(outsider.path("facets").path("community").valueStream().map(f -> f.path("id").asString()).toList())
                .containsExactly(open);
        assertThat(searchUntil(bob, "q=" + word + "&community=" + secret, 0).path("total").asLong()).isZero();
        assertThat(searchUntil(cat, "q=" + word + "&type=posts", 1).path("items")).hasSize(1);

        // Joining is what opens it: bob joins (public join policy does not apply to private; invite him).
        var invite = ann.post("/api/v1/communities/" + secret + "/invites", Map.of("userId", bob.id()));
        assertThat(invite.status()).as(invite.toString()).isIn(201, 202);
        assertThat(bob.post("/api/v1/invites/" + invite.text("id") + "/accept", null).status()).isIn(200, 201);
        assertThat(searchUntil(bob, "q=" + word, 2).path("facets").path("type").path("posts").asLong()).isEqualTo(2);
    }

    @Test
    void editsAndDeletesAreReflectedAndPostsAreFindableWithinASecond() {
        Api ann = signedUp("eann");
        String c = community(ann, unique("Edits "), Map.of());
        long started = System.nanoTime();
        String id = post(ann, c, "Ocelot sighting", "Spotted near the river.");
        long created = System.nanoTime();
        JsonNode found = searchUntil(ann, "q=ocelot&community=" + c, 1);
        long foundAfter = (System.nanoTime() - created) / 1_000_000;
        assertThat(ids(found)).containsExactly(id);
        assertThat(foundAfter).as("ms from the 201 until search finds the post (201 after %d ms)",
                (created - started) / 1_000_000).isLessThan(1000);

        assertThat(ann.patch("/api/v1/posts/" + id, Map.of("title", "Lynx sighting", "body", "It was a lynx.")).status())
                .isEqualTo(200);
        assertThat(searchUntil(ann, "q=ocelot&community=" + c, 0).path("items")).isEmpty();
        assertThat(ids(searchUntil(ann, "q=lynx&community=" + c, 1))).containsExactly(id);

        var comment = ann.post("/api/v1/posts/" + id + "/comments", Map.of("body", "What a handsome lynx"));
        assertThat(comment.status()).as(comment.toString()).isEqualTo(201);
        JsonNode both = searchUntil(ann, "q=lynx&community=" + c, 2);
        JsonNode commentHit = hit(both, "comments");
        assertThat(commentHit.path("post").path("id").asString()).isEqualTo(id);
        assertThat(commentHit.path("post").path("name").asString()).isEqualTo("Lynx sighting");

        assertThat(ann.delete("/api/v1/posts/" + id).status()).isEqualTo(200);
        assertThat(searchUntil(ann, "q=lynx&community=" + c, 0).path("total").asLong()).isZero();
    }

    @Test
    void aNewDisplayNameAndAnEditedTitleShowOnTheHitsAtOnce() {
        Api ann = signedUp("nann");
        Api bob = signedUp("nbob");
        String c = community(ann, unique("Names "), Map.of());
        bob.post("/api/v1/communities/" + c + "/join", null);
        String post = post(ann, c, "Quokka", "Seen on the island.");
        var comment = bob.post("/api/v1/posts/" + post + "/comments", Map.of("body", "A quokka smiled at me too"));
        assertThat(comment.status()).as(comment.toString()).isEqualTo(201);
        JsonNode before = searchUntil(bob, "q=quokka&community=" + c, 2);
        assertThat(hit(before, "posts").path("author").path("displayName").asString()).isNotEqualTo("Ann of the island");
        assertThat(hit(before, "comments").path("post").path("name").asString()).isEqualTo("Quokka");

        assertThat(ann.patch("/api/v1/users/me", Map.of("displayName", "Ann of the island")).status()).isEqualTo(200);
        assertThat(ann.patch("/api/v1/posts/" + post, Map.of("title", "Quokka portraits", "body", "Seen on the island."))
                .status()).isEqualTo(200);
        // Names on hits are kept in the node; the change drops them as soon as the indexer reads it (else 30 s).
        JsonNode after = Eventually.get(() -> bob.get("/api/v1/search?q=quokka&community=" + c).body(),
                r -> hit(r, "posts").path("author").path("displayName").asString().equals("Ann of the island")
                        && hit(r, "comments").path("post").path("name").asString().equals("Quokka portraits"),
                java.time.Duration.ofSeconds(10));
        assertThat(hit(after, "posts").path("author").path("displayName").asString()).isEqualTo("Ann of the island");
        assertThat(hit(after, "comments").path("post").path("name").asString()).isEqualTo("Quokka portraits");
    }

    private static JsonNode hit(JsonNode result, String type) {
        return result.path("items").valueStream().filter(i -> i.path("type").asString().equals(type)).findFirst()
                .orElse(tools.jackson.databind.node.MissingNode.getInstance());
    }

    @Test
    void badQueriesAreClearClientErrors() {
        Api ann = signedUp("bad");
        assertProblem(ann.get("/api/v1/search?q=" + q("\"unclosed phrase")), 400, "invalid-query", "not closed");
        assertProblem(ann.get("/api/v1/search?q=" + "a".repeat(201)), 400, "invalid-query", "at most 200");
        assertProblem(ann.get("/api/v1/search?q=" + q("-only -exclusions")), 400, "invalid-query", "exclusions");
        assertProblem(ann.get("/api/v1/search?q=" + q("x*")), 400, "invalid-query", "two letters");
        assertProblem(ann.get("/api/v1/search"), 400, "validation", "q: is required");
        assertProblem(ann.get("/api/v1/search?q=a&type=planets"), 400, "validation", "type");
        assertProblem(ann.get("/api/v1/search?q=a&from=yesterday"), 400, "validation", "from");
        assertProblem(ann.get("/api/v1/search?q=a&limit=1000"), 400, "validation", "limit");
        assertProblem(ann.get("/api/v1/search/suggest"), 400, "validation", "q");
        assertThat(new Api(base()).get("/api/v1/search?q=a").status()).isEqualTo(401);
        // Operators and punctuation that are not syntax are just text.
        assertThat(ann.get("/api/v1/search?q=" + q("c++ (what) [is] {this}? a:b ~ ^ / \\")).status()).isEqualTo(200);
    }

    @Test
    void anIndexRebuiltFromTheLogFindsWhatTheLiveIndexFinds(@org.junit.jupiter.api.io.TempDir Path dir) {
        RebuildCase rebuild = rebuildCase("Narwhals are whales", "whales");
        sleep(300); // the live index refreshes at most every 100 ms
        try (SearchIndex rebuilt = indexer.rebuildInto(dir.resolve("index"), n -> {})) {
            assertThat(rebuilt.size()).isGreaterThan(0);
            rebuild.assertSameAnswers((request, user) -> search.search(indexer.index(), request, user),
                    (request, user) -> search.search(rebuilt, request, user));
        }
    }

    /** A private community whose posts were edited, deleted and commented on, found live; the queries to compare on it. */
    record RebuildCase(Api ann, String community, String post, List<String> queries, List<CurrentUser> users) {
        /** Every query, as each person, answers the same from both indexes; ann finds her two narwhal posts. */
        void assertSameAnswers(java.util.function.BiFunction<Search.Request, CurrentUser, Search.Result> live,
                               java.util.function.BiFunction<Search.Request, CurrentUser, Search.Result> fromLog) {
            for (String text : queries) {
                for (CurrentUser user : users) {
                    var request = new Search.Request(text, null, null, null, null, null, null, 0, 50);
                    var expected = live.apply(request, user);
                    var rebuilt = fromLog.apply(request, user);
                    assertThat(rebuilt.items().stream().map(Search.Hit::id).toList()).as(text + " as " + user.id())
                            .isEqualTo(expected.items().stream().map(Search.Hit::id).toList());
                    assertThat(rebuilt.facets()).isEqualTo(expected.facets());
                }
            }
            assertThat(fromLog.apply(new Search.Request("narwhal", null, null, null, null, null, null, 0, 10), users.get(0))
                    .items()).hasSize(2);
        }
    }

    /** {@code comment} holds {@code whale}, in the word form the backend under test folds. */
    RebuildCase rebuildCase(String comment, String whale) {
        Api ann = signedUp("rann");
        Api bob = signedUp("rbob");
        String c = community(ann, unique("Rebuild "), Map.of("visibility", "private"));
        String p = post(ann, c, "Narwhal tusks", "Long spiral teeth.");
        ann.patch("/api/v1/posts/" + p, Map.of("title", "Narwhal tusks explained", "body", "Long spiral teeth, edited."));
        String gone = post(ann, c, "Narwhal myths", "Unicorns.");
        ann.delete("/api/v1/posts/" + gone);
        ann.post("/api/v1/posts/" + p + "/comments", Map.of("body", comment));
        searchUntil(ann, "q=narwhal&community=" + c, 2);
        return new RebuildCase(ann, c, p, List.of("narwhal", "\"spiral teeth\"", "narwh*", "narwhall", whale, "unicorns",
                "sourdough", "fermentation", "ocelot", "lynx"),
                List.of(new CurrentUser(UUID.fromString(ann.id()), "ann", false),
                        new CurrentUser(UUID.fromString(bob.id()), "bob", false)));
    }
}
