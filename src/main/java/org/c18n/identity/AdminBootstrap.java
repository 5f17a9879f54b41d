package org.c18n.identity;

import org.c18n.infra.C18nProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * On the first start (no admin in the views yet) creates the admin account and prints its
 * credentials once; then prints where the platform is.
 */
@Component
public class AdminBootstrap implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final Users users;
    private final Registration registration;
    private final C18nProperties props;
    private final ApplicationContext context;
    private final PasswordPolicy passwordPolicy;

    public AdminBootstrap(Users users, Registration registration, PasswordPolicy passwordPolicy, C18nProperties props,
                          ApplicationContext context) {
        this.users = users;
        this.passwordPolicy = passwordPolicy;
        this.registration = registration;
        this.props = props;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (props.replayMode()) {
            return;
        }
        String credentials = null;
        if (!users.anyAdmin()) {
            String username = blankToNull(props.admin().username());
            String password = blankToNull(props.admin().password());
            username = username == null ? "admin" : username;
            if (password != null) {
                // The operator's choice stands (refusing it would leave the node without an admin), but say so.
                passwordPolicy.weakness(password, username).ifPresent(weakness ->
                        log.warn("C18N_ADMIN_PASSWORD is weak ({}); change the admin's password", weakness));
            }
            password = password == null ? GeneratedPasswords.generate() : password;
            if (!users.usernameTaken(username)) {
                var registered = registration.register(new Registration.NewAccount(username, username + "@c18n.local",
                        password, "Administrator", "admin", null, null), null);
                if (registered.outcome().rejection().isEmpty()) {
                    credentials = "Admin account: " + username + " / " + password + "  (shown once; change it)";
                }
            }
        }
        String url = url();
        StringBuilder banner = new StringBuilder("\n\n  c18n is ready at ").append(url).append('\n');
        if (credentials != null) {
            banner.append("  ").append(credentials).append('\n');
        }
        banner.append("  Full log: ").append(props.dataDir().resolve("logs").resolve("c18n.log").toAbsolutePath().normalize())
                .append('\n');
        System.out.println(banner);
        log.info("c18n ready at {}", url);
    }

    private String url() {
        String configured = blankToNull(props.publicUrl());
        if (configured != null) {
            return configured;
        }
        int port = context instanceof WebServerApplicationContext web && web.getWebServer() != null
                ? web.getWebServer().getPort() : 8080;
        return "http://localhost:" + port + "/";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
