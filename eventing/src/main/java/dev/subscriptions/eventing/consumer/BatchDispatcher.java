package dev.subscriptions.eventing.consumer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
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

	/**
	 * How events of one type are handled: the event its handler gets (the record's value,
	 * or what a shared handler makes of it), its event id, and the handler. Types that
	 * share a handler ({@link Builder#onAny}) share its {@link Target}.
	 */
	record Route<T>(Class<?> type, Function<Object, T> event, Function<Object, UUID> eventId, Target<T> target) {

	}

	/**
	 * A handler and whether the inbox deduplicates its deliveries first; the deliveries
	 * of a wave of every type routed to it reach it in one call.
	 */
	static final class Target<T> {

		private final SetHandler<T> handler;

		private final boolean inbox;

		Target(SetHandler<T> handler, boolean inbox) {
			this.handler = handler;
			this.inbox = inbox;
		}

		SetHandler<T> handler() {
			return this.handler;
		}

		boolean inbox() {
			return this.inbox;
		}

	}

	/**
	 * The types that share one handler, each with its event id and what the handler gets
	 * of it.
	 *
	 * @param <C> what the handler gets of each type
	 */
	public static final class SharedTypes<C> {

		private final List<Binding<?, C>> bindings = new ArrayList<>();

		private SharedTypes() {
		}

		/**
		 * Routes events of {@code type} to the shared handler, as {@code event} makes
		 * them.
		 */
		public <T> SharedTypes<C> type(Class<T> type, Function<? super T, UUID> eventId,
				Function<? super T, ? extends C> event) {
			this.bindings.add(new Binding<>(type, eventId, event));
			return this;
		}

	}

	private record Binding<T, C>(Class<T> type, Function<? super T, UUID> eventId,
			Function<? super T, ? extends C> event) {

		Route<C> route(Target<C> target) {
			return new Route<>(this.type, (value) -> this.event.apply(this.type.cast(value)),
					(value) -> this.eventId.apply(this.type.cast(value)), target);
		}

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
			return add(route(type, eventId, new Target<>(handler, true)));
		}

		/**
		 * Handles events of several types with one handler: each wave's deliveries of all
		 * of them that are new to the inbox reach {@code handler} in one call, in poll
		 * order, as the events {@code types} make of them. For a handler that must see a
		 * wave whole (one that locks what the wave touches, say).
		 */
		public <C> Builder onAny(SetHandler<C> handler, Consumer<SharedTypes<C>> types) {
			return addShared(new Target<>(handler, true), types);
		}

		/**
		 * {@link #onAny} without the inbox step: the handler deduplicates the deliveries
		 * itself.
		 */
		public <C> Builder onAnyDeduplicatedByHandler(SetHandler<C> handler, Consumer<SharedTypes<C>> types) {
			return addShared(new Target<>(handler, false), types);
		}

		/**
		 * Handles events of {@code type} without the inbox step: the handler deduplicates
		 * them itself (for one that folds the inbox insert into its own statement).
		 */
		public <T> Builder onDeduplicatedByHandler(Class<T> type, Function<? super T, UUID> eventId,
				SetHandler<T> handler) {
			return add(route(type, eventId, new Target<>(handler, false)));
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

		private <C> Builder addShared(Target<C> target, Consumer<SharedTypes<C>> types) {
			SharedTypes<C> shared = new SharedTypes<>();
			types.accept(shared);
			Assert.notEmpty(shared.bindings, "A shared handler needs at least one type");
			for (Binding<?, C> binding : shared.bindings) {
				add(binding.route(target));
			}
			return this;
		}

		private static <T> Route<T> route(Class<T> type, Function<? super T, UUID> eventId, Target<T> target) {
			return new Route<>(type, type::cast, (value) -> eventId.apply(type.cast(value)), target);
		}

		private Builder add(Route<?> route) {
			Assert.isTrue(!this.ignored.contains(route.type()), () -> route.type().getName() + " is ignored already");
			Assert.isTrue(this.routes.putIfAbsent(route.type(), route) == null,
					() -> route.type().getName() + " has a handler already");
			return this;
		}

	}

}
