package org.c18n.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.ObjectMapper;

/** Builds the problem+json bodies; every {@code type} is {@code /problems/<slug>}. */
public final class Problems {
    private Problems() {}

    public static ProblemDetail of(HttpStatusCode status, String type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("/problems/" + type));
        HttpStatus known = HttpStatus.resolve(status.value());
        problem.setTitle(known != null ? known.getReasonPhrase() : "Error");
        return problem;
    }

    public static ProblemDetail invalid(String field, String message) {
        return invalid(List.of(Map.of("field", field, "message", message)));
    }

    public static ProblemDetail invalid(List<Map<String, String>> errors) {
        String detail = errors.stream()
                .map(e -> e.get("field") + ": " + e.get("message"))
                .reduce((a, b) -> a + "; " + b)
                .orElse("invalid request");
        ProblemDetail problem = of(HttpStatus.BAD_REQUEST, "validation", detail);
        problem.setProperty("errors", errors);
        return problem;
    }

    /** Answers with {@code problem} from outside Spring MVC (filters, security handlers). */
    public static void write(HttpServletResponse response, ObjectMapper json, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
