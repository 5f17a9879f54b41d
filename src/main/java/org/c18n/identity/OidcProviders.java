package org.c18n.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.stereotype.Component;

/**
 * The configured OpenID Connect providers (Okta, Keycloak, Google, ...). Each is discovered from
 * its issuer on first use, so a provider that is down does not stop the platform from starting.
 */
@Component
public class OidcProviders implements ClientRegistrationRepository {
    public static final String CALLBACK_BASE = "/api/v1/auth/oidc/callback/";

    private final C18nOidcProperties props;
    private final Map<String, ClientRegistration> discovered = new ConcurrentHashMap<>();

    public OidcProviders(C18nOidcProperties props) {
        this.props = props;
    }

    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        C18nOidcProperties.Provider provider = props.providers().get(registrationId);
        if (provider == null) {
            return null;
        }
        return discovered.computeIfAbsent(registrationId, id -> ClientRegistrations
                .fromIssuerLocation(provider.issuerUri())
                .registrationId(id)
                .clientId(provider.clientId())
                .clientSecret(provider.clientSecret())
                .scope("openid", "profile", "email")
                .redirectUri("{baseUrl}" + CALLBACK_BASE + "{registrationId}")
                .clientName(provider.displayName(id))
                .build());
    }

    public C18nOidcProperties.Provider provider(String registrationId) {
        return props.providers().get(registrationId);
    }

    /** The providers for the sign-in page: id, name and the URL that starts the sign-in. */
    public List<Map<String, String>> list() {
        List<Map<String, String>> list = new ArrayList<>();
        props.providers().forEach((id, p) -> list.add(Map.of("id", id, "name", p.displayName(id),
                "url", "/api/v1/auth/oidc/" + id)));
        list.sort((a, b) -> a.get("name").compareToIgnoreCase(b.get("name")));
        return list;
    }
}
