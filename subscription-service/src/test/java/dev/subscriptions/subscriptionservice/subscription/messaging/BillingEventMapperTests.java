package dev.subscriptions.subscriptionservice.subscription.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;

import org.springframework.messaging.converter.MessageConversionException;

import dev.subscriptions.events.billing.BillingSubscriptionChanged;
import dev.subscriptions.schemas.fixtures.BillingFixture;
import dev.subscriptions.subscriptionservice.subscription.BillingChange;
import dev.subscriptions.subscriptionservice.subscription.Invoice;
import dev.subscriptions.subscriptionservice.subscription.PauseMode;

/**
 * The one mapper of billing.events: what the webhooks write reads back as the same
 * change, and a record that cannot stand for a change is refused as poison.
 */
class BillingEventMapperTests {

	private final BillingFixture billing = BillingFixture.random();

	@Test
	void readsBackWhatItWrites() {
		BillingSubscriptionChanged record = this.billing.pastDue().setPauseMode("free").build();

		BillingChange change = BillingEventMapper.toDomain(record);

		assertThat(change.status()).isEqualTo(BillingChange.Status.PAST_DUE);
		assertThat(change.pauseMode()).isEqualTo(PauseMode.FREE);
		assertThat(change.invoice()).isNotNull();
		assertThat(change.invoice().status()).isEqualTo(Invoice.Status.OPEN);
		assertThat(change.customerId()).isEqualTo(this.billing.customerId());
		assertThat(BillingEventMapper.toRecord(change)).isEqualTo(record);
	}

	@Test
	void readsAnInvoiceEventAsNoSnapshot() {
		BillingChange change = BillingEventMapper.toDomain(this.billing.invoicePaid().build());

		assertThat(change.isSnapshot()).isFalse();
		assertThat(change.invoice().status()).isEqualTo(Invoice.Status.PAID);
	}

	@Test
	void takesACurrencyInAnyCaseAsItsIsoCode() {
		BillingSubscriptionChanged record = this.billing.pastDue().build();
		record.getInvoice().setCurrency("eur");

		assertThat(BillingEventMapper.toDomain(record).invoice().currency()).isEqualTo("EUR");
	}

	@Test
	void refusesARecordThatNamesNoStatusCurrencyOrIdOfTheContract() {
		assertThatExceptionOfType(MessageConversionException.class)
			.isThrownBy(() -> BillingEventMapper.toDomain(this.billing.active().setStatus("on_trial").build()))
			.withMessageContaining("on_trial");
		BillingSubscriptionChanged euro = this.billing.pastDue().build();
		euro.getInvoice().setCurrency("euro");
		assertThatExceptionOfType(MessageConversionException.class).isThrownBy(() -> BillingEventMapper.toDomain(euro));
		assertThatExceptionOfType(MessageConversionException.class)
			.isThrownBy(() -> BillingEventMapper.toDomain(this.billing.active().setCustomerId("42").build()));
	}

}
