package org.c18n.identity;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Single sign-on providers, by id: {@code c18n.oidc.providers.<id>.issuer-uri}, {@code client-id},
 * {@code client-secret}, optional {@code name}, and who becomes admin: {@code admin-emails} or a
 * claim ({@code admin-claim} containing {@code admin-claim-value}).
 */
@ConfigurationProperties("c18n.oidc")
public record C18nOidcProperties(Map<String, Provider> providers) {

    public C18nOidcProperties {
        providers = providers == null ? Map.of() : providers;
    }

    public record Provider(String issuerUri, String clientId, String clientSecret, String name,
                           List<String> adminEmails, String adminClaim, String adminClaimValue) {

        public String displayName(String id) {
            return name == null || name.isBlank() ? Character.toUpperCase(id.charAt(0)) + id.substring(1) : name;
        }
    }
}
