package org.c18n.cli;

import java.util.ArrayList;
import java.util.List;
import org.c18n.eventlog.EventLog;
import org.c18n.eventlog.Topics;
import org.c18n.identity.GeneratedPasswords;
import org.c18n.identity.UserEvents;
import org.c18n.identity.UserView;
import org.c18n.identity.Users;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * {@code c18n admin reset-password USERNAME [--password P]}: for an operator whose admins are
 * locked out. Writes a {@code user.password_changed} into the log (applied by the projector when
 * the platform runs or next starts) and signs the account out everywhere; without
 * {@code --password} a password is generated and printed once. With the embedded engines the
 * platform must be stopped (they are this command's then); against a cluster it may run.
 */
public final class AdminCommand {
    private static final String USAGE = "usage: c18n admin reset-password USERNAME [--password PASSWORD]";

    private AdminCommand() {}

    public static int run(Class<?> application, String[] args) {
        List<String> rest = new ArrayList<>();
        String password = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--password") && i + 1 < args.length) {
                password = args[++i];
            } else if (args[i].startsWith("--password=")) {
                password = args[i].substring("--password=".length());
            } else if (args[i].startsWith("--c18n.")) {
                rest.add(args[i]);
            } else if (args[i].startsWith("--")) {
                System.err.println(USAGE);
                return 2;
            } else {
                rest.add(args[i]);
            }
        }
        List<String> words = rest.stream().filter(a -> !a.startsWith("--")).toList();
        if (words.size() != 2 || !words.get(0).equals("reset-password")) {
            System.err.println(USAGE);
            return 2;
        }
        String username = words.get(1);
        String[] springArgs = rest.stream().filter(a -> a.startsWith("--")).toArray(String[]::new);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
                .web(WebApplicationType.NONE)
                .properties("c18n.replay-mode=true")
                .run(springArgs)) {
            UserView user = context.getBean(Users.class).byUsername(username).orElse(null);
            if (user == null) {
                System.err.println("No account is named " + username + ".");
                return 3;
            }
            boolean generated = password == null || password.isBlank();
            if (generated) {
                password = GeneratedPasswords.generate();
            } else {
                var weakness = context.getBean(org.c18n.identity.PasswordPolicy.class)
                        .weakness(password, user.username(), user.email(), user.displayName());
                if (weakness.isPresent()) {
                    System.err.println("Refused: " + weakness.get());
                    return 4;
                }
            }
            String hash = context.getBean(PasswordEncoder.class).encode(password);
            var appended = context.getBean(EventLog.class).append(Topics.USERS, UserEvents.PASSWORD_CHANGED, user.id(),
                    user.id().toString(), new UserEvents.PasswordChanged(user.id(), hash, null));
            int ended = context.getBean(org.c18n.identity.Sessions.class).endAllOf(user.id(), null);
            System.out.printf("Password of %s (%s) reset: event %s in the log; %d session(s) signed out.%n",
                    user.username(), user.id(), appended.event().id(), ended);
            if (generated) {
                System.out.println("New password: " + password + "  (shown once)");
            }
            System.out.println("The platform applies it as it reads the log (at its next start, if stopped).");
            return 0;
        } catch (RuntimeException e) {
            System.err.println("admin: " + e.getMessage()
                    + "\n(with the embedded Kafka and PostgreSQL, stop the platform first; while it runs, an admin"
                    + " resets passwords from the web app's admin page)");
            return 1;
        }
    }
}
