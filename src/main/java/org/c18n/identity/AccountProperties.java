package org.c18n.identity;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code emailVerification} ({@code C18N_EMAIL_VERIFICATION}, default off, and only with SMTP
 * configured): a local account other than an admin signs in only once its current e-mail
 * address is confirmed through the link mailed at sign-up or at an address change.
 */
@ConfigurationProperties("c18n.accounts")
public record AccountProperties(boolean emailVerification) {}
