package dev.subscriptions.customerservice.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class CustomerTests {

	private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

	@Test
	void recordsCustomerCreatedWhenCreated() {
		Customer customer = Customer.create(UUID.randomUUID(), " ada@example.com ", "Ada", null, this.clock);

		assertThat(customer.getEmail()).isEqualTo("ada@example.com");
		assertThat(customer.recordedEvents()).singleElement().isInstanceOf(CustomerEvent.Created.class);
	}

	@Test
	void recordsCustomerDeletedOnlyOnTheFirstDelete() {
		Customer customer = Customer.create(UUID.randomUUID(), "ada@example.com", "Ada", null, this.clock);

		assertThat(customer.delete(this.clock)).isTrue();
		assertThat(customer.delete(this.clock)).isFalse();

		assertThat(customer.getDeletedAt()).isEqualTo(this.clock.instant());
		assertThat(customer.recordedEvents()).hasSize(2)
			.last()
			.isInstanceOfSatisfying(CustomerEvent.Deleted.class, deleted -> {
				assertThat(deleted.customerId()).isEqualTo(customer.getId());
				assertThat(deleted.eventId()).isEqualTo(customer.getDeletionEventId());
			});
	}

	@Test
	void setsTheExternalIdOnceAndThenRefusesAnother() {
		Customer customer = Customer.create(UUID.randomUUID(), "ada@example.com", "Ada", null, this.clock);

		customer.assignExternalId("crm-1", this.clock);
		customer.assignExternalId("crm-1", this.clock);

		assertThat(customer.getExternalId()).isEqualTo("crm-1");
		assertThatExceptionOfType(ExternalIdAlreadyAssigned.class)
			.isThrownBy(() -> customer.assignExternalId("crm-2", this.clock))
			.withMessageContaining("crm-1");
	}

	@Test
	void refusesToChangeADeletedCustomer() {
		Customer customer = Customer.create(UUID.randomUUID(), "ada@example.com", "Ada", null, this.clock);
		customer.delete(this.clock);

		assertThatExceptionOfType(CustomerNotFound.class).isThrownBy(() -> customer.rename("Grace", this.clock));
	}

}
