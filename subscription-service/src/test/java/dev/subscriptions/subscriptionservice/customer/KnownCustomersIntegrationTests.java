package dev.subscriptions.subscriptionservice.customer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.subscriptionservice.SubscriptionServiceIntegrationTest;
import dev.subscriptions.subscriptionservice.customer.KnownCustomers.Created;
import dev.subscriptions.subscriptionservice.customer.KnownCustomers.Deleted;
import dev.subscriptions.subscriptionservice.customer.KnownCustomers.KnownCustomer;

/**
 * The replica written set-wise, as a batch of customer.events writes it: one statement
 * for many customers, with the semantics of one event at a time.
 */
@SubscriptionServiceIntegrationTest
class KnownCustomersIntegrationTests {

	private final UUID organization = UUID.randomUUID();

	private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

	@Autowired
	KnownCustomers customers;

	@Autowired
	TransactionTemplate transactions;

	@Test
	void recordsEveryCustomerOfOneCallAndEachNamedTwiceAsTheFirstNamesIt() {
		UUID first = UUID.randomUUID();
		UUID second = UUID.randomUUID();
		UUID other = UUID.randomUUID();

		this.customers.recordCreated(List.of(new Created(first, this.organization, this.now),
				new Created(second, this.organization, this.now), new Created(first, other, this.now)));

		assertThat(known(first)).returns(this.organization, KnownCustomer::organizationId)
			.returns(false, KnownCustomer::isDeleted);
		assertThat(known(second)).returns(this.organization, KnownCustomer::organizationId);
	}

	@Test
	void recordsTheDeletionsOfKnownAndUnknownCustomersInOneCall() {
		UUID known = UUID.randomUUID();
		UUID unknown = UUID.randomUUID();
		this.customers.recordCreated(new Created(known, this.organization, this.now.minusSeconds(60)));

		this.customers.recordDeleted(List.of(new Deleted(known, this.organization, this.now),
				new Deleted(unknown, this.organization, this.now),
				new Deleted(known, this.organization, this.now.plusSeconds(1))));

		assertThat(known(known)).returns(this.now, KnownCustomer::deletedAt);
		assertThat(known(unknown)).returns(this.now, KnownCustomer::deletedAt);
	}

	@Test
	void keepsTheFirstDeletionOfACustomerDeletedAgain() {
		UUID customer = UUID.randomUUID();
		this.customers.recordDeleted(List.of(new Deleted(customer, this.organization, this.now)));

		this.customers.recordDeleted(List.of(new Deleted(customer, this.organization, this.now.plusSeconds(5))));

		assertThat(known(customer)).returns(this.now, KnownCustomer::deletedAt);
	}

	@Test
	void keepsACustomerDeletedWhateverTheOrderOfItsCreationAndDeletionInOneTransaction() {
		UUID createdFirst = UUID.randomUUID();
		UUID deletedFirst = UUID.randomUUID();

		this.transactions.executeWithoutResult(status -> {
			this.customers.recordCreated(List.of(new Created(createdFirst, this.organization, this.now)));
			this.customers.recordDeleted(List.of(new Deleted(createdFirst, this.organization, this.now),
					new Deleted(deletedFirst, this.organization, this.now)));
			this.customers.recordCreated(List.of(new Created(deletedFirst, this.organization, this.now)));
		});

		assertThat(List.of(createdFirst, deletedFirst)).extracting(this::known)
			.allSatisfy(customer -> assertThat(customer.isDeleted()).isTrue());
	}

	private KnownCustomer known(UUID id) {
		return this.customers.findByIdForShare(id).orElseThrow();
	}

}
