package org.c18n.identity;

import java.util.UUID;
import org.c18n.eventlog.Commands;
import org.c18n.eventlog.Refused;
import org.c18n.eventlog.Topics;
import org.c18n.eventlog.Uuids;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/** Creates accounts, for every way one comes to be: sign-up, admin bulk creation, SSO, first start. */
@Component
public class Registration {
    private final Commands commands;
    private final Users users;
    private final PasswordEncoder passwords;

    public Registration(Commands commands, Users users, PasswordEncoder passwords) {
        this.commands = commands;
        this.users = users;
        this.passwords = passwords;
    }

    public record NewAccount(String username, String email, String password, String displayName, String role,
                             String oidcIssuer, String oidcSubject) {}

    /** The submitted registration; the caller turns the outcome into an answer. */
    public record Registered(UUID userId, Commands.Outcome outcome) {}

    /** Refuses ({@code username-taken}, {@code email-taken}) what the view already shows taken. */
    public Registered register(NewAccount account, UUID actor) {
        if (users.usernameTaken(account.username())) {
            throw Refused.conflict("username-taken", "That username is already taken");
        }
        if (users.emailTaken(account.email())) {
            throw Refused.conflict("email-taken", "An account with that email already exists");
        }
        UUID id = Uuids.v7();
        String hash = account.password() == null ? null : passwords.encode(account.password());
        String displayName = account.displayName() == null || account.displayName().isBlank()
                ? account.username() : account.displayName().strip();
        var event = new UserEvents.Registered(id, account.username(), account.email(), hash, displayName,
                account.role(), account.oidcIssuer(), account.oidcSubject());
        Commands.Outcome outcome = commands.submit(Topics.USERS, UserEvents.REGISTERED, actor == null ? id : actor,
                UserEvents.usernameClaim(account.username()), event);
        return new Registered(id, outcome);
    }
}
