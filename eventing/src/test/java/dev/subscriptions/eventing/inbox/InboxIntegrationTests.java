package dev.subscriptions.eventing.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.infrastructure.EmbeddedInfrastructure;

/**
 * The inbox's set insert against real PostgreSQL: which ids are new, and how duplicates
 * are counted.
 */
@SpringBootTest(properties = "eventing.inbox.retention-enabled=false")
@Import(EmbeddedInfrastructure.class)
class InboxIntegrationTests {

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	TransactionTemplate transactions;

	private final MeterRegistry meters = new SimpleMeterRegistry();

	@Test
	void answersTheIdsSeenTheFirstTimeAndCountsTheOthersOnceTheTransactionCommits() {
		Inbox inbox = new Inbox(this.jdbc, this.meters);
		String consumer = "set-" + UUID.randomUUID();
		UUID seen = UUID.randomUUID();
		UUID first = UUID.randomUUID();
		UUID second = UUID.randomUUID();
		this.transactions.executeWithoutResult(status -> inbox.markProcessed(consumer, seen));

		Set<UUID> fresh = this.transactions
			.execute(status -> inbox.markProcessed(consumer, List.of(first, seen, second, first)));

		assertThat(fresh).containsExactlyInAnyOrder(first, second);
		assertThat(duplicates(consumer)).isEqualTo(2);
		assertThat(this.jdbc.queryForObject("select count(*) from inbox where consumer = ?", Integer.class, consumer))
			.isEqualTo(3);
	}

	@Test
	void forgetsTheIdsAndCountsNoDuplicateWhenTheTransactionRollsBack() {
		Inbox inbox = new Inbox(this.jdbc, this.meters);
		String consumer = "set-" + UUID.randomUUID();
		UUID id = UUID.randomUUID();

		this.transactions.executeWithoutResult(status -> {
			assertThat(inbox.markProcessed(consumer, List.of(id, id))).containsExactly(id);
			status.setRollbackOnly();
		});

		assertThat(duplicates(consumer)).isZero();
		Set<UUID> again = this.transactions.execute(status -> inbox.markProcessed(consumer, List.of(id)));
		assertThat(again).containsExactly(id);
		assertThat(duplicates(consumer)).isZero();
	}

	@Test
	void answersNothingForNoIdsAndRefusesToRunOutsideATransaction() {
		Inbox inbox = new Inbox(this.jdbc, this.meters);

		Set<UUID> none = this.transactions.execute(status -> inbox.markProcessed("set-empty", List.of()));
		assertThat(none).isEmpty();
		assertThatIllegalStateException()
			.isThrownBy(() -> inbox.markProcessed("set-outside", List.of(UUID.randomUUID())))
			.withMessageContaining("inside the transaction");
	}

	private double duplicates(String consumer) {
		return this.meters.get(Inbox.DUPLICATES).tag("consumer", consumer).counter().count();
	}

}
