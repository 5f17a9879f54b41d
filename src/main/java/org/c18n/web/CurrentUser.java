package org.c18n.web;

import java.util.UUID;

/** The authenticated caller, taken from the access token. */
public record CurrentUser(UUID id, String username, boolean admin) {}
