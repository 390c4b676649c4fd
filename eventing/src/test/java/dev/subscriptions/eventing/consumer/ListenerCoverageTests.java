package dev.subscriptions.eventing.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.autoproxy.BeanNameAutoProxyCreator;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.transaction.annotation.Transactional;

import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;
import dev.subscriptions.events.subscription.SubscriptionActivated;
import dev.subscriptions.events.subscription.SubscriptionCanceled;
import dev.subscriptions.events.subscription.SubscriptionCreated;
import dev.subscriptions.events.subscription.SubscriptionEnded;
import dev.subscriptions.events.subscription.SubscriptionPastDue;
import dev.subscriptions.events.subscription.SubscriptionPaused;
import dev.subscriptions.events.subscription.SubscriptionResumed;

/**
 * Listener classes of every shape against the topics they name; no broker: only the
 * classes are read.
 */
class ListenerCoverageTests {

	private static final Function<String, Collection<String>> AS_WRITTEN = List::of;

	@Test
	void acceptsAListenerWithAHandlerForEveryTypeOfItsTopicAndADefault() {
		assertThat(ListenerCoverage.gaps(CustomerListener.class, AS_WRITTEN)).isEmpty();
	}

	@Test
	void acceptsATypeIgnoredByAHandlerThatDoesNothingAndPayloadsMarkedAsSuch() {
		assertThat(ListenerCoverage.gaps(IgnoringListener.class, AS_WRITTEN)).isEmpty();
	}

	@Test
	void namesEveryEventTypeOfEveryTopicWithoutAHandler() {
		assertThat(ListenerCoverage.gaps(ForgetfulListener.class, AS_WRITTEN)).containsExactly(
				ForgetfulListener.class.getName()
						+ " (customer.events): no @KafkaHandler for dev.subscriptions.events.customer.CustomerDeleted",
				ForgetfulListener.class.getName() + " (subscription.events): no @KafkaHandler for "
						+ "dev.subscriptions.events.subscription.SubscriptionUncanceled",
				ForgetfulListener.class.getName() + " (customer.revocations): no @KafkaHandler for "
						+ "dev.subscriptions.events.revocation.CustomerRevocationCompleted");
	}

	@Test
	void requiresADefaultHandler() {
		assertThat(ListenerCoverage.gaps(NoDefaultListener.class, AS_WRITTEN)).containsExactly(
				NoDefaultListener.class.getName() + ": no default handler, @KafkaHandler(isDefault = true)");
	}

	@Test
	void doesNotCountTheDefaultHandlerAsTheHandlerOfAType() {
		assertThat(ListenerCoverage.gaps(DefaultOnlyListener.class, AS_WRITTEN)).hasSize(2);
	}

	@Test
	void checksOnlyTheDefaultHandlerOnATopicThatIsNoTopicOfTheContract() {
		assertThat(ListenerCoverage.gaps(OwnTopicListener.class, AS_WRITTEN)).isEmpty();
		assertThat(ListenerCoverage.gaps(OwnTopicListener.class, topic -> List.of("customer.events"))).hasSize(2);
	}

	@Test
	void namesEveryMethodLevelListenerOfATopicOfTheContract() {
		assertThat(ListenerCoverage.gaps(MethodLevelListener.class, AS_WRITTEN)).containsExactly(
				MethodLevelListener.class.getName() + ".on (customer.events): a method-level @KafkaListener; consume"
						+ " a Topic with a class-level @KafkaListener and a @KafkaHandler per event type, or with a"
						+ " batch listener of a CoveredBatchListener",
				MethodLevelListener.class.getName() + ".onRecord (subscription.events): a method-level"
						+ " @KafkaListener; consume a Topic with a class-level @KafkaListener and a @KafkaHandler"
						+ " per event type, or with a batch listener of a CoveredBatchListener");
	}

	@Test
	void acceptsAMethodLevelListenerOfATopicThatIsNoTopicOfTheContract() {
		assertThat(ListenerCoverage.gaps(OwnTopicMethodListener.class, AS_WRITTEN)).isEmpty();
		assertThat(ListenerCoverage.gaps(OwnTopicMethodListener.class, topic -> List.of("customer.revocations")))
			.hasSize(1);
	}

	@Test
	void failsStartUpOnAMethodLevelListenerOfATopicOfTheContract() {
		new ApplicationContextRunner().withBean(ListenerCoverage.class)
			.withBean(MethodLevelListener.class)
			.withBean(OwnTopicMethodListener.class)
			.withBean(CustomerListener.class)
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining(MethodLevelListener.class.getName() + ".on (customer.events): a method-level")
				.hasMessageContaining(
						MethodLevelListener.class.getName() + ".onRecord (subscription.events): a method-level")
				.message()
				.doesNotContain(OwnTopicMethodListener.class.getName())
				.doesNotContain(CustomerListener.class.getName()));
	}

	@Test
	void failsStartUpNamingEveryMissingPairOfEveryListenerWithTopicsFromPlaceholders() {
		new ApplicationContextRunner().withPropertyValues("test.topic=customer.events")
			.withBean(ListenerCoverage.class)
			.withBean(PlaceholderListener.class)
			.withBean(NoDefaultListener.class)
			.withBean(CustomerListener.class)
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining(PlaceholderListener.class.getName()
						+ " (customer.events): no @KafkaHandler for dev.subscriptions.events.customer.CustomerCreated")
				.hasMessageContaining(PlaceholderListener.class.getName()
						+ " (customer.events): no @KafkaHandler for dev.subscriptions.events.customer.CustomerDeleted")
				.hasMessageContaining(NoDefaultListener.class.getName() + ": no default handler")
				.message()
				.doesNotContain(CustomerListener.class.getName()));
	}

	@Test
	void startsWhenEveryListenerIsCoveredThroughItsProxyToo() {
		new ApplicationContextRunner().withBean(ListenerCoverage.class)
			.withBean(CustomerListener.class)
			.withBean(BeanNameAutoProxyCreator.class, () -> {
				BeanNameAutoProxyCreator proxies = new BeanNameAutoProxyCreator();
				proxies.setBeanNames("*Listener*");
				proxies.setProxyTargetClass(true);
				proxies.setInterceptorNames();
				return proxies;
			})
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertThat(AopUtils.isCglibProxy(context.getBean(CustomerListener.class))).isTrue();
			});
	}

	@Test
	void acceptsABatchListenerWhoseDispatcherHandlesOrIgnoresEveryTypeOfItsTopic() {
		assertThat(ListenerCoverage.gaps(CompleteBatchListener.class, new CompleteBatchListener().dispatcher(),
				AS_WRITTEN))
			.isEmpty();
	}

	@Test
	void namesEveryEventTypeABatchListenersDispatcherNeitherHandlesNorIgnores() {
		assertThat(ListenerCoverage.gaps(ForgetfulBatchListener.class, new ForgetfulBatchListener().dispatcher(),
				AS_WRITTEN))
			.containsExactly(
					ForgetfulBatchListener.class.getName() + ".on (customer.events): its BatchDispatcher"
							+ " neither handles nor ignores dev.subscriptions.events.customer.CustomerDeleted",
					ForgetfulBatchListener.class.getName() + ".on (customer.revocations): its BatchDispatcher"
							+ " neither handles nor ignores"
							+ " dev.subscriptions.events.revocation.CustomerRevocationCompleted");
	}

	@Test
	void refusesAMethodLevelListenerOfACoveredBatchListenerThatTakesRecordsOneByOne() {
		assertThat(ListenerCoverage.gaps(RecordByRecordListener.class, new RecordByRecordListener().dispatcher(),
				AS_WRITTEN))
			.singleElement()
			.asString()
			.startsWith(RecordByRecordListener.class.getName() + ".on (customer.events): a method-level");
	}

	@Test
	void startsWithACompleteBatchListenerAndFailsStartUpOnOneThatMissesATypeOfItsTopic() {
		new ApplicationContextRunner().withBean(ListenerCoverage.class)
			.withBean(CompleteBatchListener.class)
			.run(context -> assertThat(context).hasNotFailed());
		new ApplicationContextRunner().withBean(ListenerCoverage.class)
			.withBean(CompleteBatchListener.class)
			.withBean(ForgetfulBatchListener.class)
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("CoveredBatchListener")
				.hasMessageContaining(ForgetfulBatchListener.class.getName()
						+ ".on (customer.events): its BatchDispatcher neither handles nor ignores"
						+ " dev.subscriptions.events.customer.CustomerDeleted")
				.message()
				.doesNotContain(CompleteBatchListener.class.getName()));
	}

	@KafkaListener(topics = "customer.events", groupId = "test")
	static class CustomerListener {

		@KafkaHandler
		@Transactional
		public void on(CustomerCreated created) {
		}

		@KafkaHandler
		public void on(CustomerDeleted deleted, @Header(KafkaHeaders.RECEIVED_TOPIC) String topic) {
		}

		@KafkaHandler(isDefault = true)
		public void unhandled(Object value, @Header(KafkaHeaders.RECEIVED_TOPIC) String topic) {
		}

	}

	@KafkaListener(topics = "customer.events", groupId = "test")
	static class IgnoringListener {

		@KafkaHandler
		public void on(@Header(KafkaHeaders.RECEIVED_KEY) String key, @Payload CustomerDeleted deleted) {
		}

		/** This test keeps no list of customers. */
		@KafkaHandler
		public void on(CustomerCreated created) {
		}

		@KafkaHandler(isDefault = true)
		public void unhandled(Object value) {
		}

	}

	@KafkaListener(topics = { "customer.events", "subscription.events", "customer.revocations" }, groupId = "test")
	static class ForgetfulListener {

		@KafkaHandler
		public void on(CustomerCreated created) {
		}

		@KafkaHandler
		public void on(SubscriptionCreated created) {
		}

		@KafkaHandler
		public void on(SubscriptionCanceled canceled) {
		}

		@KafkaHandler
		public void on(SubscriptionPastDue pastDue) {
		}

		@KafkaHandler
		public void on(SubscriptionActivated activated) {
		}

		@KafkaHandler
		public void on(SubscriptionPaused paused) {
		}

		@KafkaHandler
		public void on(SubscriptionResumed resumed) {
		}

		@KafkaHandler
		public void on(SubscriptionEnded ended) {
		}

		@KafkaHandler(isDefault = true)
		public void unhandled(Object value) {
		}

	}

	@KafkaListener(topics = "customer.revocations", groupId = "test")
	static class NoDefaultListener {

		@KafkaHandler
		public void on(CustomerRevocationCompleted completed) {
		}

	}

	@KafkaListener(topics = "customer.events", groupId = "test")
	static class DefaultOnlyListener {

		@KafkaHandler(isDefault = true)
		public void unhandled(Object value) {
		}

	}

	@KafkaListener(topics = "${test.topic}", groupId = "test")
	static class PlaceholderListener {

		@KafkaHandler(isDefault = true)
		public void unhandled(Object value) {
		}

	}

	@KafkaListener(topics = "a-test-topic", groupId = "test")
	static class OwnTopicListener {

		@KafkaHandler(isDefault = true)
		public void unhandled(Object value) {
		}

	}

	static class MethodLevelListener {

		@KafkaListener(topics = "customer.events", groupId = "test")
		public void on(CustomerCreated created) {
		}

		@KafkaListener(topics = { "a-test-topic", "subscription.events" }, groupId = "test")
		public void onRecord(ConsumerRecord<String, Object> record) {
		}

	}

	static class OwnTopicMethodListener {

		@KafkaListener(topics = "a-test-topic", groupId = "test")
		public void on(ConsumerRecord<String, Object> record) {
		}

	}

	static class CompleteBatchListener implements CoveredBatchListener {

		private final BatchDispatcher dispatcher = BatchDispatcher.forConsumer("test")
			.on(CustomerDeleted.class, deleted -> UUID.fromString(deleted.getEventId()), deliveries -> {
			})
			// This test keeps no list of customers.
			.ignore(CustomerCreated.class)
			.build();

		@KafkaListener(topics = "customer.events", groupId = "test", batch = "true")
		public void on(List<ConsumerRecord<String, Object>> records) {
		}

		@Override
		public BatchDispatcher dispatcher() {
			return this.dispatcher;
		}

	}

	static class ForgetfulBatchListener implements CoveredBatchListener {

		private final BatchDispatcher dispatcher = BatchDispatcher.forConsumer("test")
			.on(CustomerCreated.class, created -> UUID.fromString(created.getEventId()), deliveries -> {
			})
			.build();

		@KafkaListener(topics = { "customer.events", "customer.revocations" }, groupId = "test",
				containerFactory = EventingBatchListeners.FACTORY)
		public void on(List<ConsumerRecord<String, Object>> records) {
		}

		@Override
		public BatchDispatcher dispatcher() {
			return this.dispatcher;
		}

	}

	static class RecordByRecordListener implements CoveredBatchListener {

		@KafkaListener(topics = "customer.events", groupId = "test")
		public void on(ConsumerRecord<String, Object> record) {
		}

		@Override
		public BatchDispatcher dispatcher() {
			return new CompleteBatchListener().dispatcher();
		}

	}

}
