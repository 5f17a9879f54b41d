package org.c18n.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.c18n.C18nProperties;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
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

    private final NimbusJwtEncoder encoder;
    private final JwtDecoder decoder;
    private final C18nProperties props;

    public Tokens(SigningKey signingKey, C18nProperties props) throws JOSEException {
        this.props = props;
        this.encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(signingKey.key())));
        NimbusJwtDecoder nimbus = NimbusJwtDecoder.withPublicKey(signingKey.key().toRSAPublicKey())
                .signatureAlgorithm(SignatureAlgorithm.RS256)
                .build();
        nimbus.setJwtValidator(JwtValidators.createDefaultWithIssuer(ISSUER));
        this.decoder = nimbus;
    }

    public record AccessToken(String accessToken, String tokenType, long expiresIn) {}

    public AccessToken issue(UserView user) {
        return issue(user, null);
    }

    /** A token for {@code user}; {@code actingAdmin} marks an admin acting as the user (impersonation). */
    public AccessToken issue(UserView user, UUID actingAdmin) {
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
        if (actingAdmin != null) {
            claims.claim("act", Map.of("sub", actingAdmin.toString()));
        }
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).build();
        String token = encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
        return new AccessToken(token, "Bearer", ttl);
    }

    public JwtDecoder decoder() {
        return decoder;
    }
}
