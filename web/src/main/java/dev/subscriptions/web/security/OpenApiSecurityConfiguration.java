package dev.subscriptions.web.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;

/**
 * The OpenAPI document of a service declares the {@value #SCHEME} scheme (a JWT bearer
 * token) and, for each operation, the scope its {@link ApiScopes} row needs, or no
 * security for an open one. The {@link Organization} parameter of controllers is not a
 * request parameter, so it is left out.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(OpenApiCustomizer.class)
public class OpenApiSecurityConfiguration {

	/** The name of the security scheme. */
	public static final String SCHEME = "bearer";

	static {
		SpringDocUtils.getConfig().addRequestWrapperToIgnore(Organization.class);
	}

	@Bean
	OpenApiCustomizer apiScopesDocumentation(ObjectProvider<ApiScopes> scopes) {
		return (openApi) -> {
			ApiScopes table = scopes.getIfAvailable(() -> ApiScopes.builder().build());
			Components components = (openApi.getComponents() != null) ? openApi.getComponents() : new Components();
			components.addSecuritySchemes(SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP)
				.scheme("bearer")
				.bearerFormat("JWT")
				.description(
						"An access token of the identity provider; its org_id claim is the caller's organization"));
			openApi.setComponents(components);
			if (openApi.getPaths() == null) {
				return;
			}
			openApi.getPaths()
				.forEach((path,
						item) -> operations(item).forEach((method, operation) -> table.ruleFor(method, path)
							.ifPresent((rule) -> operation.setSecurity(rule.isOpen() ? List.of()
									: List.of(new SecurityRequirement().addList(SCHEME, List.of(rule.scope())))))));
			table.rules()
				.stream()
				.filter((rule) -> rule.parameter() != null)
				.forEach((rule) -> describeCondition(openApi.getPaths().get(rule.path()), rule));
		};
	}

	private static void describeCondition(PathItem item, ApiScopes.Rule rule) {
		if (item == null) {
			return;
		}
		Operation operation = operations(item).get(rule.method());
		if (operation != null) {
			String note = "With " + rule.parameter() + "=" + rule.value() + " it requires scope " + rule.scope() + ".";
			operation
				.setDescription((operation.getDescription() != null) ? operation.getDescription() + " " + note : note);
			operation.addExtension("x-scope-when-" + rule.parameter() + "-" + rule.value(), rule.scope());
		}
	}

	private static Map<HttpMethod, Operation> operations(PathItem item) {
		Map<HttpMethod, Operation> operations = new LinkedHashMap<>();
		item.readOperationsMap()
			.forEach((method, operation) -> operations.put(HttpMethod.valueOf(method.name()), operation));
		return operations;
	}

}
