package org.c18n.web;

import java.util.UUID;
import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Lets controllers take a {@link CurrentUser} parameter. */
public class CurrentUserResolver implements HandlerMethodArgumentResolver {

    /** The caller when a valid access token came with the request. */
    public static java.util.Optional<CurrentUser> current() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (!(auth instanceof JwtAuthenticationToken token)) {
            return java.util.Optional.empty();
        }
        var jwt = token.getToken();
        return java.util.Optional.of(new CurrentUser(UUID.fromString(jwt.getSubject()), jwt.getClaimAsString("username"),
                "admin".equals(jwt.getClaimAsString("role"))));
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == CurrentUser.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer container, NativeWebRequest request,
                                  WebDataBinderFactory binderFactory) {
        return current().orElseThrow(() -> new ApiException(org.springframework.http.HttpStatus.UNAUTHORIZED,
                "unauthenticated", "A valid access token is required"));
    }
}
