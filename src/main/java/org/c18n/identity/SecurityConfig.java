package org.c18n.identity;

import org.c18n.web.CurrentUser;
import org.c18n.web.CurrentUserResolver;
import org.c18n.web.Problems;
import org.c18n.web.SecurityHeaders;
import org.c18n.web.SocketUrl;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import java.util.List;
import org.c18n.infra.C18nProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import tools.jackson.databind.ObjectMapper;

/**
 * Three doors: the SSO sign-in flow (a short-lived HTTP session for its state), the API
 * (stateless, our bearer tokens), and the web app's static files (open).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
public class SecurityConfig {

    @Bean
    SecurityHeaders securityHeaders(C18nProperties props, SocketUrl socketUrl) {
        return new SecurityHeaders(props.httpsPublicUrl(), socketUrl);
    }

    /** Spring's defaults (nosniff, frame denial, no caching of answers) and ours; HSTS is ours, by the public URL. */
    private static void headers(HttpSecurity http, SecurityHeaders ours) throws Exception {
        http.headers(h -> h.httpStrictTransportSecurity(hsts -> hsts.disable()).addHeaderWriter(ours));
    }

    @Bean
    @Order(1)
    SecurityFilterChain ssoChain(HttpSecurity http, OidcProviders providers, OidcSignIn signIn,
                                 SecurityHeaders securityHeaders) throws Exception {
        headers(http, securityHeaders);
        var pkce = new DefaultOAuth2AuthorizationRequestResolver(providers, "/api/v1/auth/oidc");
        pkce.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
        // An unknown provider id falls through to a plain 404 instead of the filter's 500.
        var resolver = new OAuth2AuthorizationRequestResolver() {
            @Override
            public OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
                try {
                    return pkce.resolve(request);
                } catch (IllegalArgumentException unknownProvider) {
                    return null;
                }
            }

            @Override
            public OAuth2AuthorizationRequest resolve(HttpServletRequest request, String registrationId) {
                try {
                    return pkce.resolve(request, registrationId);
                } catch (IllegalArgumentException unknownProvider) {
                    return null;
                }
            }
        };
        http.securityMatcher("/api/v1/auth/oidc/**")
                .csrf(csrf -> csrf.disable())
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .oauth2Login(o -> o
                        .clientRegistrationRepository(providers)
                        .authorizationEndpoint(e -> e.authorizationRequestResolver(resolver))
                        .redirectionEndpoint(r -> r.baseUri(OidcProviders.CALLBACK_BASE + "*"))
                        .successHandler(signIn)
                        .failureHandler((request, response, e) -> response.sendRedirect("/login?error=sso")));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiChain(HttpSecurity http, Tokens tokens, ObjectMapper json, SecurityHeaders securityHeaders)
            throws Exception {
        headers(http, securityHeaders);
        var authorities = new JwtGrantedAuthoritiesConverter();
        authorities.setAuthoritiesClaimName("role");
        authorities.setAuthorityPrefix("ROLE_");
        var converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(authorities);
        http.securityMatcher("/api/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/refresh",
                                "/api/v1/auth/logout", "/api/v1/auth/providers", "/api/v1/auth/password/forgot",
                                "/api/v1/auth/password/reset", "/api/v1/auth/email/verify", "/api/v1/config",
                                "/api/v1/email-digests/unsubscribe").permitAll()
                        .requestMatchers("/api/docs", "/api/docs/**", "/api/docs.json", "/api/docs.json/**", "/api/swagger-ui/**").permitAll()
                        .requestMatchers(org.springframework.http.HttpMethod.GET, "/api/v1/media/*",
                                "/api/v1/media/*/thumbnail", "/api/v1/users/*/avatar").permitAll()
                        .requestMatchers("/api/v1/admin/**").hasRole("admin")
                        .anyRequest().authenticated())
                .oauth2ResourceServer(o -> o
                        .bearerTokenResolver(bearerOutsideSignIn())
                        .jwt(j -> j.decoder(tokens.decoder()).jwtAuthenticationConverter(converter))
                        .authenticationEntryPoint((request, response, e) -> Problems.write(response, json,
                                Problems.of(HttpStatus.UNAUTHORIZED, "unauthenticated", "A valid access token is required")))
                        .accessDeniedHandler((request, response, e) -> Problems.write(response, json,
                                Problems.of(HttpStatus.FORBIDDEN, "forbidden", "You may not do this"))))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> Problems.write(response, json,
                                Problems.of(HttpStatus.UNAUTHORIZED, "unauthenticated", "A valid access token is required")))
                        .accessDeniedHandler((request, response, ex) -> Problems.write(response, json,
                                Problems.of(HttpStatus.FORBIDDEN, "forbidden", "You may not do this"))));
        return http.build();
    }

    /**
     * The sign-in endpoints take no access token: one sent along anyway, expired or signed out,
     * must not turn a refresh or a logout into a 401.
     */
    private static BearerTokenResolver bearerOutsideSignIn() {
        var bearer = new DefaultBearerTokenResolver();
        return request -> request.getRequestURI().startsWith("/api/v1/auth/") ? null : bearer.resolve(request);
    }

    @Bean
    @Order(3)
    SecurityFilterChain webAppChain(HttpSecurity http, SecurityHeaders securityHeaders) throws Exception {
        headers(http, securityHeaders);
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    WebMvcConfigurer currentUserArgument() {
        // The caller comes from the access token, not from the request: the API document leaves it out.
        org.springdoc.core.utils.SpringDocUtils.getConfig().addRequestWrapperToIgnore(CurrentUser.class);
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new CurrentUserResolver());
            }
        };
    }
}
