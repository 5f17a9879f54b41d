package org.c18n.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;

/**
 * What /api/docs.json says beyond the controllers themselves: the caller ({@link CurrentUser}) comes
 * from the bearer token, not from a parameter, on every operation the security rules close to
 * anonymous callers; operation ids name the controller and its method; every operation may answer
 * a problem+json error.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
public class ApiDocs {
    static final String BEARER = "bearer";

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(CurrentUser.class);
    }

    @Bean
    OpenAPI c18nOpenApi() {
        String version = ApiDocs.class.getPackage().getImplementationVersion();
        return new OpenAPI()
                .info(new Info().title("c18n API").version(version != null ? version : "v1")
                        .description("Community and chat platform. Errors answer application/problem+json (RFC 9457)."))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .bearerFormat("JWT").description("The access token from POST /api/v1/auth/login"))
                        .addSchemas("Problem", new Schema<>().type("object").properties(Map.of(
                                "type", new Schema<>().type("string"),
                                "title", new Schema<>().type("string"),
                                "status", new Schema<>().type("integer"),
                                "detail", new Schema<>().type("string"),
                                "errors", new Schema<>().type("array")))));
    }

    @Bean
    GlobalOperationCustomizer c18nOperations() {
        return (operation, handler) -> {
            String controller = handler.getBeanType().getSimpleName().replaceFirst("Controller$", "");
            String method = handler.getMethod().getName();
            operation.setOperationId(Character.toLowerCase(controller.charAt(0)) + controller.substring(1)
                    + Character.toUpperCase(method.charAt(0)) + method.substring(1));
            addProblem(operation, "400", "Invalid input");
            addProblem(operation, "404", "Not found");
            addProblem(operation, "429", "Too many requests");
            return operation;
        };
    }

    /** Which operations need the token, asked of the security rules themselves (no second list to keep equal). */
    @Bean
    GlobalOpenApiCustomizer c18nSecurity(ObjectProvider<WebInvocationPrivilegeEvaluator> rules) {
        var anonymous = new AnonymousAuthenticationToken("docs", "anonymous", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
        return openApi -> {
            WebInvocationPrivilegeEvaluator evaluator = rules.getIfAvailable();
            if (openApi.getPaths() == null || evaluator == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                String uri = path.replaceAll("\\{[^}]+}", "00000000-0000-0000-0000-000000000000");
                if (!evaluator.isAllowed("", uri, method.name(), anonymous)) {
                    operation.setSecurity(List.of(new SecurityRequirement().addList(BEARER)));
                    addProblem(operation, "401", "No valid access token");
                    addProblem(operation, "403", "Not allowed for this caller");
                }
            }));
        };
    }

    private static void addProblem(Operation operation, String status, String description) {
        if (operation.getResponses() == null || operation.getResponses().containsKey(status)) {
            return;
        }
        operation.getResponses().addApiResponse(status, new ApiResponse().description(description)
                .content(new Content().addMediaType("application/problem+json",
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")))));
    }
}
