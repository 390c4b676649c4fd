package dev.subscriptions.subscriptionservice.subscription.webhook.lemonsqueezy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;

import dev.subscriptions.subscriptionservice.subscription.BillingChange;
import dev.subscriptions.subscriptionservice.subscription.BillingChange.Status;
import dev.subscriptions.subscriptionservice.subscription.Invoice;
import dev.subscriptions.subscriptionservice.subscription.PauseMode;
import dev.subscriptions.subscriptionservice.subscription.webhook.Signatures;
import dev.subscriptions.subscriptionservice.subscription.webhook.WebhookRefused;
import dev.subscriptions.subscriptionservice.subscription.webhook.lemonsqueezy.LemonSqueezyPayloads.Delivery;

/**
 * How a Lemon Squeezy delivery's JSON, shaped as documented, reads as a change of
 * {@code billing.events}: by its object, a snapshot of the subscription, an invoice, or
 * an order.
 */
class LemonSqueezyPayloadTests {

	private static final ObjectMapper json = JsonMapper.builder().build();

	private static final UUID eventId = UUID.randomUUID();

	private final LemonSqueezyPayloads purchase = new LemonSqueezyPayloads(UUID.randomUUID(), UUID.randomUUID());

	@Test
	void readsASubscriptionAsASnapshotWithOurIdsAndItsTimeOfChange() {
		Delivery delivery = this.purchase.delivery("subscription_created");

		BillingChange change = parse(delivery).subscription(eventId);

		assertThat(change.eventId()).isEqualTo(eventId);
		assertThat(change.provider()).isEqualTo("lemon_squeezy");
		assertThat(change.providerSubscriptionId()).isEqualTo(this.purchase.subscriptionId);
		assertThat(change.customerId()).isEqualTo(this.purchase.customerId);
		assertThat(change.productId()).isEqualTo(this.purchase.productId);
		assertThat(change.occurredAt()).isEqualTo(delivery.updatedAt());
		assertThat(change.status()).isEqualTo(Status.ACTIVE);
		assertThat(change.currentPeriodEnd()).isEqualTo(Instant.parse(delivery.value("renews_at")));
		assertThat(change.cancelAtPeriodEnd()).isFalse();
		assertThat(change.pauseMode()).isNull();
		assertThat(change.endsAt()).isNull();
		assertThat(change.invoice()).isNull();
	}

	@Test
	void readsAPauseWithItsMode() {
		BillingChange voided = parse(this.purchase.delivery("subscription_paused_void")).subscription(eventId);
		Delivery free = this.purchase.delivery("subscription_paused_free");
		BillingChange freed = parse(free).subscription(eventId);

		assertThat(voided.status()).isEqualTo(Status.PAUSED);
		assertThat(voided.pauseMode()).isEqualTo(PauseMode.VOID);
		assertThat(voided.resumesAt()).isNull();
		assertThat(freed.status()).isEqualTo(Status.PAUSED);
		assertThat(freed.pauseMode()).isEqualTo(PauseMode.FREE);
		assertThat(freed.resumesAt()).isEqualTo(Instant.parse(free.value("resumes_at")));
	}

	@Test
	void readsCancelledAsStillActiveAndCanceledAtPeriodEndUntilItsEnd() {
		Delivery cancelled = this.purchase.delivery("subscription_cancelled");

		BillingChange change = parse(cancelled).subscription(eventId);

		assertThat(change.status()).isEqualTo(Status.ACTIVE);
		assertThat(change.cancelAtPeriodEnd()).isTrue();
		assertThat(change.endsAt()).isEqualTo(Instant.parse(cancelled.value("renews_at")));
	}

	@Test
	void readsACancelledTrialAsStillTrialing() {
		String trialEnd = LemonSqueezyPayloads.TIME.format(Instant.now().plus(10, ChronoUnit.DAYS));
		Delivery cancelled = this.purchase.delivery("subscription_cancelled")
			.replacing("\"trial_ends_at\": null", "\"trial_ends_at\": \"" + trialEnd + "\"");

		BillingChange change = parse(cancelled).subscription(eventId);

		assertThat(change.status()).isEqualTo(Status.TRIALING);
		assertThat(change.cancelAtPeriodEnd()).isTrue();
	}

	@Test
	void readsExpiredAsEndedAtItsEnd() {
		Delivery expired = this.purchase.delivery("subscription_expired");

		BillingChange change = parse(expired).subscription(eventId);

		assertThat(change.status()).isEqualTo(Status.EXPIRED);
		assertThat(change.status().hasEnded()).isTrue();
		assertThat(change.cancelAtPeriodEnd()).isFalse();
		assertThat(change.endsAt()).isEqualTo(expired.updatedAt());
	}

	@ParameterizedTest
	@CsvSource({ "on_trial, TRIALING", "active, ACTIVE", "past_due, PAST_DUE", "unpaid, UNPAID" })
	void readsEveryOtherStatusOfASubscription(String status, Status expected) {
		Delivery delivery = this.purchase.delivery("subscription_created")
			.replacing("\"status\": \"active\"", "\"status\": \"" + status + "\"");

		assertThat(parse(delivery).subscription(eventId).status()).isEqualTo(expected);
	}

	@Test
	void takesAnInvoicesSubscriptionFromItsSubscriptionIdNeverFromItsId() {
		Delivery paid = this.purchase.delivery("subscription_payment_success");

		BillingChange change = parse(paid).invoice(eventId);

		assertThat(change.providerSubscriptionId()).isEqualTo(this.purchase.subscriptionId)
			.isNotEqualTo(paid.invoiceId());
		assertThat(change.isSnapshot()).isFalse();
		assertThat(change.invoice()).isNotNull();
		assertThat(change.invoice().providerInvoiceId()).isEqualTo(paid.invoiceId());
		assertThat(change.invoice().status()).isEqualTo(Invoice.Status.PAID);
		assertThat(change.invoice().amount()).isEqualTo(1999);
		assertThat(change.invoice().currency()).isEqualTo("EUR");
		assertThat(change.customerId()).isEqualTo(this.purchase.customerId);
		assertThat(change.occurredAt()).isEqualTo(paid.updatedAt());
	}

	@ParameterizedTest
	@CsvSource({ "pending, OPEN", "paid, PAID", "void, VOID", "refunded, REFUNDED", "partial_refund, PAID" })
	void readsEveryStatusOfAnInvoice(String status, Invoice.Status expected) {
		Delivery delivery = this.purchase.delivery("subscription_payment_success")
			.replacing("\"status\": \"paid\"", "\"status\": \"" + status + "\"");

		assertThat(parse(delivery).invoice(eventId).invoice().status()).isEqualTo(expected);
	}

	@Test
	void refusesAnInvoiceWithoutItsSubscriptionRatherThanTakingItsId() {
		Delivery delivery = this.purchase.delivery("subscription_payment_success")
			.replacing("\"subscription_id\": " + this.purchase.subscriptionId + ",", "");

		assertThatExceptionOfType(WebhookRefused.class).isThrownBy(() -> parse(delivery).invoice(eventId))
			.satisfies(refused -> assertThat(refused.status()).isEqualTo(HttpStatus.BAD_REQUEST))
			.withMessageContaining("data.attributes.subscription_id");
	}

	@Test
	void readsAnOrderAsAnOrderOfItsCustomer() {
		Delivery created = this.purchase.delivery("order_created");

		ProviderOrder order = parse(created).order();

		assertThat(order).isEqualTo(new ProviderOrder("lemon_squeezy", this.purchase.orderId, this.purchase.customerId,
				this.purchase.productId, this.purchase.providerCustomerId, "paid", 1999, "EUR", created.updatedAt()));
	}

	@Test
	void refusesCustomDataThatIsNoneOfOurIds() {
		Delivery delivery = this.purchase.delivery("subscription_created", Map.of("customer_id", "user-42"));

		assertThatExceptionOfType(WebhookRefused.class).isThrownBy(() -> parse(delivery).subscription(eventId))
			.withMessageContaining("meta.custom_data.customer_id must be a UUID");
	}

	@Test
	void readsASubscriptionWithoutCustomDataWithoutOurIds() {
		Delivery delivery = this.purchase.delivery("subscription_created")
			.replacing(
					"\"custom_data\": {\n      \"customer_id\": \"" + this.purchase.customerId
							+ "\",\n      \"product_id\": \"" + this.purchase.productId + "\"\n    }",
					"\"custom_data\": null");

		BillingChange change = parse(delivery).subscription(eventId);

		assertThat(change.customerId()).isNull();
		assertThat(change.productId()).isNull();
	}

	@Test
	void refusesAPausedSubscriptionWithoutItsPauseMode() {
		Delivery delivery = this.purchase.delivery("subscription_paused_void")
			.replacing("\"mode\": \"void\"", "\"mode\": \"sleep\"");

		assertThatExceptionOfType(WebhookRefused.class).isThrownBy(() -> parse(delivery).subscription(eventId))
			.withMessageContaining("data.attributes.pause.mode");
	}

	@Test
	void refusesAStatusLemonSqueezyDoesNotHave() {
		Delivery delivery = this.purchase.delivery("subscription_created")
			.replacing("\"status\": \"active\"", "\"status\": \"dormant\"");

		assertThatExceptionOfType(WebhookRefused.class).isThrownBy(() -> parse(delivery).subscription(eventId))
			.withMessageContaining("data.attributes.status dormant");
	}

	@Test
	void refusesAnObjectOfAnotherTypeThanItsEventCarries() {
		Delivery delivery = this.purchase.delivery("subscription_created")
			.replacing("\"type\": \"subscriptions\"", "\"type\": \"orders\"");

		assertThatExceptionOfType(WebhookRefused.class)
			.isThrownBy(() -> parse(delivery).requireData(LemonSqueezyEvent.ObjectType.SUBSCRIPTION))
			.withMessageContaining("data.type is orders, but subscription_created carries subscriptions");
	}

	@Test
	void refusesWhatIsNotJson() {
		assertThatExceptionOfType(WebhookRefused.class)
			.isThrownBy(() -> LemonSqueezyPayload.parse(json, "{\"meta\": ".getBytes()))
			.satisfies(refused -> assertThat(refused.status()).isEqualTo(HttpStatus.BAD_REQUEST));
		assertThatExceptionOfType(WebhookRefused.class)
			.isThrownBy(() -> LemonSqueezyPayload.parse(json, "[]".getBytes()))
			.withMessageContaining("not a JSON object");
		assertThatExceptionOfType(WebhookRefused.class)
			.isThrownBy(() -> LemonSqueezyPayload.parse(json, "{\"meta\": {}, \"data\": {}}".getBytes()))
			.withMessageContaining("meta.event_name is missing");
	}

	@Test
	void identifiesADeliveryByItsWebhookIdOrElseByItsBodysSha256() {
		Delivery delivery = this.purchase.delivery("subscription_created");
		Delivery withoutId = delivery.replacing("\"webhook_id\": \"" + delivery.webhookId() + "\",", "");

		assertThat(parse(delivery).deliveryId(delivery.body())).isEqualTo(delivery.webhookId());
		assertThat(parse(withoutId).deliveryId(withoutId.body())).isEqualTo(Signatures.sha256Hex(withoutId.body()));
	}

	@Test
	void readsTheModeItWasSentIn() {
		Delivery live = this.purchase.delivery("subscription_created");

		assertThat(parse(live).testMode()).isFalse();
		assertThat(parse(
				live.replacing("\"test_mode\": false,\n    \"event_name\"", "\"test_mode\": true,\n    \"event_name\""))
			.testMode()).isTrue();
	}

	private static LemonSqueezyPayload parse(Delivery delivery) {
		return LemonSqueezyPayload.parse(json, delivery.body());
	}

}
