package org.c18n.leaving;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import org.c18n.identity.UserView;
import org.c18n.web.ApiException;
import org.c18n.web.CurrentUser;
import org.c18n.web.RateBudgets;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Leaving the platform: taking one's data along, and deleting one's account (or an admin deleting it). */
@RestController
public class LeavingController {
    private final Export export;
    private final Erasure erasure;
    private final PasswordEncoder passwords;
    /** Wrong confirmations allowed per account: a stolen access token must not become a password oracle. */
    private final RateBudgets<UUID> confirmations = new RateBudgets<>(100_000);
    private static final int CONFIRMATIONS_PER_MINUTE = 5;

    public LeavingController(Export export, Erasure erasure, PasswordEncoder passwords) {
        this.export = export;
        this.erasure = erasure;
        this.passwords = passwords;
    }

    /** The person's data as a zip, streamed as it is written; one at a time per account. */
    @GetMapping("/api/v1/users/me/export")
    public void export(CurrentUser me, HttpServletResponse response) throws IOException {
        UserView user = erasure.account(me.id());
        if (!export.start(me.id())) {
            throw ApiException.tooManyRequests("export-running", "Your previous export is still being downloaded", 10);
        }
        try {
            response.setContentType("application/zip");
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                    .filename("c18n-" + user.username() + "-data.zip").build().toString());
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            export.write(me.id(), response.getOutputStream());
            response.flushBuffer();
        } finally {
            export.finish(me.id());
        }
    }

    /**
     * Confirms a self-deletion: the current {@code password}, or for an account without one (single
     * sign-on) its {@code username} typed again.
     */
    public record Confirmation(@Size(max = 200) String password, @Size(max = 200) String username) {}

    @DeleteMapping("/api/v1/users/me")
    public ResponseEntity<Void> deleteMe(CurrentUser me, @Valid @RequestBody Confirmation confirmation) {
        UserView user = erasure.account(me.id());
        boolean confirmed = user.passwordHash() != null
                ? confirmation.password() != null && passwords.matches(confirmation.password(), user.passwordHash())
                : user.username().equalsIgnoreCase(confirmation.username() == null ? "" : confirmation.username().strip());
        if (!confirmed) {
            long seconds = confirmations.secondsToWait(me.id(), () -> Bucket.builder().addLimit(Bandwidth.builder()
                    .capacity(CONFIRMATIONS_PER_MINUTE).refillGreedy(CONFIRMATIONS_PER_MINUTE, Duration.ofMinutes(1)).build())
                    .build());
            if (seconds > 0) {
                throw ApiException.tooManyRequests("too-many-attempts", "Too many wrong confirmations: wait a minute", seconds);
            }
            throw ApiException.forbidden(user.passwordHash() != null
                    ? "The password is not right" : "Type your username to confirm");
        }
        erasure.erase(me.id(), me.id());
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/api/v1/admin/users/{id}")
    public ResponseEntity<Void> delete(CurrentUser admin, @PathVariable UUID id) {
        erasure.erase(id, admin.id());
        return ResponseEntity.noContent().build();
    }
}
