package org.c18n.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web app's pages, each loadable directly (a reload, a bookmark, a shared link): every route
 * of the app's router answers the app's index.html, and any other path outside the API answers
 * it with 404, where the app shows its own "not found" page.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
public class WebApp implements WebMvcConfigurer {
    /** The routes of frontend/src/router.js, in Spring's pattern syntax; WebAppTest keeps them equal. */
    public static final List<String> ROUTES = List.of("/", "/feed", "/posts/{id}", "/chat", "/chat/{room}", "/login",
            "/register", "/sso", "/communities", "/communities/{id}", "/invites", "/groups", "/groups/{id}", "/people",
            "/users/{id}", "/me", "/me/data", "/search", "/analytics", "/notifications", "/moderation", "/account",
            "/forgot-password", "/reset-password", "/verify-email");

    private static final ClassPathResource INDEX = new ClassPathResource("static/index.html");

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        ROUTES.forEach(route -> registry.addViewController(route).setViewName("forward:/index.html"));
    }

    /** The app's page for a path nothing serves, or empty for the API's own paths (they answer problem+json). */
    static Optional<ResponseEntity<Object>> notFoundPage(String path) {
        if (path.equals("/api") || path.startsWith("/api/") || path.equals("/actuator") || path.startsWith("/actuator/")) {
            return Optional.empty();
        }
        return index().map(page -> ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_HTML).body(page));
    }

    private static volatile String index;

    /** The app's index.html, read once (scanners ask for many paths that do not exist); empty when no app is built in. */
    private static Optional<Object> index() {
        String page = index;
        if (page == null && INDEX.exists()) {
            try (InputStream in = INDEX.getInputStream()) {
                index = page = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.ofNullable(page);
    }
}
