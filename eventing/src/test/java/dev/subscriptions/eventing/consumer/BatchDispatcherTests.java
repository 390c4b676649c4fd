package dev.subscriptions.eventing.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.eventing.TestEvents;
import dev.subscriptions.eventing.inbox.Inbox;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;

/**
 * Types that share one handler ({@link BatchDispatcher.Builder#onAny}) reach it in one
 * call per wave, in poll order, as the events the dispatcher makes of them. The handler
 * deduplicates (no inbox step), so the batches need no database.
 */
class BatchDispatcherTests {

	private final List<List<String>> calls = new CopyOnWriteArrayList<>();

	private final BatchDispatcher dispatcher = BatchDispatcher.forConsumer("dispatcher-tests")
		.onAnyDeduplicatedByHandler(this::changed,
				types -> types
					.type(CustomerCreated.class, created -> UUID.fromString(created.getEventId()),
							created -> "created " + created.getCustomerId())
					.type(CustomerDeleted.class, deleted -> UUID.fromString(deleted.getEventId()),
							deleted -> "deleted " + deleted.getCustomerId()))
		.build();

	private final BatchHandling batches = new BatchHandling(new TransactionTemplate(new NoResources()),
			new Inbox(new JdbcTemplate(), new SimpleMeterRegistry()), new UnhandledRecords(new SimpleMeterRegistry()));

	@Test
	void namesEveryTypeOfASharedHandlerAsHandled() {
		assertThat(this.dispatcher.handledTypes()).containsExactly(CustomerCreated.class, CustomerDeleted.class);
		assertThat(this.dispatcher.ignoredTypes()).isEmpty();
	}

	@Test
	void deliversAWaveOfSeveralTypesToTheirSharedHandlerInOneCallInPollOrder() {
		String a = UUID.randomUUID().toString();
		String b = UUID.randomUUID().toString();
		String c = UUID.randomUUID().toString();
		String d = UUID.randomUUID().toString();

		this.batches.handle(List.of(record(0, a, TestEvents.customerDeleted(a)),
				record(1, b, TestEvents.customerCreated(b, "B")), record(2, c, TestEvents.customerDeleted(c)),
				record(3, a, TestEvents.customerCreated(a, "A")), record(4, d, TestEvents.customerCreated(d, "D"))),
				this.dispatcher);

		assertThat(this.calls).containsExactly(List.of("deleted " + a, "created " + b, "deleted " + c, "created " + d),
				List.of("created " + a));
	}

	private void changed(List<Delivery<String>> deliveries) {
		this.calls.add(deliveries.stream().map(Delivery::event).toList());
	}

	private static ConsumerRecord<?, ?> record(long offset, String key, Object value) {
		return new ConsumerRecord<>("dispatcher-tests", 0, offset, key, value);
	}

	/** Transactions without resources: the handlers here touch none. */
	private static final class NoResources extends AbstractPlatformTransactionManager {

		@Override
		protected Object doGetTransaction() {
			return new Object();
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
		}

	}

}
