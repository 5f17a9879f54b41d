package org.c18n.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.c18n.C18nProperties;
import org.c18n.web.ApiException;
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
    public static final String USERNAME_RULE = "^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$";
    public static final String USERNAME_MESSAGE =
            "must be 3 to 32 letters, digits, '_', '.' or '-', starting with a letter or digit";

    private final Registration registration;
    private final Users users;
    private final Tokens tokens;
    private final Sessions sessions;
    private final PasswordEncoder passwords;
    private final LoginRateLimiter rateLimiter;
    private final OidcProviders oidcProviders;
    private final C18nProperties props;

    public AuthController(Registration registration, Users users, Tokens tokens, Sessions sessions,
                          PasswordEncoder passwords, LoginRateLimiter rateLimiter, OidcProviders oidcProviders,
                          C18nProperties props) {
        this.registration = registration;
        this.users = users;
        this.tokens = tokens;
        this.sessions = sessions;
        this.passwords = passwords;
        this.rateLimiter = rateLimiter;
        this.oidcProviders = oidcProviders;
        this.props = props;
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
        var registered = registration.register(new Registration.NewAccount(request.username(), request.email().strip(),
                request.password(), request.displayName(), "user", null, null), null);
        return Writes.created(registered.outcome(), "/api/v1/users/" + registered.userId(),
                () -> UserJson.allFields(users.byId(registered.userId()).orElseThrow()));
    }

    @PostMapping("/login")
    public ResponseEntity<TokenResponse> login(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
        rateLimiter.check(request.username(), http.getRemoteAddr());
        UserView user = users.byUsername(request.username())
                .filter(u -> u.passwordHash() != null && passwords.matches(request.password(), u.passwordHash()))
                .orElse(null);
        if (user == null) {
            rateLimiter.failed(request.username(), http.getRemoteAddr());
            throw new ApiException(HttpStatus.UNAUTHORIZED, "invalid-credentials", "Wrong username or password");
        }
        return signedIn(user);
    }

    @PostMapping("/refresh")
    public ResponseEntity<TokenResponse> refresh(@CookieValue(name = REFRESH_COOKIE, required = false) String refresh) {
        UserView user = (refresh == null ? java.util.Optional.<java.util.UUID>empty() : sessions.end(refresh))
                .flatMap(users::byId)
                .orElseThrow(() -> new ApiException(HttpStatus.UNAUTHORIZED, "unauthenticated",
                        "The session has ended; sign in again"));
        return signedIn(user);
    }

    @PostMapping("/logout")
    public ResponseEntity<Void> logout(@CookieValue(name = REFRESH_COOKIE, required = false) String refresh) {
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

    ResponseEntity<TokenResponse> signedIn(UserView user) {
        String refresh = sessions.start(user.id());
        Tokens.AccessToken access = tokens.issue(user);
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, refreshCookie(refresh, props.auth().refreshTokenTtl()).toString())
                .body(new TokenResponse(access.accessToken(), access.tokenType(), access.expiresIn(),
                        UserJson.allFields(user)));
    }

    ResponseCookie refreshCookie(String value, Duration maxAge) {
        return ResponseCookie.from(REFRESH_COOKIE, value)
                .httpOnly(true)
                .secure(props.auth().secureCookie())
                .sameSite("Lax")
                .path("/api/v1/auth")
                .maxAge(maxAge)
                .build();
    }
}
