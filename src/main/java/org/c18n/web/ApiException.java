package org.c18n.web;

import org.springframework.http.HttpStatus;

/**
 * A request that cannot be served, with a stable problem {@code type} slug (documented in
 * docs/api.md) and a human detail. Rendered as application/problem+json.
 */
public class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final String type;
    /** Seconds to wait before trying again (sent as Retry-After), or null. */
    private final Long retryAfter;

    public ApiException(HttpStatus status, String type, String detail) {
        this(status, type, detail, null);
    }

    private ApiException(HttpStatus status, String type, String detail, Long retryAfter) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.retryAfter = retryAfter;
    }

    public Long retryAfter() {
        return retryAfter;
    }

    /** A 429 with a Retry-After of {@code seconds}. */
    public static ApiException tooManyRequests(String type, String detail, long seconds) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, type, detail, seconds);
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "not-found", what + " not found");
    }

    public static ApiException badRequest(String type, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, type, detail);
    }

    public static ApiException conflict(String type, String detail) {
        return new ApiException(HttpStatus.CONFLICT, type, detail);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", detail);
    }
}
