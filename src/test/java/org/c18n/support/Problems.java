package org.c18n.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.c18n.client.Api;

/** Asserts an error answer: status, problem+json, stable type, a detail that says what is wrong. */
public final class Problems {
    private Problems() {}

    public static void assertProblem(Api.Response response, int status, String type, String detailContains) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as(response.toString()).startsWith("application/problem+json");
        assertThat(response.text("type")).as(response.toString()).isEqualTo("/problems/" + type);
        assertThat(response.text("detail")).as(response.toString()).containsIgnoringCase(detailContains);
    }
}
