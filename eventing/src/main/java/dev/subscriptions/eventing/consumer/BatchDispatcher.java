package dev.subscriptions.eventing.consumer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.util.Assert;

/**
 * What a batch listener does with each event type of its topics: a {@link SetHandler} per
 * handled type, and the types it ignores on purpose. {@link BatchHandling} deduplicates
 * handled events through the inbox under {@link #consumer()} before calling the handler.
 */
public final class BatchDispatcher {

	private final String consumer;

	private final Map<Class<?>, Route<?>> routes;

	private final Set<Class<?>> ignored;

	private BatchDispatcher(String consumer, Map<Class<?>, Route<?>> routes, Set<Class<?>> ignored) {
		this.consumer = consumer;
		this.routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
		this.ignored = Collections.unmodifiableSet(new LinkedHashSet<>(ignored));
	}

	/** A dispatcher whose inbox entries are recorded under {@code consumer}. */
	public static Builder forConsumer(String consumer) {
		return new Builder(consumer);
	}

	/**
	 * The inbox's name of the consumer (also the group of its unhandled-record counts).
	 */
	public String consumer() {
		return this.consumer;
	}

	/** The event types with a handler. */
	public Set<Class<?>> handledTypes() {
		return this.routes.keySet();
	}

	/** The event types ignored on purpose. */
	public Set<Class<?>> ignoredTypes() {
		return this.ignored;
	}

	/** The route of {@code type}, or {@code null} when it is ignored or unknown. */
	Route<?> route(Class<?> type) {
		return this.routes.get(type);
	}

	/** How events of one type are handled. */
	record Route<T>(Class<T> type, Function<? super T, UUID> eventId, SetHandler<T> handler, boolean inbox) {

	}

	public static final class Builder {

		private final String consumer;

		private final Map<Class<?>, Route<?>> routes = new LinkedHashMap<>();

		private final Set<Class<?>> ignored = new LinkedHashSet<>();

		private Builder(String consumer) {
			this.consumer = consumer;
		}

		/**
		 * Handles events of {@code type}: each batch's deliveries of it that are new to
		 * the inbox go to {@code handler}.
		 */
		public <T> Builder on(Class<T> type, Function<? super T, UUID> eventId, SetHandler<T> handler) {
			return add(new Route<>(type, eventId, handler, true));
		}

		/**
		 * Handles events of {@code type} without the inbox step: the handler deduplicates
		 * them itself (for one that folds the inbox insert into its own statement).
		 */
		public <T> Builder onDeduplicatedByHandler(Class<T> type, Function<? super T, UUID> eventId,
				SetHandler<T> handler) {
			return add(new Route<>(type, eventId, handler, false));
		}

		/** Ignores events of {@code type} on purpose (say why where it is called). */
		public Builder ignore(Class<?> type) {
			Assert.isTrue(!this.routes.containsKey(type), () -> type.getName() + " is handled already");
			this.ignored.add(type);
			return this;
		}

		public BatchDispatcher build() {
			return new BatchDispatcher(this.consumer, this.routes, this.ignored);
		}

		private Builder add(Route<?> route) {
			Assert.isTrue(!this.ignored.contains(route.type()), () -> route.type().getName() + " is ignored already");
			Assert.isTrue(this.routes.putIfAbsent(route.type(), route) == null,
					() -> route.type().getName() + " has a handler already");
			return this;
		}

	}

}
