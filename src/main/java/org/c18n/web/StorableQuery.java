package org.c18n.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * The URI's side of {@link StorableText}: the path and every query parameter, decoded strictly
 * (malformed percent-escapes and bytes that are not UTF-8 are refused rather than replaced), must
 * be storable text. Runs before security, so a hostile URI is refused the same way signed in or not.
 * The query string is parsed here rather than through the servlet's parameters, which would read
 * (and for multipart, store) a form body first.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class StorableQuery extends OncePerRequestFilter {
    private final ObjectMapper json;

    public StorableQuery(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            checkPart("path", request.getRequestURI(), false);
            String query = request.getQueryString();
            if (query != null && !query.isEmpty()) {
                for (String pair : query.split("&")) {
                    int eq = pair.indexOf('=');
                    String name = decode("query", eq < 0 ? pair : pair.substring(0, eq), true);
                    String problem = StorableText.problem(name);
                    if (problem != null) {
                        throw new StorableText.Unstorable("query", problem);
                    }
                    String field = name;
                    if (eq >= 0) {
                        checkPart(field, pair.substring(eq + 1), true);
                    }
                }
            }
        } catch (StorableText.Unstorable e) {
            Problems.write(response, json, Problems.invalid(e.field(), e.getMessage()));
            return;
        }
        chain.doFilter(request, response);
    }

    private static void checkPart(String field, String encoded, boolean form) {
        String problem = StorableText.problem(decode(field, encoded, form));
        if (problem != null) {
            throw new StorableText.Unstorable(field, problem);
        }
    }

    /** Percent-decodes {@code encoded} as UTF-8, refusing what is malformed instead of replacing it. */
    static String decode(String field, String encoded, boolean form) {
        if (encoded.indexOf('%') < 0 && !(form && encoded.indexOf('+') >= 0)) {
            return encoded;
        }
        var bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(encoded.charAt(i + 2), 16);
                if (low < 0) {
                    throw new StorableText.Unstorable(field, "has a malformed percent-escape");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c == '+' && form) {
                bytes.write(' ');
            } else if (c <= 0xFF) {
                // The servlet container hands raw bytes over one char each (ISO-8859-1).
                bytes.write(c);
            } else {
                byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(raw, 0, raw.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new StorableText.Unstorable(field, "is not valid UTF-8");
        }
    }
}
