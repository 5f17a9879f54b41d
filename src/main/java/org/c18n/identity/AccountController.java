package org.c18n.identity;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.c18n.eventlog.Commands;
import org.c18n.eventlog.EventLog;
import org.c18n.eventlog.Topics;
import org.c18n.eventlog.Uuids;
import org.c18n.infra.mail.MailProperties;
import org.c18n.web.ApiException;
import org.c18n.web.CurrentUser;
import org.c18n.web.RateBudgets;
import org.c18n.web.Rejections;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Passwords after sign-up: a person changes theirs (knowing the current one), an admin sets
 * one, and a person who forgot theirs asks for a mail whose link lets them choose a new one.
 * Each ends the account's other sessions (the admin's and the link's: all of them).
 */
@RestController
public class AccountController {
    /** "Forgot password" mails one account may be sent per hour, and requests one client address may make. */
    static final int RESETS_PER_ACCOUNT_PER_HOUR = 3;
    static final int RESETS_PER_ADDRESS_PER_HOUR = 30;

    private final Users users;
    private final Commands commands;
    private final EventLog log;
    private final PasswordEncoder passwords;
    private final PasswordPolicy policy;
    private final Sessions sessions;
    private final LoginRateLimiter loginLimits;
    private final MailLinks links;
    private final MailProperties smtp;
    private final JdbcClient db;
    private final RateBudgets<String> resetBudgets = new RateBudgets<>(100_000);

    public AccountController(Users users, Commands commands, EventLog log, PasswordEncoder passwords,
                              PasswordPolicy policy, Sessions sessions, LoginRateLimiter loginLimits,
                              MailLinks links, MailProperties smtp, JdbcClient db) {
        this.users = users;
        this.commands = commands;
        this.log = log;
        this.passwords = passwords;
        this.policy = policy;
        this.sessions = sessions;
        this.loginLimits = loginLimits;
        this.links = links;
        this.smtp = smtp;
        this.db = db;
    }

    public record PasswordChange(@NotNull @Size(max = 128) String currentPassword,
                                 @NotBlank @Size(max = 128) String newPassword) {}

    /** Changes the caller's password; every other session of theirs ends, this one stays. */
    @PostMapping("/api/v1/users/me/password")
    public ResponseEntity<Void> change(CurrentUser me, @Valid @RequestBody PasswordChange change, HttpServletRequest http) {
        var token = token();
        if (token.getToken().getClaims().containsKey("act")) {
            throw ApiException.forbidden("An admin acting as this user may not change their password");
        }
        UserView user = users.byId(me.id()).orElseThrow(() -> ApiException.notFound("User"));
        long wait = loginLimits.secondsToWait(user.username(), http.getRemoteAddr());
        if (wait > 0) {
            throw ApiException.tooManyRequests("rate-limited", "Too many wrong passwords; wait a minute and try again", wait);
        }
        if (user.passwordHash() == null) {
            throw ApiException.conflict("no-password", "This account signs in with single sign-on and has no password");
        }
        if (!passwords.matches(change.currentPassword(), user.passwordHash())) {
            loginLimits.failed(user.username(), http.getRemoteAddr());
            throw ApiException.badRequest("wrong-password", "currentPassword: that is not your current password");
        }
        requireStrong(change.newPassword(), user);
        submit(UserEvents.PASSWORD_CHANGED, me.id(), user.id(),
                new UserEvents.PasswordChanged(user.id(), passwords.encode(change.newPassword()), null));
        sessions.endAllOf(user.id(), Uuids.parse(token.getToken().getClaimAsString(Tokens.SESSION_CLAIM)));
        return ResponseEntity.noContent().build();
    }

    public record AdminPassword(@Size(max = 128) String password) {}

    /**
     * An admin sets a user's password: the one given (the policy applies), or a generated one,
     * answered once. Every session of the user ends.
     */
    @PostMapping("/api/v1/admin/users/{id}/password")
    public Map<String, Object> adminReset(CurrentUser admin, @PathVariable UUID id,
                                          @Valid @RequestBody(required = false) AdminPassword body) {
        UserView user = users.byId(id).orElseThrow(() -> ApiException.notFound("User"));
        String given = body == null || body.password() == null || body.password().isBlank() ? null : body.password();
        if (given != null) {
            requireStrong(given, user);
        }
        String password = given != null ? given : GeneratedPasswords.generate();
        submit(UserEvents.PASSWORD_CHANGED, admin.id(), user.id(),
                new UserEvents.PasswordChanged(user.id(), passwords.encode(password), admin.id()));
        int ended = sessions.endAllOf(user.id(), null);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("userId", user.id());
        answer.put("username", user.username());
        answer.put("sessionsEnded", ended);
        if (given == null) {
            answer.put("password", password);
        }
        return answer;
    }

    public record ResetRequest(@NotBlank @Size(max = 254) String login) {}

    /**
     * "Forgot password": mails a link to the account named by username or e-mail. The answer is
     * the same whether such an account exists or not, so that it tells no one who has an account.
     */
    @PostMapping("/api/v1/auth/password/forgot")
    public ResponseEntity<Map<String, String>> forgot(@Valid @RequestBody ResetRequest request, HttpServletRequest http) {
        requireMail();
        String login = request.login().strip().toLowerCase(Locale.ROOT);
        long wait = Math.max(
                resetBudgets.secondsToWait("a:" + LoginRateLimiter.network(http.getRemoteAddr()),
                        () -> hourly(RESETS_PER_ADDRESS_PER_HOUR)),
                resetBudgets.secondsToWait("l:" + login, () -> hourly(RESETS_PER_ACCOUNT_PER_HOUR)));
        if (wait > 0) {
            throw ApiException.tooManyRequests("rate-limited", "Too many reset requests; try again later", wait);
        }
        users.byLogin(login).ifPresent(user -> log.appendAsync(Topics.USERS, UserEvents.PASSWORD_RESET_REQUESTED,
                user.id(), user.id().toString(), new UserEvents.PasswordResetRequested(user.id())));
        return ResponseEntity.accepted().body(Map.of("status", "requested",
                "detail", "If an account has that username or e-mail address, a link to reset its password is on its way"));
    }

    public record Reset(@NotNull UUID request, @NotBlank @Size(max = 100) String token,
                        @NotBlank @Size(max = 128) String password) {}

    /** Follows a mailed link: sets the new password, once, within the link's hour; every session of the account ends. */
    @PostMapping("/api/v1/auth/password/reset")
    public ResponseEntity<Void> reset(@Valid @RequestBody Reset reset) {
        if (!links.validResetToken(reset.request(), reset.token())) {
            throw ApiException.badRequest("link-invalid", Rejections.describe("link-invalid"));
        }
        var request = db.sql("SELECT user_id, requested_at, used_at IS NOT NULL AS used FROM password_reset_requests WHERE id = ?")
                .param(reset.request())
                .query((rs, n) -> new Request(rs.getObject("user_id", UUID.class), rs.getTimestamp("requested_at").toInstant(),
                        rs.getBoolean("used")))
                .optional()
                .orElseThrow(() -> ApiException.badRequest("link-invalid", Rejections.describe("link-invalid")));
        if (request.used()) {
            throw ApiException.badRequest("link-used", Rejections.describe("link-used"));
        }
        if (request.at().plus(MailLinks.RESET_LINK_LIFETIME).isBefore(Instant.now())) {
            throw ApiException.badRequest("link-expired", Rejections.describe("link-expired"));
        }
        UserView user = users.byId(request.userId()).orElseThrow(() -> ApiException.notFound("User"));
        requireStrong(reset.password(), user);
        submit(UserEvents.PASSWORD_RESET, user.id(), user.id(),
                new UserEvents.PasswordReset(user.id(), reset.request(), passwords.encode(reset.password())));
        sessions.endAllOf(user.id(), null);
        return ResponseEntity.noContent().build();
    }

    private record Request(UUID userId, Instant at, boolean used) {}

    public record EmailChange(@NotNull @jakarta.validation.constraints.Email @Size(max = 254) String email,
                              @NotNull @Size(max = 128) String currentPassword) {}

    /**
     * Changes the caller's e-mail address (their password confirms it is them). With e-mail
     * verification on, the new address is mailed a confirmation link and must be confirmed
     * before the next sign-in.
     */
    @PostMapping("/api/v1/users/me/email")
    public ResponseEntity<Object> changeEmail(CurrentUser me, @Valid @RequestBody EmailChange change, HttpServletRequest http) {
        UserView user = users.byId(me.id()).orElseThrow(() -> ApiException.notFound("User"));
        long wait = loginLimits.secondsToWait(user.username(), http.getRemoteAddr());
        if (wait > 0) {
            throw ApiException.tooManyRequests("rate-limited", "Too many wrong passwords; wait a minute and try again", wait);
        }
        if (user.passwordHash() == null) {
            throw ApiException.conflict("no-password", "This account signs in with single sign-on: its provider keeps the address");
        }
        if (!passwords.matches(change.currentPassword(), user.passwordHash())) {
            loginLimits.failed(user.username(), http.getRemoteAddr());
            throw ApiException.badRequest("wrong-password", "currentPassword: that is not your current password");
        }
        String email = change.email().strip();
        if (email.equals(user.email())) {
            return ResponseEntity.ok(UserJson.allFields(user)); // nothing changes, and a confirmed address stays confirmed
        }
        if (!email.equalsIgnoreCase(user.email()) && users.emailTaken(email)) {
            throw ApiException.conflict("email-taken", Rejections.describe("email-taken"));
        }
        var outcome = commands.submit(Topics.USERS, UserEvents.EMAIL_CHANGED, me.id(), me.id().toString(),
                new UserEvents.EmailChanged(me.id(), email));
        return org.c18n.web.Writes.changed(outcome, "/api/v1/users/me",
                () -> UserJson.allFields(users.byId(me.id()).orElseThrow()));
    }

    public record Verification(@NotNull UUID user, @NotBlank @Size(max = 100) String token) {}

    /** Follows a mailed confirmation link: confirms the account's current address (a link to an old address is void). */
    @PostMapping("/api/v1/auth/email/verify")
    public ResponseEntity<Void> verifyEmail(@Valid @RequestBody Verification verification) {
        UserView user = users.byId(verification.user())
                .filter(u -> links.validVerifyToken(u.id(), u.email(), verification.token()))
                .orElseThrow(() -> ApiException.badRequest("link-invalid", Rejections.describe("link-invalid")));
        submit(UserEvents.EMAIL_VERIFIED, user.id(), user.id(), new UserEvents.EmailVerified(user.id(), user.email()));
        return ResponseEntity.noContent().build();
    }

    private void submit(String type, UUID actor, UUID userId, Object data) {
        commands.submit(Topics.USERS, type, actor, userId.toString(), data).rejection().ifPresent(reason -> {
            throw ApiException.conflict(reason, Rejections.describe(reason));
        });
    }

    private void requireStrong(String password, UserView user) {
        policy.weakness(password, user.username(), user.email(), user.displayName()).ifPresent(weakness -> {
            throw ApiException.badRequest("weak-password", weakness);
        });
    }

    private void requireMail() {
        if (!smtp.configured()) {
            throw new ApiException(HttpStatus.NOT_FOUND, "mail-unavailable",
                    "This platform sends no mail, so passwords cannot be reset by mail; ask an admin");
        }
    }

    private static Bucket hourly(int capacity) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, Duration.ofHours(1)).build())
                .build();
    }

    private static JwtAuthenticationToken token() {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token) {
            return token;
        }
        throw new ApiException(HttpStatus.UNAUTHORIZED, "unauthenticated", "A valid access token is required");
    }
}
