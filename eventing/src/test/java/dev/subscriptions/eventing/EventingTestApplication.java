package dev.subscriptions.eventing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.subscriptions.eventing.consumer.UnhandledRecords;
import dev.subscriptions.eventing.inbox.Inbox;
import dev.subscriptions.eventing.registration.EventSchemas;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.schemas.Topic;

/**
 * A minimal service that publishes through the outbox and consumes one topic, to test the
 * module as a service uses it.
 */
@SpringBootApplication
public class EventingTestApplication {

	public static final String CONSUMED_TOPIC = "eventing-test.customers";

	public static final String PUBLISHED_TOPIC = "eventing-test.outbox";

	/** The group of {@link CustomerEvents}. */
	public static final String TYPED_GROUP = "eventing-tests-typed";

	/**
	 * Consumed too, for tests that replay its whole dead-letter topic without the other
	 * tests' dead letters.
	 */
	public static final String REPLAYED_TOPIC = "eventing-test.replayed";

	/** Consumed by {@link HeldRecords}, whose lag the tests watch. */
	public static final String HELD_TOPIC = "eventing-test.held";

	/** The group of {@link HeldRecords}. */
	public static final String HELD_GROUP = "eventing-tests-held";

	@Bean
	EventSchemas publishedEvents() {
		return EventSchemas.of(PUBLISHED_TOPIC, CustomerCreated.getClassSchema(), CustomerDeleted.getClassSchema());
	}

	@Bean
	NewTopic consumedTopic() {
		return TopicBuilder.name(CONSUMED_TOPIC).partitions(3).build();
	}

	@Bean
	NewTopic consumedDeadLetterTopic() {
		return TopicBuilder.name(CONSUMED_TOPIC + ".DLT").partitions(3).build();
	}

	@Bean
	NewTopic replayedTopic() {
		return TopicBuilder.name(REPLAYED_TOPIC).partitions(3).build();
	}

	@Bean
	NewTopic replayedDeadLetterTopic() {
		return TopicBuilder.name(REPLAYED_TOPIC + ".DLT").partitions(3).build();
	}

	@Bean
	NewTopic heldTopic() {
		return TopicBuilder.name(HELD_TOPIC).partitions(1).build();
	}

	@Bean
	NewTopic customerEvents() {
		return TopicBuilder.name(Topic.Names.CUSTOMER_EVENTS).partitions(1).build();
	}

	@Bean
	NewTopic publishedTopic() {
		return TopicBuilder.name(PUBLISHED_TOPIC).partitions(3).build();
	}

	/**
	 * Records each CustomerCreated it receives. Refuses those named "fail" and the
	 * customers it is told to refuse (an exception of the handler's own); for those named
	 * "fail-sql" it runs a statement that exceeds its statement timeout (SQLSTATE 57014).
	 */
	@Component
	public static class ReceivedCustomers {

		private final Inbox inbox;

		private final JdbcTemplate jdbc;

		private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

		private final Set<String> refused = ConcurrentHashMap.newKeySet();

		ReceivedCustomers(Inbox inbox, JdbcTemplate jdbc) {
			this.inbox = inbox;
			this.jdbc = jdbc;
		}

		@KafkaListener(topics = { CONSUMED_TOPIC, REPLAYED_TOPIC })
		@Transactional
		public void on(ConsumerRecord<String, Object> record) {
			CustomerCreated event = (CustomerCreated) record.value();
			this.attempts.computeIfAbsent(event.getCustomerId(), id -> new AtomicInteger()).incrementAndGet();
			if ("fail".equals(event.getName()) || this.refused.contains(event.getCustomerId())) {
				throw new IllegalStateException("Refusing customer " + event.getCustomerId());
			}
			if ("fail-sql".equals(event.getName())) {
				this.jdbc.execute("set local statement_timeout = 50");
				this.jdbc.queryForList("select pg_sleep(1)");
			}
			if (this.inbox.markProcessed("eventing-test", UUID.fromString(event.getEventId()))) {
				this.jdbc.update("insert into received_event (event_id, customer_id, name) values (?, ?, ?)",
						UUID.fromString(event.getEventId()), event.getCustomerId(), event.getName());
			}
		}

		/** From now on, refuses the events of {@code customerId}. */
		public void refuse(String customerId) {
			this.refused.add(customerId);
		}

		/** Handles the events of {@code customerId} again: its handler is fixed. */
		public void accept(String customerId) {
			this.refused.remove(customerId);
		}

		public int attempts(String customerId) {
			AtomicInteger count = this.attempts.get(customerId);
			return (count != null) ? count.get() : 0;
		}

	}

	/**
	 * A listener that a test can hold: while held, it waits in its handler for the
	 * release, as a listener stuck on a lock or a remote call does, and commits nothing.
	 */
	@Component
	public static class HeldRecords {

		private volatile CountDownLatch release = new CountDownLatch(0);

		private final AtomicInteger handled = new AtomicInteger();

		private final AtomicInteger waiting = new AtomicInteger();

		@KafkaListener(topics = HELD_TOPIC, groupId = HELD_GROUP)
		public void on(ConsumerRecord<String, Object> record) throws InterruptedException {
			CountDownLatch release = this.release;
			this.waiting.incrementAndGet();
			try {
				release.await();
			}
			finally {
				this.waiting.decrementAndGet();
			}
			this.handled.incrementAndGet();
		}

		/** From now on, the handler waits for {@link #release()}. */
		public void hold() {
			this.release = new CountDownLatch(1);
		}

		/** Lets the waiting handler and all later ones go on. */
		public void release() {
			this.release.countDown();
		}

		/** Whether a handler is waiting for the release now. */
		public boolean isWaiting() {
			return this.waiting.get() > 0;
		}

		public int handled() {
			return this.handled.get();
		}

	}

	/**
	 * A listener as the services write them: one handler per event type of a
	 * {@link Topic}, and a default handler for the rest. Consumed with eventing's
	 * consumer defaults only: the handlers are matched by the decoded record's generated
	 * class.
	 */
	@Component
	@KafkaListener(topics = Topic.Names.CUSTOMER_EVENTS, groupId = TYPED_GROUP)
	public static class CustomerEvents {

		private final UnhandledRecords unhandled;

		private final List<SpecificRecord> handled = new CopyOnWriteArrayList<>();

		CustomerEvents(UnhandledRecords unhandled) {
			this.unhandled = unhandled;
		}

		@KafkaHandler
		public void on(CustomerCreated created) {
			this.handled.add(created);
		}

		@KafkaHandler
		public void on(CustomerDeleted deleted) {
			this.handled.add(deleted);
		}

		@KafkaHandler(isDefault = true)
		public void unhandled(@Payload(required = false) @Nullable Object value,
				@Header(KafkaHeaders.RECEIVED_TOPIC) String topic) {
			this.unhandled.skip(TYPED_GROUP, topic, value);
		}

		/** The events handled so far, in order. */
		public List<SpecificRecord> handled() {
			return List.copyOf(this.handled);
		}

	}

}
