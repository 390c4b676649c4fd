package dev.subscriptions.eventing.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * A service's settings as its {@code application.yml} binds them from a given environment
 * (and nothing of the machine's), for the tests of its settings record.
 */
public final class ApplicationYml {

	private ApplicationYml() {
	}

	/**
	 * Binds {@code prefix} to {@code type} from {@code application.yml} with these
	 * variables.
	 */
	public static <T> T bind(String prefix, Class<T> type, Map<String, Object> environment) {
		StandardEnvironment env = new StandardEnvironment();
		MutablePropertySources sources = env.getPropertySources();
		sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		sources.addFirst(new MapPropertySource("environment", environment));
		try {
			for (PropertySource<?> yaml : new YamlPropertySourceLoader().load("application.yml",
					new ClassPathResource("application.yml"))) {
				sources.addLast(yaml);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return Binder.get(env).bindOrCreate(prefix, type);
	}

}
