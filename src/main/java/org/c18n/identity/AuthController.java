package org.c18n.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.c18n.infra.C18nProperties;
import org.c18n.web.ApiException;
import org.c18n.web.SecretTokens;
import org.c18n.web.Writes;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Sign-up, sign-in, token refresh and sign-out with local accounts. */
@RestController
@RequestMapping("/api/v1/auth")
public class AuthController {
    public static final String REFRESH_COOKIE = "c18n_refresh";
    /**
     * Sent by our clients with the cookie-authenticated calls (refresh, logout). A cross-site form
     * cannot set a header, and a cross-site script could only with a CORS preflight we never grant.
     */
    public static final String CSRF_HEADER = "X-C18N";
    public static final String USERNAME_RULE = "^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$";
    public static final String USERNAME_MESSAGE =
            "must be 3 to 32 letters, digits, '_', '.' or '-', starting with a letter or digit";

    private final Registration registration;
    private final Users users;
    private final Tokens tokens;
    private final Sessions sessions;
    private final PasswordEncoder passwords;
    private final LoginRateLimiter rateLimiter;
    private final PasswordPolicy passwordPolicy;
    private final OidcProviders oidcProviders;
    private final C18nProperties props;
    private final EmailVerification emailVerification;
    /** The public URL, parsed once; null when none is set. */
    private final URI publicOrigin;
    /**
     * Checked against when the username is unknown (or has no password), so that such an answer
     * takes as long as a wrong password and the timing does not tell which accounts exist.
     * Made on first need, so that starts which serve no sign-in (replay) do not pay for it.
     */
    private volatile String dummyHash;

    public AuthController(Registration registration, Users users, Tokens tokens, Sessions sessions,
                          PasswordEncoder passwords, LoginRateLimiter rateLimiter, PasswordPolicy passwordPolicy,
                          OidcProviders oidcProviders, C18nProperties props, EmailVerification emailVerification) {
        this.emailVerification = emailVerification;
        this.registration = registration;
        this.users = users;
        this.tokens = tokens;
        this.sessions = sessions;
        this.passwords = passwords;
        this.rateLimiter = rateLimiter;
        this.passwordPolicy = passwordPolicy;
        this.oidcProviders = oidcProviders;
        this.props = props;
        this.publicOrigin = props.publicOrigin();
    }

    public record RegisterRequest(
            @NotNull @Pattern(regexp = USERNAME_RULE, message = USERNAME_MESSAGE) String username,
            @NotBlank @Email @Size(max = 254) String email,
            @NotNull @Size(min = 8, max = 128, message = "must be 8 to 128 characters") String password,
            @Size(max = 64) String displayName) {}

    public record LoginRequest(@NotBlank @Size(max = 254) String username, @NotBlank @Size(max = 128) String password) {}

    public record TokenResponse(String accessToken, String tokenType, long expiresIn, UserJson user) {}

    @PostMapping("/register")
    public ResponseEntity<Object> register(@Valid @RequestBody RegisterRequest request) {
        passwordPolicy.weakness(request.password(), request.username(), request.email(), request.displayName())
                .ifPresent(weakness -> {
                    throw ApiException.badRequest("weak-password", weakness);
                });
        var registered = registration.register(new Registration.NewAccount(request.username(), request.email().strip(),
                request.password(), request.displayName(), "user", null, null), null);
        return Writes.created(registered.outcome(), "/api/v1/users/" + registered.userId(),
                () -> UserJson.allFields(users.byId(registered.userId()).orElseThrow()));
    }

    @PostMapping("/login")
    public ResponseEntity<TokenResponse> login(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
        long wait = rateLimiter.secondsToWait(request.username(), http.getRemoteAddr());
        if (wait > 0) {
            throw ApiException.tooManyRequests("rate-limited",
                    "Too many failed sign-in attempts; wait a minute and try again", wait);
        }
        UserView found = users.byUsername(request.username()).filter(u -> u.passwordHash() != null).orElse(null);
        boolean matches = passwords.matches(request.password(), found == null ? dummyHash() : found.passwordHash());
        UserView user = matches ? found : null;
        if (user == null) {
            rateLimiter.failed(request.username(), http.getRemoteAddr());
            throw new ApiException(HttpStatus.UNAUTHORIZED, "invalid-credentials", "Wrong username or password");
        }
        if (emailVerification.required(user)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "email-unverified", "Confirm your e-mail address first:"
                    + " follow the link we mailed to it (we have just sent it again; check your spam folder too)");
        }
        return signedIn(user);
    }

    private String dummyHash() {
        String hash = dummyHash;
        if (hash == null) {
            // Two first callers may both make one: harmless, either will do.
            hash = passwords.encode(SecretTokens.generate());
            dummyHash = hash;
        }
        return hash;
    }

    @PostMapping("/refresh")
    public ResponseEntity<TokenResponse> refresh(@CookieValue(name = REFRESH_COOKIE, required = false) String refresh,
                                                 HttpServletRequest http) {
        requireSameSite(http);
        Sessions.Rotated rotated = (refresh == null ? Optional.<Sessions.Rotated>empty() : sessions.rotate(refresh))
                .orElseThrow(AuthController::sessionEnded);
        UserView user = users.byId(rotated.userId()).orElseThrow(AuthController::sessionEnded);
        return signedIn(user, new Sessions.Started(rotated.familyId(), rotated.refreshToken()));
    }

    @PostMapping("/logout")
    public ResponseEntity<Void> logout(@CookieValue(name = REFRESH_COOKIE, required = false) String refresh,
                                       HttpServletRequest http) {
        requireSameSite(http);
        if (refresh != null) {
            sessions.end(refresh);
        }
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, refreshCookie("", Duration.ZERO).toString())
                .build();
    }

    @GetMapping("/providers")
    public List<Map<String, String>> providers() {
        return oidcProviders.list();
    }

    private static ApiException sessionEnded() {
        return new ApiException(HttpStatus.UNAUTHORIZED, "unauthenticated", "The session has ended; sign in again");
    }

    /**
     * Refuses a cookie-authenticated call that a page of another site could have made: it must
     * carry our header, or an Origin that is this site (the public URL, or the host it was sent to).
     */
    private void requireSameSite(HttpServletRequest http) {
        if (http.getHeader(CSRF_HEADER) != null) {
            return;
        }
        String origin = http.getHeader(HttpHeaders.ORIGIN);
        if (origin != null) {
            try {
                URI from = new URI(origin);
                String host = http.getHeader(HttpHeaders.HOST);
                if (from.getHost() != null && (sameOrigin(from, publicOrigin)
                        || (host != null && host.equalsIgnoreCase(from.getRawAuthority())))) {
                    return;
                }
            } catch (URISyntaxException malformed) {
                // refused below
            }
        }
        throw new ApiException(HttpStatus.FORBIDDEN, "cross-site-request",
                "This request must come from the web app: send the " + CSRF_HEADER + " header or a same-site Origin");
    }

    private static boolean sameOrigin(URI origin, URI site) {
        return site != null && origin.getScheme() != null && origin.getScheme().equalsIgnoreCase(site.getScheme())
                && origin.getHost().equalsIgnoreCase(site.getHost()) && port(origin) == port(site);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    ResponseEntity<TokenResponse> signedIn(UserView user) {
        return signedIn(user, sessions.start(user.id()));
    }

    private ResponseEntity<TokenResponse> signedIn(UserView user, Sessions.Started session) {
        Tokens.AccessToken access = tokens.issue(user, session);
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, refreshCookie(session.refreshToken(), props.auth().refreshTokenTtl())
                        .toString())
                .body(new TokenResponse(access.accessToken(), access.tokenType(), access.expiresIn(),
                        UserJson.allFields(user)));
    }

    /** Secure when forced, and whenever the site is served over https (then the browser must never send it in clear). */
    static boolean secureCookie(C18nProperties props) {
        return props.auth().secureCookie() || props.httpsPublicUrl();
    }

    ResponseCookie refreshCookie(String value, Duration maxAge) {
        return ResponseCookie.from(REFRESH_COOKIE, value)
                .httpOnly(true)
                .secure(secureCookie(props))
                .sameSite("Lax")
                .path("/api/v1/auth")
                .maxAge(maxAge)
                .build();
    }
}
