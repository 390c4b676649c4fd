package dev.subscriptions.eventing.consumer;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.clients.consumer.Consumer;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanExpressionResolver;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.TopicPartition;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.util.ClassUtils;

import dev.subscriptions.schemas.Topic;

/**
 * Fails start-up unless every bean with a class-level {@code @KafkaListener} has a
 * {@code @KafkaHandler} whose payload parameter is the event class of each schema of each
 * {@link Topic} it listens to, and a default handler
 * ({@code @KafkaHandler(isDefault = true)}) for anything else. A type a listener does not
 * care about is ignored explicitly, by a handler that does nothing (with a Javadoc line
 * saying why); a forgotten one would otherwise fall through to the default handler
 * unnoticed. Topics that are no {@code Topic} (named by pattern, or a test's own) are not
 * checked, apart from the default handler.
 * <p>
 * A method-level {@code @KafkaListener} of a {@code Topic} takes every record of the
 * topic, so nothing in its signature names the types it handles. It is accepted only as a
 * batch listener ({@code batch = "true"} or the factory
 * {@link EventingBatchListeners#FACTORY}) on a bean that implements
 * {@link CoveredBatchListener}: the types its {@link BatchDispatcher} handles or ignores
 * must then cover every schema of each topic, as {@code @KafkaHandler} methods must. Any
 * other method-level listener of a {@code Topic} fails start-up. Method-level listeners
 * of other topics are not checked.
 */
public class ListenerCoverage implements SmartInitializingSingleton, BeanFactoryAware {

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = (beanFactory instanceof ConfigurableListableBeanFactory listable) ? listable : null;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.beanFactory == null) {
			return;
		}
		Map<Class<?>, @Nullable BatchDispatcher> listeners = new LinkedHashMap<>();
		for (String name : this.beanFactory.getBeanNamesForType(Object.class, false, false)) {
			Class<?> type = this.beanFactory.getType(name, false);
			if (type != null) {
				Class<?> target = targetClass(name, type);
				BatchDispatcher dispatcher = CoveredBatchListener.class.isAssignableFrom(target)
						? ((CoveredBatchListener) this.beanFactory.getBean(name)).dispatcher() : null;
				if (!listeners.containsKey(target) || dispatcher != null) {
					listeners.put(target, dispatcher);
				}
			}
		}
		List<String> gaps = new ArrayList<>();
		listeners.forEach((listener, dispatcher) -> gaps.addAll(gaps(listener, dispatcher, this::resolveTopics)));
		if (!gaps.isEmpty()) {
			throw new IllegalStateException(message(gaps));
		}
	}

	/**
	 * What a class misses, one line each: a method-level {@code @KafkaListener} of a
	 * {@link Topic}; with a class-level {@code @KafkaListener}, a handler of each event
	 * type of its topics and a default handler.
	 * @param topics the topic names an entry of {@code topics} (or a
	 * {@code @TopicPartition}'s topic) resolves to
	 */
	public static List<String> gaps(Class<?> listener, Function<String, Collection<String>> topics) {
		return gaps(listener, null, topics);
	}

	/**
	 * What a class misses, as {@link #gaps(Class, Function)}, with its method-level batch
	 * listeners of a {@link Topic} checked against {@code dispatcher}, the
	 * {@link CoveredBatchListener#dispatcher()} of its bean ({@code null} if it has
	 * none).
	 */
	public static List<String> gaps(Class<?> listener, @Nullable BatchDispatcher dispatcher,
			Function<String, Collection<String>> topics) {
		List<String> gaps = new ArrayList<>(methodLevelGaps(listener, dispatcher, topics));
		Set<KafkaListener> annotations = AnnotatedElementUtils.findMergedRepeatableAnnotations(listener,
				KafkaListener.class);
		if (annotations.isEmpty()) {
			return gaps;
		}
		Map<Method, KafkaHandler> handlers = MethodIntrospector.selectMethods(listener,
				(MethodIntrospector.MetadataLookup<KafkaHandler>) method -> AnnotatedElementUtils
					.findMergedAnnotation(method, KafkaHandler.class));
		Set<Class<?>> handled = new LinkedHashSet<>();
		boolean hasDefault = false;
		for (Map.Entry<Method, KafkaHandler> handler : handlers.entrySet()) {
			hasDefault |= handler.getValue().isDefault();
			if (!handler.getValue().isDefault()) {
				Class<?> payload = payloadType(handler.getKey());
				if (payload != null) {
					handled.add(payload);
				}
			}
		}
		String name = listener.getName();
		for (String topicName : topicNames(annotations, topics)) {
			Optional<Topic> topic = Topic.named(topicName);
			if (topic.isEmpty()) {
				continue;
			}
			for (Schema schema : topic.get().eventSchemas()) {
				Class<?> event = eventClass(schema, listener.getClassLoader());
				if (event == null || !handled.contains(event)) {
					gaps.add(name + " (" + topicName + "): no @KafkaHandler for " + schema.getFullName());
				}
			}
		}
		if (!hasDefault) {
			gaps.add(name + ": no default handler, @KafkaHandler(isDefault = true)");
		}
		return gaps;
	}

	/**
	 * One line per method-level {@code @KafkaListener} that listens to a {@link Topic},
	 * unless it is a batch listener of a {@link CoveredBatchListener}: a method takes
	 * every record of its topics, so nothing else would tell a type it forgot. For a
	 * covered batch listener, one line per event type of its topics its dispatcher
	 * neither handles nor ignores.
	 */
	private static List<String> methodLevelGaps(Class<?> listener, @Nullable BatchDispatcher dispatcher,
			Function<String, Collection<String>> topics) {
		Map<Method, Set<KafkaListener>> methods = MethodIntrospector.selectMethods(listener,
				(MethodIntrospector.MetadataLookup<Set<KafkaListener>>) method -> {
					Set<KafkaListener> annotations = AnnotatedElementUtils.findMergedRepeatableAnnotations(method,
							KafkaListener.class);
					return annotations.isEmpty() ? null : annotations;
				});
		List<String> gaps = new ArrayList<>();
		for (Map.Entry<Method, Set<KafkaListener>> method : methods.entrySet()) {
			String name = listener.getName() + "." + method.getKey().getName();
			boolean covered = dispatcher != null && method.getValue().stream().allMatch(ListenerCoverage::isBatch);
			for (String topicName : topicNames(method.getValue(), topics)) {
				Optional<Topic> topic = Topic.named(topicName);
				if (topic.isEmpty()) {
					continue;
				}
				if (!covered) {
					gaps.add(name + " (" + topicName + "): a method-level @KafkaListener; consume a Topic with a"
							+ " class-level @KafkaListener and a @KafkaHandler per event type, or with a batch"
							+ " listener of a CoveredBatchListener");
					continue;
				}
				Set<Class<?>> known = new LinkedHashSet<>(dispatcher.handledTypes());
				known.addAll(dispatcher.ignoredTypes());
				for (Schema schema : topic.get().eventSchemas()) {
					Class<?> event = eventClass(schema, listener.getClassLoader());
					if (event == null || !known.contains(event)) {
						gaps.add(name + " (" + topicName + "): its BatchDispatcher neither handles nor ignores "
								+ schema.getFullName());
					}
				}
			}
		}
		gaps.sort(null);
		return gaps;
	}

	static String message(List<String> gaps) {
		return "Kafka listeners do not handle every event type of their topics. Consume each Topic with a class-level"
				+ " @KafkaListener, add a @KafkaHandler for each type (one that does nothing, with a Javadoc line"
				+ " saying why, to ignore a type) and a default handler that hands the rest to UnhandledRecords;"
				+ " or with a method-level batch listener on a CoveredBatchListener whose BatchDispatcher handles"
				+ " (on) or ignores (ignore, with a comment saying why) each type:\n\t" + String.join("\n\t", gaps);
	}

	/**
	 * Whether a listener takes batches: {@code batch = "true"}, or the batch listeners'
	 * factory.
	 */
	private static boolean isBatch(KafkaListener annotation) {
		return "true".equalsIgnoreCase(annotation.batch().trim())
				|| EventingBatchListeners.FACTORY.equals(annotation.containerFactory());
	}

	private static Set<String> topicNames(Collection<KafkaListener> annotations,
			Function<String, Collection<String>> topics) {
		Set<String> names = new LinkedHashSet<>();
		for (KafkaListener annotation : annotations) {
			for (String topic : annotation.topics()) {
				names.addAll(topics.apply(topic));
			}
			for (TopicPartition partitions : annotation.topicPartitions()) {
				names.addAll(topics.apply(partitions.topic()));
			}
		}
		return names;
	}

	private static @Nullable Class<?> eventClass(Schema schema, @Nullable ClassLoader classLoader) {
		return new SpecificData(classLoader).getClass(schema);
	}

	/**
	 * The parameter Spring Kafka converts the record's value into: the one marked
	 * {@code @Payload}, else the first that is neither a header nor one of the listener's
	 * helpers.
	 */
	static @Nullable Class<?> payloadType(Method method) {
		Parameter[] parameters = method.getParameters();
		for (Parameter parameter : parameters) {
			if (parameter.isAnnotationPresent(Payload.class)) {
				return parameter.getType();
			}
		}
		for (Parameter parameter : parameters) {
			Class<?> type = parameter.getType();
			if (!parameter.isAnnotationPresent(Header.class) && !parameter.isAnnotationPresent(Headers.class)
					&& !Acknowledgment.class.isAssignableFrom(type) && !Consumer.class.isAssignableFrom(type)) {
				return type;
			}
		}
		return null;
	}

	private Class<?> targetClass(String beanName, Class<?> type) {
		if (Proxy.isProxyClass(type) && this.beanFactory != null) {
			return AopProxyUtils.ultimateTargetClass(this.beanFactory.getBean(beanName));
		}
		return ClassUtils.getUserClass(type);
	}

	/**
	 * Placeholders and SpEL, as Spring Kafka resolves them: to one name, or an array or
	 * collection of names.
	 */
	private Collection<String> resolveTopics(String value) {
		if (this.beanFactory == null) {
			return List.of(value);
		}
		String resolved = this.beanFactory.resolveEmbeddedValue(value);
		Object evaluated = resolved;
		BeanExpressionResolver expressions = this.beanFactory.getBeanExpressionResolver();
		if (resolved != null && expressions != null) {
			evaluated = expressions.evaluate(resolved, new BeanExpressionContext(this.beanFactory, null));
		}
		List<String> names = new ArrayList<>();
		if (evaluated instanceof String[] array) {
			names.addAll(Arrays.asList(array));
		}
		else if (evaluated instanceof Iterable<?> iterable) {
			iterable.forEach(name -> names.add(String.valueOf(name)));
		}
		else if (evaluated != null) {
			names.add(evaluated.toString());
		}
		return names.stream().map(String::trim).toList();
	}

}
