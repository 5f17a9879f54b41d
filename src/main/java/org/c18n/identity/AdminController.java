package org.c18n.identity;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.c18n.eventlog.Commands;
import org.c18n.eventlog.Refused;
import org.c18n.eventlog.Topics;
import org.c18n.web.ApiException;
import org.c18n.web.CurrentUser;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Admin tools: bulk accounts for demos and load tests, and minting a user's token (audited). */
@RestController
@RequestMapping("/api/v1/admin/users")
public class AdminController {
    private final Registration registration;
    private final Users users;
    private final Tokens tokens;
    private final Commands commands;
    private final PasswordPolicy passwordPolicy;

    public AdminController(Registration registration, PasswordPolicy passwordPolicy, Users users, Tokens tokens,
                           Commands commands) {
        this.registration = registration;
        this.passwordPolicy = passwordPolicy;
        this.users = users;
        this.tokens = tokens;
        this.commands = commands;
    }

    public record BulkRequest(@NotEmpty @Size(max = 1000) List<AuthController.@Valid RegisterRequest> users) {}

    /** Creates each account independently; answers what became of each. */
    @PostMapping
    public ResponseEntity<Map<String, Object>> bulkCreate(CurrentUser admin, @Valid @RequestBody BulkRequest request) {
        List<Map<String, Object>> results = new ArrayList<>();
        int created = 0;
        for (AuthController.RegisterRequest r : request.users()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("username", r.username());
            if (passwordPolicy.weakness(r.password(), r.username(), r.email(), r.displayName()).isPresent()) {
                result.put("status", "weak-password");
            } else {
                try {
                    var registered = registration.register(new Registration.NewAccount(r.username(), r.email().strip(),
                            r.password(), r.displayName(), "user", null, null), admin.id());
                    result.put("id", registered.userId());
                    String status = registered.outcome().rejection()
                            .orElse(registered.outcome().applied() ? "created" : "accepted");
                    result.put("status", status);
                    if (!status.equals("username-taken") && !status.equals("email-taken")) {
                        created++;
                    }
                } catch (Refused e) {
                    result.put("status", e.reason());
                }
            }
            results.add(result);
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("created", created,
                "failed", request.users().size() - created, "results", results));
    }

    /** An access token for the user, marked as minted by this admin; the act is recorded in the log. */
    @PostMapping("/{id}/token")
    public Tokens.AccessToken mintToken(CurrentUser admin, @PathVariable UUID id) {
        UserView user = users.byId(id).orElseThrow(() -> ApiException.notFound("User"));
        commands.submit(Topics.USERS, UserEvents.TOKEN_MINTED, admin.id(), id.toString(),
                new UserEvents.TokenMinted(id, admin.id()));
        return tokens.issue(user, admin.id());
    }
}
