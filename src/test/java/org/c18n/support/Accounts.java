package org.c18n.support;

import org.c18n.client.Api;

/** The tests' accounts: each with the e-mail {@code <username>@example.org} and the password {@code password-<username>}. */
public final class Accounts {
    private Accounts() {}

    /** Registers and signs in a new user; answers a client carrying their token. */
    public static Api signedUp(String base, String username) {
        Api api = new Api(base);
        var registered = api.register(username, username + "@example.org", password(username), null);
        if (registered.status() != 201) {
            throw new AssertionError("register " + username + ": " + registered);
        }
        return api.login(username, password(username));
    }

    public static String password(String username) {
        return "password-" + username;
    }
}
