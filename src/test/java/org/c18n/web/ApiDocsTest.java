package org.c18n.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.c18n.client.Api;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and its browsable UI are public; the health probe answers. */
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
}
