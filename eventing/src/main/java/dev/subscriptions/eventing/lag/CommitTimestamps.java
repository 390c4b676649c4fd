package dev.subscriptions.eventing.lag;

import java.time.Clock;
import java.util.OptionalLong;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.kafka.config.AbstractKafkaListenerContainerFactory;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.ListenerMetadata;
import org.springframework.kafka.listener.OffsetAndMetadataProvider;

/**
 * Makes the listener containers commit each offset with the time of the commit in its
 * metadata ({@value #PREFIX}{@code <epoch millis>}), which the Admin client reads back
 * with the offset: Kafka keeps no commit time of its own that clients can read.
 * <p>
 * A bean post-processor, so that it reaches the container properties of every container
 * factory (Spring copies them into each container it makes) and of containers declared as
 * beans, whatever else a service customises. A factory or container that already has an
 * {@link OffsetAndMetadataProvider} keeps it.
 */
public class CommitTimestamps implements OffsetAndMetadataProvider, BeanPostProcessor {

	/** What the metadata of a commit made here starts with, before the time. */
	public static final String PREFIX = "committed-at=";

	private final Clock clock;

	public CommitTimestamps(Clock clock) {
		this.clock = clock;
	}

	@Override
	public OffsetAndMetadata provide(ListenerMetadata listenerMetadata, long offset) {
		return new OffsetAndMetadata(offset, PREFIX + this.clock.millis());
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof AbstractKafkaListenerContainerFactory<?, ?, ?> factory) {
			provideFor(factory.getContainerProperties());
		}
		else if (bean instanceof AbstractMessageListenerContainer<?, ?> container) {
			provideFor(container.getContainerProperties());
		}
		return bean;
	}

	/**
	 * The time of a commit in milliseconds since the epoch, if its metadata says it.
	 */
	public static OptionalLong of(@Nullable OffsetAndMetadata commit) {
		String metadata = (commit != null) ? commit.metadata() : null;
		if (metadata == null || !metadata.startsWith(PREFIX)) {
			return OptionalLong.empty();
		}
		try {
			return OptionalLong.of(Long.parseLong(metadata.substring(PREFIX.length())));
		}
		catch (NumberFormatException ex) {
			return OptionalLong.empty();
		}
	}

	private void provideFor(ContainerProperties properties) {
		if (properties.getOffsetAndMetadataProvider() == null) {
			properties.setOffsetAndMetadataProvider(this);
		}
	}

}
