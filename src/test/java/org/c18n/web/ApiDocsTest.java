package org.c18n.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.c18n.client.Api;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document and its browsable UI are public; the health probe answers. A client generated
 * from the document works: the caller is the bearer token (no {@code me} parameter), operation ids
 * are unique names, errors are described; the document is built once.
 */
class ApiDocsTest extends PlatformTest {

    @Test
    void openApiDocumentAndUiAreServed() {
        Api anon = new Api(base());
        var doc = anon.get("/api/docs.json");
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.body().path("paths").has("/api/v1/communities")).isTrue();
        assertThat(doc.body().path("paths").has("/api/v1/auth/register")).isTrue();
        var ui = anon.get("/api/docs");
        assertThat(ui.status()).isEqualTo(302);
        String location = ui.header("Location");
        var page = anon.get(location.substring(location.indexOf("/api/")));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw()).contains("swagger");
        assertThat(new Api(managementBase()).get("/actuator/health").text("status")).isEqualTo("UP");
    }

    @Test
    void documentDescribesTheApiAsAClientSeesIt() {
        Api anon = new Api(base());
        var doc = anon.get("/api/docs.json").body();
        assertThat(doc.path("info").path("title").asString()).isEqualTo("c18n API");
        assertThat(doc.path("components").path("securitySchemes").path("bearer").path("scheme").asString())
                .isEqualTo("bearer");

        Set<String> ids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (var path : doc.path("paths").properties()) {
            for (var entry : path.getValue().properties()) {
                var operation = entry.getValue();
                String where = entry.getKey() + " " + path.getKey();
                String id = operation.path("operationId").asString();
                if (!ids.add(id) || !id.matches("[a-z][A-Za-z]+[A-Z][A-Za-z]*") || id.matches(".*_\\d+")) {
                    problems.add(where + ": operation id " + id);
                }
                operation.path("parameters").forEach(parameter -> {
                    if (parameter.path("name").asString().equals("me")) {
                        problems.add(where + ": a 'me' parameter");
                    }
                });
                boolean secured = operation.path("security").toString().contains("bearer");
                // Open by design: signing in, the app's settings, and a digest's signed one-click unsubscribe link.
                boolean open = path.getKey().startsWith("/api/v1/auth/") || path.getKey().equals("/api/v1/config")
                        || path.getKey().equals("/api/v1/email-digests/unsubscribe");
                if (!open && !secured && entry.getKey().matches("post|put|patch|delete")) {
                    problems.add(where + ": a write without the bearer scheme");
                }
                if (!operation.path("responses").has("400")
                        || !operation.path("responses").path("400").path("content").has("application/problem+json")) {
                    problems.add(where + ": no problem+json error");
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(ids).contains("communityCreate");
    }

    @Test
    void documentIsBuiltOnce() {
        Api anon = new Api(base());
        anon.get("/api/docs.json");
        long fastest = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            assertThat(anon.get("/api/docs.json").status()).isEqualTo(200);
            fastest = Math.min(fastest, System.nanoTime() - start);
        }
        assertThat(fastest / 1_000_000).isLessThan(200);
    }
}
