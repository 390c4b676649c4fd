package dev.subscriptions.infrastructure;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * The one place that declares the infrastructure of an integration test: by default
 * ({@link ProcessInfrastructure}) a new PostgreSQL database (and login) for each test
 * context, the shared Kafka broker and the shared schema registry. Tests {@code @Import}
 * it; the service's own configuration (connection pool, Flyway, Kafka clients) then runs
 * against them unchanged.
 * <p>
 * Where a Docker engine answers, {@code infrastructure=containers} (a system property, as
 * the Maven profile {@code containers} sets it) declares containers instead, with the
 * images of {@code docker-compose.yml}: see {@code ContainerInfrastructure}. Its class is
 * named, not referenced, so that without the property no Testcontainers class is loaded
 * (nor needed on the class path).
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(EmbeddedInfrastructure.Selection.class)
public class EmbeddedInfrastructure {

	/** The property that chooses the infrastructure. */
	public static final String PROPERTY = "infrastructure";

	/** The value of {@link #PROPERTY} that chooses containers. */
	public static final String CONTAINERS = "containers";

	static final String CONTAINER_CONFIGURATION = "dev.subscriptions.infrastructure.ContainerInfrastructure";

	/**
	 * Imports the embedded infrastructure, or the containers when {@link #PROPERTY} says
	 * {@value #CONTAINERS}.
	 */
	static final class Selection implements ImportSelector, EnvironmentAware {

		private @Nullable Environment environment;

		@Override
		public void setEnvironment(Environment environment) {
			this.environment = environment;
		}

		@Override
		public String[] selectImports(AnnotationMetadata importingClassMetadata) {
			return new String[] { selected(Objects.requireNonNull(this.environment).getProperty(PROPERTY)) };
		}

		static String selected(@Nullable String infrastructure) {
			if (infrastructure == null || infrastructure.isBlank() || infrastructure.equals("embedded")) {
				return ProcessInfrastructure.class.getName();
			}
			if (infrastructure.equals(CONTAINERS)) {
				return CONTAINER_CONFIGURATION;
			}
			throw new IllegalStateException(
					PROPERTY + "=" + infrastructure + " is neither embedded (the default) nor " + CONTAINERS);
		}

	}

}
