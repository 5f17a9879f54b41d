package org.c18n.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.c18n.infra.C18nProperties;
import org.c18n.eventlog.Uuids;
import org.c18n.web.SecretTokens;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Component;

/** Issues and verifies our short-lived RS256 access tokens. */
@Component
public class Tokens {
    static final String ISSUER = "c18n";
    /** The refresh family the token was issued for. */
    static final String SESSION_CLAIM = "sid";

    // 1–2 KB each (the token, its claims, the hash): 20,000 users signed in at once cost 20–40 MB.
    private static final int MAX_CACHED = 20_000;

    private final NimbusJwtEncoder encoder;
    private final JwtDecoder verifier;
    private final Sessions sessions;
    private final C18nProperties props;
    /** Tokens verified already, by their SHA-256, until they expire: the signature is checked once per token. */
    private final Map<String, Jwt> verified = new ConcurrentHashMap<>();

    public Tokens(SigningKey signingKey, Sessions sessions, C18nProperties props) throws JOSEException {
        this.props = props;
        this.encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(signingKey.key())));
        NimbusJwtDecoder nimbus = NimbusJwtDecoder.withPublicKey(signingKey.key().toRSAPublicKey())
                .signatureAlgorithm(SignatureAlgorithm.RS256)
                .build();
        // The default validators check exp only when it is there; a token without one would never expire.
        nimbus.setJwtValidator(new DelegatingOAuth2TokenValidator<Jwt>(
                JwtValidators.createDefaultWithIssuer(ISSUER),
                new JwtClaimValidator<Instant>(JwtClaimNames.EXP, java.util.Objects::nonNull),
                (OAuth2TokenValidator<Jwt>) jwt -> {
                    String sid = jwt.getClaimAsString(SESSION_CLAIM);
                    return sid == null || sessionLive(sessions, sid) ? OAuth2TokenValidatorResult.success()
                            : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                                    "The session of this token has ended", null));
                }));
        this.verifier = nimbus;
        this.sessions = sessions;
    }

    /**
     * Verifies an access token: its signature and claims once, then, until it expires, only whether
     * its session still lives (sign-out and revocation end it at once, on every node).
     */
    private Jwt decode(String token) {
        String hash = SecretTokens.hash(token);
        Jwt known = verified.get(hash);
        if (known != null) {
            String sid = known.getClaimAsString(SESSION_CLAIM);
            if (known.getExpiresAt().isAfter(Instant.now()) && (sid == null || sessionLive(sessions, sid))) {
                return known;
            }
            // Expired or ended: the full check gives the answer and its reason.
            verified.remove(hash);
        }
        Jwt jwt = verifier.decode(token);
        if (verified.size() >= MAX_CACHED) {
            Instant now = Instant.now();
            verified.values().removeIf(t -> !t.getExpiresAt().isAfter(now));
            if (verified.size() >= MAX_CACHED) {
                verified.clear();
            }
        }
        verified.put(hash, jwt);
        return jwt;
    }

    private static boolean sessionLive(Sessions sessions, String sid) {
        UUID family = Uuids.parse(sid);
        return family != null && sessions.live(family);
    }

    public record AccessToken(String accessToken, String tokenType, long expiresIn) {}

    /** A token of the sign-in whose refresh family is {@code session}: it ends when that family is revoked. */
    public AccessToken issue(UserView user, Sessions.Started session) {
        return issue(user, null, session.familyId());
    }

    /** A token for {@code user} minted by {@code actingAdmin} (impersonation), tied to no session. */
    public AccessToken issue(UserView user, UUID actingAdmin) {
        return issue(user, actingAdmin, null);
    }

    private AccessToken issue(UserView user, UUID actingAdmin, UUID session) {
        Instant now = Instant.now();
        long ttl = props.auth().accessTokenTtl().toSeconds();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer(ISSUER)
                .subject(user.id().toString())
                .issuedAt(now)
                .expiresAt(now.plusSeconds(ttl))
                .id(UUID.randomUUID().toString())
                .claim("username", user.username())
                .claim("role", user.role());
        if (session != null) {
            claims.claim(SESSION_CLAIM, session.toString());
        }
        if (actingAdmin != null) {
            claims.claim("act", Map.of("sub", actingAdmin.toString()));
        }
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).build();
        String token = encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
        return new AccessToken(token, "Bearer", ttl);
    }

    public JwtDecoder decoder() {
        return this::decode;
    }
}
