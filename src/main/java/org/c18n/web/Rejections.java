package org.c18n.web;

import java.util.Map;

/** Human words for the projector's rejection reasons (also the problem type slugs). */
public final class Rejections {
    private static final Map<String, String> DETAILS = Map.ofEntries(
            Map.entry("username-taken", "That username is already taken"),
            Map.entry("email-taken", "An account with that email already exists"),
            Map.entry("account-exists", "That sign-in is already linked to an account"),
            Map.entry("name-taken", "A community with that name already exists"),
            Map.entry("already-member", "Already a member"),
            Map.entry("not-member", "Not a member"),
            Map.entry("not-found", "It no longer exists"),
            Map.entry("already-invited", "That user already has a pending invite"),
            Map.entry("invite-closed", "The invite was already answered"),
            Map.entry("already-decided", "A moderator already decided on this item"),
            Map.entry("already-archived", "The community is archived already"),
            Map.entry("not-archived", "The community is not archived"),
            Map.entry("link-invalid", "This link is not valid: ask for a new one"),
            Map.entry("link-used", "This link was used already: ask for a new one"),
            Map.entry("link-expired", "This link has expired (links work for an hour): ask for a new one"));

    private Rejections() {}

    public static String describe(String reason) {
        return DETAILS.getOrDefault(reason, "The change was refused: " + reason);
    }
}
