package dev.subscriptions.web.test;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Points the issuer of a test annotated with {@link WithTestIdentityProvider} at the
 * {@link TestIdentityProvider}, as the first property source.
 */
class TestIdentityProviderContextCustomizerFactory implements ContextCustomizerFactory {

	static final String ISSUER_URI = "spring.security.oauth2.resourceserver.jwt.issuer-uri";

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configurationAttributes) {
		if (!TestContextAnnotationUtils.hasAnnotation(testClass, WithTestIdentityProvider.class)) {
			return null;
		}
		return new IssuerCustomizer();
	}

	/** Equal to every other, so that the annotation does not split the context cache. */
	static final class IssuerCustomizer implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration configuration) {
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("testIdentityProvider",
						Map.of(ISSUER_URI, TestIdentityProvider.issuer())));
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return other instanceof IssuerCustomizer;
		}

		@Override
		public int hashCode() {
			return IssuerCustomizer.class.hashCode();
		}

	}

}
