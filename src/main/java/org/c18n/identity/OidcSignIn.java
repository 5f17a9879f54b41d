package org.c18n.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.c18n.eventlog.Refused;
import org.c18n.infra.C18nProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.stereotype.Component;

/**
 * Completes an SSO sign-in: finds the account linked to the provider's subject, or provisions
 * one on first sign-in, then starts our own session (refresh cookie) and sends the browser back
 * to the web app, which exchanges the cookie for an access token.
 */
@Component
public class OidcSignIn implements AuthenticationSuccessHandler {
    private static final Logger log = LoggerFactory.getLogger(OidcSignIn.class);

    private final Users users;
    private final Registration registration;
    private final Sessions sessions;
    private final OidcProviders providers;
    private final AuthController auth;
    private final C18nProperties props;

    public OidcSignIn(Users users, Registration registration, Sessions sessions, OidcProviders providers,
                      AuthController auth, C18nProperties props) {
        this.users = users;
        this.registration = registration;
        this.sessions = sessions;
        this.providers = providers;
        this.auth = auth;
        this.props = props;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                                        Authentication authentication) throws IOException {
        OAuth2AuthenticationToken token = (OAuth2AuthenticationToken) authentication;
        OidcUser oidc = (OidcUser) token.getPrincipal();
        String provider = token.getAuthorizedClientRegistrationId();
        String issuer = oidc.getIssuer().toString();
        SecurityContextHolder.clearContext();
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        String target;
        try {
            UserView user = users.byOidc(issuer, oidc.getSubject()).orElseGet(() -> provision(provider, issuer, oidc));
            String refresh = sessions.start(user.id()).refreshToken();
            response.addHeader(HttpHeaders.SET_COOKIE,
                    auth.refreshCookie(refresh, props.auth().refreshTokenTtl()).toString());
            target = "/sso";
        } catch (Refused e) {
            log.warn("SSO sign-in through {} refused: {}", provider, e.getMessage());
            target = "/login?error=" + e.reason();
        }
        response.sendRedirect(target);
    }

    private UserView provision(String provider, String issuer, OidcUser oidc) {
        String email = Optional.ofNullable(oidc.getEmail())
                .orElseThrow(() -> Refused.invalid("sso-no-email", "The identity provider did not share an email address"));
        String username = freeUsername(Optional.ofNullable(oidc.getPreferredUsername()).orElse(email.split("@")[0]));
        String role = isAdmin(providers.provider(provider), oidc, email) ? "admin" : "user";
        var registered = registration.register(new Registration.NewAccount(username, email, null,
                oidc.getFullName(), role, issuer, oidc.getSubject()), null);
        registered.outcome().rejection().ifPresent(reason -> {
            throw Refused.conflict(reason, reason);
        });
        // Sign-in needs the account now: wait out a slow projection rather than answer "pending".
        for (int i = 0; i < 50; i++) {
            Optional<UserView> user = users.byId(registered.userId());
            if (user.isPresent()) {
                return user.get();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new Refused(Refused.Kind.UNAVAILABLE, "sso-pending", "The account is being created; try again in a moment");
    }

    private String freeUsername(String wanted) {
        String base = wanted.replaceAll("[^A-Za-z0-9_.-]", "").toLowerCase(Locale.ROOT);
        if (base.length() < 3) {
            base = (base + "user").substring(0, Math.max(4, base.length()));
        }
        base = base.substring(0, Math.min(base.length(), 28));
        if (!base.matches("^[a-z0-9].*")) {
            base = "u" + base;
        }
        String candidate = base;
        for (int n = 2; users.usernameTaken(candidate); n++) {
            candidate = base + n;
        }
        return candidate;
    }

    private static boolean isAdmin(C18nOidcProperties.Provider provider, OidcUser oidc, String email) {
        if (provider == null) {
            return false;
        }
        if (provider.adminEmails() != null && provider.adminEmails().stream().anyMatch(email::equalsIgnoreCase)) {
            return true;
        }
        if (provider.adminClaim() == null || provider.adminClaimValue() == null) {
            return false;
        }
        Object claim = oidc.getClaims().get(provider.adminClaim());
        if (claim instanceof Collection<?> values) {
            return values.stream().anyMatch(v -> provider.adminClaimValue().equals(String.valueOf(v)));
        }
        return claim != null && List.of(String.valueOf(claim).split("[ ,]")).contains(provider.adminClaimValue());
    }
}
