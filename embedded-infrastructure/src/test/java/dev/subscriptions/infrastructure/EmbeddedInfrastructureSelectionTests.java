package dev.subscriptions.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Which infrastructure {@link EmbeddedInfrastructure} declares. The containers cannot
 * start here (no Docker engine): the context is refreshed with every bean lazy, so only
 * the bean definitions are compared.
 */
class EmbeddedInfrastructureSelectionTests {

	@Test
	void declaresTheEmbeddedInfrastructureByDefault() {
		try (AnnotationConfigApplicationContext context = definitions(Map.of())) {
			assertThat(context.getBeanDefinitionNames()).contains("embeddedInfrastructureProperties")
				.doesNotContain("kafkaContainer", "postgresqlContainer", "schemaRegistryContainer",
						"containerInfrastructureProperties");
		}
	}

	@Test
	void declaresContainersInsteadWhenThePropertySaysContainers() {
		try (AnnotationConfigApplicationContext context = definitions(
				Map.of(EmbeddedInfrastructure.PROPERTY, EmbeddedInfrastructure.CONTAINERS))) {
			assertThat(context.getBeanDefinitionNames())
				.contains("kafkaContainer", "postgresqlContainer", "schemaRegistryContainer",
						"containerInfrastructureProperties")
				.doesNotContain("embeddedInfrastructureProperties");
		}
	}

	@Test
	void namesTheContainerConfigurationThatExists() {
		assertThat(EmbeddedInfrastructure.CONTAINER_CONFIGURATION).isEqualTo(ContainerInfrastructure.class.getName());
	}

	@Test
	void refusesAnInfrastructureItDoesNotKnow() {
		assertThatIllegalStateException().isThrownBy(() -> EmbeddedInfrastructure.Selection.selected("docker"))
			.withMessageContaining("infrastructure=docker");
	}

	private static AnnotationConfigApplicationContext definitions(Map<String, Object> properties) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", properties));
		context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor());
		context.register(EmbeddedInfrastructure.class);
		context.refresh();
		return context;
	}

}
