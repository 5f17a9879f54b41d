package org.c18n.web;

import java.util.UUID;

/** Something the API points to by id, with the name a reader needs to show the link. */
public record Ref(UUID id, String name) {}
